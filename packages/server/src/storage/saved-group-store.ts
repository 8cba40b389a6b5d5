/**
 * Saved groups: lists of attribute values that `$inGroup` / `$notInGroup` conditions name by key. Parameterised SQL
 * like the holdout store: few rows, written by the admin API, read whole by the assignment path's cache.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SavedGroupRecord, SavedGroups } from '@ab-calicritters/core';
import { rawQuery } from './raw-query.js';
import { inTransaction } from './transaction.js';
import { DuplicateKeyError } from './unique-flush.js';

/** A saved group as stored: checked before it gets here (key, storable text, at most 10,000 values). */
export interface SavedGroupInput {
  key: string;
  name: string | null;
  values: ReadonlyArray<string | number>;
}

/** The fields of a saved group that may change. */
export type SavedGroupChanges = Partial<Pick<SavedGroupInput, 'name' | 'values'>>;

/** Thrown when deleting a saved group that conditions of experiments (not archived) still name. */
export class SavedGroupInUseError extends Error {
  override name = 'SavedGroupInUseError';
  constructor(
    readonly key: string,
    readonly experimentKeys: readonly string[],
  ) {
    super(`saved group '${key}' is used by experiment ${experimentKeys.map((k) => `'${k}'`).join(', ')}`);
  }
}

interface SavedGroupRow {
  key: string;
  name: string | null;
  values: unknown;
  created_at: unknown;
  updated_at: unknown;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

function toRecord(row: SavedGroupRow): SavedGroupRecord {
  const values: unknown = typeof row.values === 'string' ? JSON.parse(row.values) : row.values;
  return {
    key: row.key,
    name: row.name ?? null,
    values: Array.isArray(values) ? values.filter((v) => typeof v === 'string' || typeof v === 'number') : [],
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

const COLUMNS = 'key, name, "values", created_at, updated_at';

/** The saved group keys a condition names with `$inGroup` / `$notInGroup`, at any depth. */
export function savedGroupKeysOf(condition: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(condition)) {
    for (const item of condition) savedGroupKeysOf(item, into);
  } else if (condition !== null && typeof condition === 'object') {
    for (const [field, value] of Object.entries(condition)) {
      if ((field === '$inGroup' || field === '$notInGroup') && typeof value === 'string') into.add(value);
      else savedGroupKeysOf(value, into);
    }
  }
  return into;
}

export function createSavedGroupStore(fork: () => EntityManager) {
  return {
    /** By key. */
    async list(): Promise<SavedGroupRecord[]> {
      const rows = await rawQuery<SavedGroupRow>(fork(), `select ${COLUMNS} from saved_groups order by key`);
      return rows.map(toRecord);
    },

    async get(key: string): Promise<SavedGroupRecord | null> {
      const [row] = await rawQuery<SavedGroupRow>(fork(), `select ${COLUMNS} from saved_groups where key = ?`, [key]);
      return row ? toRecord(row) : null;
    },

    /** The keys of every saved group, for checking the conditions of an experiment. */
    async keys(): Promise<string[]> {
      const rows = await rawQuery<{ key: string }>(fork(), 'select key from saved_groups order by key');
      return rows.map((row) => row.key);
    },

    /** Every group's values by key: what core's evaluation takes as `savedGroups`. */
    async all(): Promise<SavedGroups> {
      const groups: Record<string, Array<string | number>> = {};
      for (const record of await this.list()) groups[record.key] = record.values;
      return groups;
    },

    /** @throws {DuplicateKeyError} when a saved group with this key exists. */
    async create(input: SavedGroupInput): Promise<SavedGroupRecord> {
      const [row] = await rawQuery<SavedGroupRow>(
        fork(),
        `insert into saved_groups (key, name, "values") values (?, ?, ?::jsonb)
         on conflict (key) do nothing
         returning ${COLUMNS}`,
        [input.key, input.name, JSON.stringify(input.values)],
      );
      if (!row) throw new DuplicateKeyError(input.key);
      return toRecord(row);
    },

    /** Applies changes; returns null when the key does not exist. */
    async update(key: string, changes: SavedGroupChanges): Promise<SavedGroupRecord | null> {
      const [row] = await rawQuery<SavedGroupRow>(
        fork(),
        `update saved_groups
            set name = case when ? then ? else name end,
                "values" = coalesce(?::jsonb, "values"),
                updated_at = now()
          where key = ? returning ${COLUMNS}`,
        [
          changes.name !== undefined,
          changes.name ?? null,
          changes.values === undefined ? null : JSON.stringify(changes.values),
          key,
        ],
      );
      return row ? toRecord(row) : null;
    },

    /**
     * Deletes the group; returns it as it was, or null when the key does not exist.
     * @throws {SavedGroupInUseError} when the condition of an experiment that is not archived names it.
     */
    remove(key: string): Promise<SavedGroupRecord | null> {
      return inTransaction(fork(), async (em) => {
        const [row] = await rawQuery<SavedGroupRow>(
          em,
          `select ${COLUMNS} from saved_groups where key = ? for update`,
          [key],
        );
        if (!row) return null;
        const conditions = await rawQuery<{ key: string; condition: unknown }>(
          em,
          `select key, condition from experiments
            where status <> 'archived' and condition is not null and condition::text like ?
            order by key`,
          [
            `%${JSON.stringify(key)
              .slice(1, -1)
              .replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
          ],
        );
        const users = conditions
          .filter((e) => {
            const condition: unknown = typeof e.condition === 'string' ? JSON.parse(e.condition) : e.condition;
            return savedGroupKeysOf(condition).has(key);
          })
          .map((e) => e.key);
        if (users.length > 0) throw new SavedGroupInUseError(key, users);
        await rawQuery(em, 'delete from saved_groups where key = ?', [key]);
        return toRecord(row);
      });
    },
  };
}
