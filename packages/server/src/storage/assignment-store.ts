/**
 * Sticky assignment rows. Raw parameterised SQL on purpose: this is the hottest path and must be race-free across
 * server instances, which `INSERT … ON CONFLICT DO NOTHING` gives in one round trip without a unit of work.
 */
import type { EntityManager } from '@mikro-orm/core';
import { rawQuery } from './raw-query.js';

export interface StickyRow {
  experiment_id: string;
  variant: string;
  assigned_at: Date;
}

export interface NewStickyRow {
  experiment_id: string;
  variant: string;
  /** When the user was assigned; default now (imports and demo data pass historical times). */
  assigned_at?: string;
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function createAssignmentStore(fork: () => EntityManager) {
  return {
    /** Stored assignments of one user in the given experiments. */
    async find(userId: string, experimentIds: readonly string[]): Promise<StickyRow[]> {
      if (experimentIds.length === 0) return [];
      const rows = await rawQuery<StickyRow>(
        fork(),
        `select experiment_id::text as experiment_id, variant, assigned_at
           from assignments
          where user_id = ? and experiment_id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
        [userId, JSON.stringify(experimentIds)],
      );
      return rows.map((r) => ({ ...r, assigned_at: toDate(r.assigned_at) }));
    },

    /**
     * Inserts rows that do not exist yet and returns only those this call created; rows another request created
     * first are skipped by ON CONFLICT and must be read back with {@link find}.
     */
    async insertIfAbsent(userId: string, rows: readonly NewStickyRow[]): Promise<StickyRow[]> {
      if (rows.length === 0) return [];
      const created = await rawQuery<StickyRow>(
        fork(),
        `insert into assignments (experiment_id, user_id, variant, assigned_at)
           select r.experiment_id, ?, r.variant, coalesce(r.assigned_at, now())
             from jsonb_to_recordset(?::jsonb) as r(experiment_id uuid, variant text, assigned_at timestamptz)
         on conflict (experiment_id, user_id) do nothing
         returning experiment_id::text as experiment_id, variant, assigned_at`,
        [userId, JSON.stringify(rows)],
      );
      return created.map((r) => ({ ...r, assigned_at: toDate(r.assigned_at) }));
    },
  };
}

export type AssignmentStore = ReturnType<typeof createAssignmentStore>;
