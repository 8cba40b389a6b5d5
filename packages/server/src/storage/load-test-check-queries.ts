/**
 * The queries behind the data-consistency checks of a load test (load-tests/load-test-checks.ts), scoped to one run's
 * users: `userPrefix + 0 … userPrefix + (userCount − 1)`, expanded with generate_series so every query reaches the rows
 * through the user_id indexes instead of scanning whole tables. Parameterised SQL: set queries over thousands of keys
 * sent as one jsonb parameter per chunk, which the ORM's unit of work has no shape for.
 */
import type { EntityManager } from '@mikro-orm/core';
import { rawQuery, type SqlValue } from './raw-query.js';

/** The run's users: every user id is `prefix` followed by an index from 0 to `count − 1`. */
export interface RunUsers {
  prefix: string;
  count: number;
}

/** Rows examined, rule violations among them, and a few samples of the violations. */
export interface CheckCount {
  checked: number;
  violations: number;
  samples: unknown[];
}

/** An acknowledged assignment whose stored variant is missing (`null`) or differs. */
export interface AssignmentMismatch {
  user_id: string;
  experiment_key: string;
  variant: string;
  stored_variant: string | null;
}

/** The run's users as a CTE; takes the prefix and the count as its two parameters. */
const RUN_USERS = `run_users as (select ?::text || g::text as user_id from generate_series(0, ?::int - 1) g)`;

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

function toCount(row: { checked?: unknown; violations?: unknown; samples?: unknown } | undefined): CheckCount {
  return {
    checked: Number(row?.checked ?? 0),
    violations: Number(row?.violations ?? 0),
    samples: (json(row?.samples) as unknown[]) ?? [],
  };
}

/** `storage.loadTests.checks`: one method per query of the load-test data checks. */
export function createLoadTestCheckQueries(fork: () => EntityManager, sampleSize = 5) {
  const sql = <T = Record<string, unknown>>(text: string, params: SqlValue[] = []) => rawQuery<T>(fork(), text, params);
  const users = (run: RunUsers): SqlValue[] => [run.prefix, run.count];

  return {
    /** Sticky rows beyond the first per (experiment, user) among the run's users. */
    async duplicateAssignmentRows(run: RunUsers): Promise<CheckCount> {
      const [row] = await sql(
        `with ${RUN_USERS},
         rows as (select a.experiment_id, a.user_id from assignments a join run_users u on u.user_id = a.user_id),
         dups as (select experiment_id::text as experiment_id, user_id, count(*) as n from rows
                   group by experiment_id, user_id having count(*) > 1)
         select (select count(*) from rows) as checked, coalesce((select sum(n - 1) from dups), 0) as violations,
                (select coalesce(jsonb_agg(d), '[]'::jsonb) from (select * from dups limit ${sampleSize}) d) as samples`,
        users(run),
      );
      return toCount(row);
    },

    /** Stored events beyond the first per event id among the run's users. */
    async duplicateEventIds(run: RunUsers): Promise<CheckCount> {
      const [row] = await sql(
        `with ${RUN_USERS},
         rows as (select l.event_id from event_logs l join run_users u on u.user_id = l.user_id),
         dups as (select event_id::text as event_id, count(*) as n from rows group by event_id having count(*) > 1)
         select (select count(*) from rows) as checked, coalesce((select sum(n - 1) from dups), 0) as violations,
                (select coalesce(jsonb_agg(d), '[]'::jsonb) from (select * from dups limit ${sampleSize}) d) as samples`,
        users(run),
      );
      return toCount(row);
    },

    /** (user, experiment) pairs stored with two or more variants, across sticky rows and the variants events carry. */
    storedVariantConflicts(
      run: RunUsers,
    ): Promise<Array<{ user_id: string; experiment_key: string; variants: string[] }>> {
      return sql(
        `with ${RUN_USERS},
         seen as (
           select a.user_id, e.key as experiment_key, a.variant
             from assignments a join run_users u on u.user_id = a.user_id join experiments e on e.id = a.experiment_id
           union all
           select l.user_id, kv.key, kv.value
             from event_logs l join run_users u on u.user_id = l.user_id cross join lateral jsonb_each_text(l.assignments) kv
         )
         select user_id, experiment_key, array_agg(distinct variant order by variant) as variants
           from seen group by user_id, experiment_key having count(distinct variant) > 1`,
        users(run),
      );
    },

    /** The given assignments that are not stored, or stored with another variant. */
    assignmentMismatches(
      assignments: ReadonlyArray<{ user_id: string; experiment_key: string; variant: string }>,
    ): Promise<AssignmentMismatch[]> {
      return sql(
        `select t.user_id, t.experiment_key, t.variant, a.variant as stored_variant
           from jsonb_to_recordset(?::jsonb) as t(user_id text, experiment_key text, variant text)
           left join experiments e on e.key = t.experiment_key
           left join assignments a on a.experiment_id = e.id and a.user_id = t.user_id
          where a.variant is null or a.variant <> t.variant`,
        [JSON.stringify(assignments)],
      );
    },

    /** The given events that are not stored. */
    missingEvents(
      events: ReadonlyArray<{ event_id: string; user_id: string }>,
    ): Promise<Array<{ event_id: string; user_id: string }>> {
      return sql(
        `select t.event_id::text as event_id, t.user_id
           from jsonb_to_recordset(?::jsonb) as t(event_id uuid, user_id text)
          where not exists (select 1 from event_logs l where l.event_id = t.event_id and l.user_id = t.user_id)`,
        [JSON.stringify(events)],
      );
    },

    /** Rollup runs overlapping [start, end], and the pairs of runs of one job that overlap each other. */
    async rollupOverlaps(start: Date, end: Date): Promise<CheckCount> {
      const [row] = await sql(
        `with runs as (
           select id, job, started_at, coalesce(ended_at, now()) as ended_at, status from rollup_runs
            where started_at <= ?::timestamptz and coalesce(ended_at, now()) >= ?::timestamptz),
         pairs as (
           select distinct a.job, least(a.id, b.id) as first_run_id, greatest(a.id, b.id) as second_run_id
             from runs a join rollup_runs b on b.job = a.job and b.id <> a.id
              and b.started_at < a.ended_at and coalesce(b.ended_at, now()) > a.started_at)
         select (select count(*) from runs) as checked, (select count(*) from pairs) as violations,
                (select coalesce(jsonb_agg(p), '[]'::jsonb) from (select * from pairs limit ${sampleSize}) p) as samples`,
        [end, start],
      );
      return toCount(row);
    },
  };
}

/** The check queries, as `storage.loadTests.checks` exposes them. */
