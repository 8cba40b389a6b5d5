/**
 * QA overrides: one forced variant per (experiment, user), optionally expiring. Parameterised SQL rather than an
 * entity: a write is one upsert that must say whether it created the row, and the assignment path reads every active
 * override at once (a join with experiments for their keys), which the unit of work would only copy.
 */
import type { EntityManager } from '@mikro-orm/core';
import { rawQuery } from './raw-query.js';

/** An override as stored, with its experiment's key. */
export interface StoredOverride {
  experiment_key: string;
  user_id: string;
  variant: string;
  expires_at: Date | null;
  note: string | null;
  created_at: Date;
  updated_at: Date;
}

/** What setting an override stores. */
export interface OverrideInput {
  variant: string;
  expires_at?: Date | null;
  note?: string | null;
}

interface OverrideRow {
  experiment_key: string;
  user_id: string;
  variant: string;
  expires_at: unknown;
  note: string | null;
  created_at: unknown;
  updated_at: unknown;
  created?: boolean;
}

const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

function toStored(row: OverrideRow): StoredOverride {
  return {
    experiment_key: row.experiment_key,
    user_id: row.user_id,
    variant: row.variant,
    expires_at: row.expires_at === null || row.expires_at === undefined ? null : asDate(row.expires_at),
    note: row.note ?? null,
    created_at: asDate(row.created_at),
    updated_at: asDate(row.updated_at),
  };
}

const COLUMNS = 'o.user_id, o.variant, o.expires_at, o.note, o.created_at, o.updated_at';

export function createOverrideStore(fork: () => EntityManager) {
  return {
    /**
     * Sets (or replaces) the user's override in the experiment. Resolves null when the experiment does not exist;
     * `created` says whether the user had none before.
     */
    async set(
      experimentKey: string,
      userId: string,
      input: OverrideInput,
    ): Promise<{ override: StoredOverride; created: boolean } | null> {
      // `xmax = 0` only for a row this statement inserted: an updated row carries the updating transaction's id.
      const [row] = await rawQuery<OverrideRow>(
        fork(),
        `insert into experiment_overrides as o (experiment_id, user_id, variant, expires_at, note)
           select e.id, ?, ?, ?, ? from experiments e where e.key = ?
         on conflict (experiment_id, user_id) do update
           set variant = excluded.variant, expires_at = excluded.expires_at, note = excluded.note, updated_at = now()
         returning ?::text as experiment_key, ${COLUMNS}, (o.xmax = 0) as created`,
        [userId, input.variant, input.expires_at ?? null, input.note ?? null, experimentKey, experimentKey],
      );
      return row ? { override: toStored(row), created: row.created === true } : null;
    },

    /** The experiment's overrides by user id; expired ones (at `now`) only with `includeExpired`. */
    async list(experimentKey: string, options: { includeExpired?: boolean; now: Date }): Promise<StoredOverride[]> {
      const rows = await rawQuery<OverrideRow>(
        fork(),
        `select e.key as experiment_key, ${COLUMNS}
           from experiment_overrides o join experiments e on e.id = o.experiment_id
          where e.key = ? and (? or o.expires_at is null or o.expires_at > ?)
          order by o.user_id`,
        [experimentKey, options.includeExpired === true, options.now],
      );
      return rows.map(toStored);
    },

    /** Removes the user's override in the experiment; resolves what was removed, or null when there was none. */
    async remove(experimentKey: string, userId: string): Promise<StoredOverride | null> {
      const [row] = await rawQuery<OverrideRow>(
        fork(),
        `delete from experiment_overrides o using experiments e
          where e.id = o.experiment_id and e.key = ? and o.user_id = ?
          returning e.key as experiment_key, ${COLUMNS}`,
        [experimentKey, userId],
      );
      return row ? toStored(row) : null;
    },

    /** Every override of every experiment that has not expired at `now`, for the assignment path's cache. */
    async active(now: Date): Promise<StoredOverride[]> {
      const rows = await rawQuery<OverrideRow>(
        fork(),
        `select e.key as experiment_key, ${COLUMNS}
           from experiment_overrides o join experiments e on e.id = o.experiment_id
          where o.expires_at is null or o.expires_at > ?`,
        [now],
      );
      return rows.map(toStored);
    },
  };
}
