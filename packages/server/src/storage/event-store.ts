/**
 * Event storage. One set-based statement per batch: the batch travels column by column (text columns as JSON arrays,
 * times as epoch-millisecond arrays), is zipped back into rows with ROWS FROM, enriched with the current assignments
 * of each distinct user of the batch (once per user, not once per event: an SDK batch carries one user), and
 * inserted with ON CONFLICT DO NOTHING so retried events are counted as duplicates instead of failing the batch.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { MetricsSummary } from '@ab-calicritters/core';
import { createPooledQuery, rawQuery } from './raw-query.js';
import type { StorageKind } from './storage-types.js';

/** An event ready to store: validated, with its clock-corrected time. */
export interface EventRow {
  event_id: string;
  user_id: string;
  name: string;
  client_timestamp: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}

/**
 * Events to store, column by column, in the form the insert statement takes them: the route builds one while
 * checking the events, so no row objects are made, no time goes through a Date and each event's properties are
 * stringified once (the same JSON text its size was checked on).
 */
export class EventBatch {
  readonly eventIds: string[] = [];
  readonly userIds: string[] = [];
  readonly names: string[] = [];
  /** Device time of each event, epoch ms. */
  readonly clientMs: number[] = [];
  /** Clock-corrected time of each event, epoch ms. */
  readonly occurredMs: number[] = [];
  /** Each event's properties as JSON object text. */
  readonly properties: string[] = [];

  get length(): number {
    return this.eventIds.length;
  }

  add(eventId: string, userId: string, name: string, clientMs: number, occurredMs: number, properties: string): void {
    this.eventIds.push(eventId);
    this.userIds.push(userId);
    this.names.push(name);
    this.clientMs.push(clientMs);
    this.occurredMs.push(occurredMs);
    this.properties.push(properties);
  }

  /** Events `start` to `end` (exclusive), as `Array.prototype.slice` does. */
  slice(start: number, end?: number): EventBatch {
    const part = new EventBatch();
    part.eventIds.push(...this.eventIds.slice(start, end));
    part.userIds.push(...this.userIds.slice(start, end));
    part.names.push(...this.names.slice(start, end));
    part.clientMs.push(...this.clientMs.slice(start, end));
    part.occurredMs.push(...this.occurredMs.slice(start, end));
    part.properties.push(...this.properties.slice(start, end));
    return part;
  }

  /** Rows as other code holds them (seeders, tests, the CLI's demo data). */
  static fromRows(rows: readonly EventRow[]): EventBatch {
    const batch = new EventBatch();
    for (const r of rows)
      batch.add(
        r.event_id,
        r.user_id,
        r.name,
        Date.parse(r.client_timestamp),
        Date.parse(r.occurred_at),
        JSON.stringify(r.properties ?? {}),
      );
    return batch;
  }
}

/*
 * Why each column travels as it does:
 * - text (ids, users, names) as JSON arrays: JSON.stringify is native, any string is quoted safely, and a value
 *   PostgreSQL cannot hold (NUL, an unpaired surrogate) fails with a data error (class 22) as it did before, so
 *   store-events can isolate it.
 * - times as bigint arrays of epoch ms: no Date object or ISO text on our side, no timestamptz parsing on the
 *   database's; `epoch + ms` is exact.
 * - properties as one JSON array built by joining the texts already made for the size check.
 * The enrichment runs once per distinct user (`users`), joined back to the events. `materialized` matters there:
 * inlined, the planner moved the assignments subquery above the join and ran it once per event again (EXPLAIN
 * ANALYZE: loops=100). The count comes back as one row rather than one row per event.
 */
const INSERT_BATCH = `
with input as materialized (
  select * from rows from (
      json_array_elements_text(?::json),
      json_array_elements_text(?::json),
      json_array_elements_text(?::json),
      unnest(?::bigint[]),
      unnest(?::bigint[]),
      jsonb_array_elements(?::jsonb)
    ) as t(event_id, user_id, name, client_ms, occurred_ms, properties)
),
users as materialized (
  select u.user_id,
         coalesce((select jsonb_object_agg(e.key, a.variant)
                     from assignments a join experiments e on e.id = a.experiment_id
                    where a.user_id = u.user_id), '{}'::jsonb) as assignments
    from (select distinct user_id from input) u
),
inserted as (
  insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, properties, assignments)
  select i.event_id::uuid, i.user_id, ((timestamptz 'epoch' + i.client_ms * interval '1 millisecond') at time zone 'UTC')::date,
         i.name, timestamptz 'epoch' + i.client_ms * interval '1 millisecond',
         timestamptz 'epoch' + i.occurred_ms * interval '1 millisecond', i.properties, u.assignments
    from input i join users u on u.user_id = i.user_id
  on conflict (event_id, user_id, event_day) do nothing
  returning 1
)
select count(*)::int as inserted from inserted`;

/** The statement's parameters, in the order of its placeholders. */
function batchParams(batch: EventBatch): string[] {
  return [
    JSON.stringify(batch.eventIds),
    JSON.stringify(batch.userIds),
    JSON.stringify(batch.names),
    `{${batch.clientMs.join(',')}}`,
    `{${batch.occurredMs.join(',')}}`,
    `[${batch.properties.join(',')}]`,
  ];
}

/** `kind`: the database behind `fork`, which decides how the batch insert is prepared (see createPooledQuery). */
export function createEventStore(fork: () => EntityManager, kind: StorageKind) {
  // The hot path: straight on a pooled connection, no em.fork() per batch.
  const query = createPooledQuery(fork, kind);
  const insert = async (batch: EventBatch): Promise<number> => {
    if (batch.length === 0) return 0;
    const [row] = await query<{ inserted: number }>('abc_events_insert_columns', INSERT_BATCH, batchParams(batch));
    return row?.inserted ?? 0;
  };
  return {
    /** Stores the batch; returns how many rows were new (the rest were already stored). */
    insertBatch: (rows: readonly EventRow[]): Promise<number> => insert(EventBatch.fromRows(rows)),

    /** Stores events the route checked, column by column; returns how many were new. */
    insertColumns: insert,

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
