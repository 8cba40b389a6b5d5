/**
 * Event storage. One set-based statement per batch: the batch travels as a single jsonb parameter, is expanded with
 * jsonb_to_recordset, enriched with each user's current assignments by a join, and inserted with ON CONFLICT DO
 * NOTHING so retried events are counted as duplicates instead of failing the batch.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { MetricsSummary } from '@ab-calicritters/core';
import { preparedQuery, rawQuery } from './raw-query.js';

/** An event ready to store: validated, with its clock-corrected time. */
export interface EventRow {
  event_id: string;
  user_id: string;
  name: string;
  client_timestamp: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}

const INSERT_BATCH = `
with input as (
  select * from jsonb_to_recordset(?::jsonb)
    as t(event_id uuid, user_id text, name text, client_timestamp timestamptz, occurred_at timestamptz, properties jsonb)
)
insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, properties, assignments)
select i.event_id, i.user_id, (i.client_timestamp at time zone 'UTC')::date, i.name, i.client_timestamp,
       i.occurred_at, coalesce(i.properties, '{}'::jsonb),
       coalesce((select jsonb_object_agg(e.key, a.variant)
                   from assignments a join experiments e on e.id = a.experiment_id
                  where a.user_id = i.user_id), '{}'::jsonb)
  from input i
on conflict (event_id, user_id, event_day) do nothing
returning event_id`;

/** `prepared`: run the batch insert as a named prepared statement (PostgreSQL). */
export function createEventStore(fork: () => EntityManager, prepared: boolean) {
  return {
    /** Stores the batch; returns how many rows were new (the rest were already stored). */
    async insertBatch(rows: readonly EventRow[]): Promise<number> {
      if (rows.length === 0) return 0;
      const inserted = await preparedQuery(fork(), prepared, 'abc_events_insert_batch', INSERT_BATCH, [
        JSON.stringify(rows),
      ]);
      return inserted.length;
    },

    /** Stored events of one user, newest last (used by tests and support tooling). */
    async listForUser(userId: string): Promise<Array<EventRow & { assignments: Record<string, string> }>> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select event_id::text as event_id, user_id, name, client_timestamp, occurred_at, properties, assignments
           from event_logs where user_id = ? order by occurred_at, event_id`,
        [userId],
      );
      return rows.map((r) => ({
        ...(r as unknown as EventRow & { assignments: Record<string, string> }),
        client_timestamp: new Date(r.client_timestamp as string).toISOString(),
        occurred_at: new Date(r.occurred_at as string).toISOString(),
      }));
    },

    /** Public aggregate counters. */
    async summary(): Promise<Omit<MetricsSummary, 'last_rollup_at'>> {
      const [row] = await rawQuery<Record<string, string | number>>(
        fork(),
        `select (select count(*) from event_logs) as total_events,
                (select count(distinct user_id) from event_logs) as total_users,
                (select count(*) from experiments where status = 'running') as running_experiments`,
      );
      return {
        total_events: Number(row?.total_events ?? 0),
        total_users: Number(row?.total_users ?? 0),
        running_experiments: Number(row?.running_experiments ?? 0),
      };
    },
  };
}
