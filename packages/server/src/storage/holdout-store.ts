/**
 * Holdout definitions. Parameterised SQL like the override store: few rows, written by the admin API, read whole by
 * the assignment path's cache.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { HoldoutRecord, HoldoutStatus } from '@ab-calicritters/core';
import { ArchivedError } from './archived-error.js';
import type { ListOptions } from './experiment-store.js';
import { rawQuery } from './raw-query.js';
import { inTransaction } from './transaction.js';
import { DuplicateKeyError } from './unique-flush.js';

/** A holdout as stored: checked before it gets here (share strictly between 0 and 1, scope given). */
export interface HoldoutInput {
  key: string;
  name: string | null;
  seed: string;
  share: number;
  experiment_keys: readonly string[];
  all_experiments: boolean;
}

/** The fields of a holdout that may change. */
export type HoldoutChanges = Partial<Pick<HoldoutInput, 'name' | 'share' | 'experiment_keys' | 'all_experiments'>>;

interface HoldoutRow {
  key: string;
  name: string | null;
  seed: string;
  share: number | string;
  experiment_keys: unknown;
  all_experiments: boolean;
  status: HoldoutStatus;
  created_at: unknown;
  updated_at: unknown;
  archived_at: unknown;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

function toRecord(row: HoldoutRow): HoldoutRecord {
  const keys: unknown = typeof row.experiment_keys === 'string' ? JSON.parse(row.experiment_keys) : row.experiment_keys;
  return {
    key: row.key,
    name: row.name ?? null,
    seed: row.seed,
    share: Number(row.share),
    experiment_keys: Array.isArray(keys) ? keys.map(String) : [],
    all_experiments: row.all_experiments === true,
    status: row.status,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    archived_at: row.archived_at === null || row.archived_at === undefined ? null : iso(row.archived_at),
  };
}

const COLUMNS = 'key, name, seed, share, experiment_keys, all_experiments, status, created_at, updated_at, archived_at';

export function createHoldoutStore(fork: () => EntityManager) {
  /** Runs `change` on the row locked for update, so an archive and a concurrent update cannot interleave. */
  function locked(
    key: string,
    change: (current: HoldoutRecord, em: EntityManager) => Promise<HoldoutRow | undefined>,
  ): Promise<HoldoutRecord | null> {
    return inTransaction(fork(), async (em) => {
      const [row] = await rawQuery<HoldoutRow>(em, `select ${COLUMNS} from holdouts where key = ? for update`, [key]);
      if (!row) return null;
      const changed = await change(toRecord(row), em);
      return toRecord(changed ?? row);
    });
  }

  return {
    /** Oldest first; archived holdouts only with `includeArchived`. */
    async list({ includeArchived = false }: ListOptions = {}): Promise<HoldoutRecord[]> {
      const rows = await rawQuery<HoldoutRow>(
        fork(),
        `select ${COLUMNS} from holdouts where ? or status <> 'archived' order by created_at, key`,
        [includeArchived],
      );
      return rows.map(toRecord);
    },

    async get(key: string): Promise<HoldoutRecord | null> {
      const [row] = await rawQuery<HoldoutRow>(fork(), `select ${COLUMNS} from holdouts where key = ?`, [key]);
      return row ? toRecord(row) : null;
    },

    /** @throws {DuplicateKeyError} when a holdout with this key exists (archived ones too). */
    async create(input: HoldoutInput): Promise<HoldoutRecord> {
      const [row] = await rawQuery<HoldoutRow>(
        fork(),
        `insert into holdouts (key, name, seed, share, experiment_keys, all_experiments)
           values (?, ?, ?, ?, ?::jsonb, ?)
         on conflict (key) do nothing
         returning ${COLUMNS}`,
        [input.key, input.name, input.seed, input.share, JSON.stringify(input.experiment_keys), input.all_experiments],
      );
      if (!row) throw new DuplicateKeyError(input.key);
      return toRecord(row);
    },

    /**
     * Applies changes; returns null when the key does not exist.
     * @throws {ArchivedError} when the holdout is archived: it no longer changes.
     */
    update(key: string, changes: HoldoutChanges): Promise<HoldoutRecord | null> {
      return locked(key, async (current, em) => {
        if (current.status === 'archived') throw new ArchivedError('holdout', key);
        const next = { ...current, ...changes };
        const [row] = await rawQuery<HoldoutRow>(
          em,
          `update holdouts set name = ?, share = ?, experiment_keys = ?::jsonb, all_experiments = ?, updated_at = now()
            where key = ? returning ${COLUMNS}`,
          [next.name, next.share, JSON.stringify(next.experiment_keys), next.all_experiments, key],
        );
        return row;
      });
    },

    /**
     * Archives: the holdout then holds out nobody and no longer changes; it stays for the record. Archiving an
     * archived holdout changes nothing. Returns null when the key does not exist.
     */
    archive(key: string): Promise<HoldoutRecord | null> {
      return locked(key, async (current, em) => {
        if (current.status === 'archived') return undefined;
        const [row] = await rawQuery<HoldoutRow>(
          em,
          `update holdouts set status = 'archived', archived_at = now(), updated_at = now()
            where key = ? returning ${COLUMNS}`,
          [key],
        );
        return row;
      });
    },

    /** The active holdouts, for the assignment path's cache. */
    async active(): Promise<HoldoutRecord[]> {
      const rows = await rawQuery<HoldoutRow>(
        fork(),
        `select ${COLUMNS} from holdouts where status = 'active' order by key`,
      );
      return rows.map(toRecord);
    },
  };
}
