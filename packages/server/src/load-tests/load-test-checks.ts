/**
 * Data-consistency checks run after a load test, scoped to that run's rows: its users are `userPrefix + 0 …
 * userPrefix + (userCount − 1)`, so every query expands that range with generate_series and reaches the rows through
 * the user_id indexes instead of scanning whole tables. Parameterised SQL: these are set queries over thousands of
 * keys sent as one jsonb parameter per chunk, which the ORM's unit of work has no shape for.
 */
import type { LoadTestDataCheck } from '@ab-calicritters/core';
import { rawQuery, type SqlValue } from '../storage/raw-query.js';
import type { Storage } from '../storage/storage.js';

/** An assignment the server acknowledged (a 200 response naming a variant). */
export interface AcknowledgedAssignment {
  user_id: string;
  experiment_key: string;
  variant: string;
}

/** An event the server acknowledged (in a 200 batch and not among its rejected indexes). */
export interface AcknowledgedEvent {
  event_id: string;
  user_id: string;
}

/** Which rows belong to the run, and what the load generator saw acknowledged. */
export interface LoadTestCheckScope {
  /** Every user id of the run is this prefix followed by an index from 0 to `userCount − 1`. */
  userPrefix: string;
  userCount: number;
  /** The run's time window: rollup runs overlapping it are checked for overlaps with each other. */
  startedAt: Date;
  endedAt: Date;
  /** Distinct acknowledged (user, experiment, variant) triples; two variants for one pair is a conflict. */
  assignments: readonly AcknowledgedAssignment[];
  /** Distinct acknowledged events. */
  events: readonly AcknowledgedEvent[];
  /** Duplicate events sent on purpose (retries, repeats inside a batch), reported for context. */
  intentionalDuplicates?: number;
  /** Keys per query when checking acknowledged rows (default 5000). */
  chunkSize?: number;
}

/** Names of the checks, in the order they are reported. */
export const LOAD_TEST_CHECK_NAMES = [
  'duplicate_assignment_rows',
  'duplicate_event_ids',
  'sticky_conflicts',
  'row_presence',
  'rollup_overlap',
] as const;

const SAMPLE_SIZE = 5;

/** The run's users as a CTE; takes the prefix and the count as its two parameters. */
const RUN_USERS = `run_users as (select ?::text || g::text as user_id from generate_series(0, ?::int - 1) g)`;

function check(name: string, violations: number, checked: number, details: Record<string, unknown>): LoadTestDataCheck {
  return { name, passed: violations === 0, violations, checked, details };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs every check and returns one result per name in {@link LOAD_TEST_CHECK_NAMES}.
 * @example const checks = await runLoadTestChecks(storage, { userPrefix: 'lt-…-', userCount: 500, … });
 */
export async function runLoadTestChecks(storage: Storage, scope: LoadTestCheckScope): Promise<LoadTestDataCheck[]> {
  if (!Number.isInteger(scope.userCount) || scope.userCount < 0) throw new Error('userCount must be an integer ≥ 0');
  if (!scope.userPrefix) throw new Error('userPrefix is required: without it the checks would not be scoped');
  const size = scope.chunkSize ?? 5000;
  const sql = <T = Record<string, unknown>>(text: string, params: SqlValue[] = []) =>
    rawQuery<T>(storage.orm.em.fork(), text, params);
  const users: SqlValue[] = [scope.userPrefix, scope.userCount];
  const pairKey = (userId: string, experimentKey: string) => `${userId}\u0000${experimentKey}`;

  // 1. At most one sticky row per (experiment, user): guaranteed today by the primary key, checked so that a schema
  //    change (partitioning, a surrogate key) cannot silently break it.
  const [dupAssign] = await sql<{ checked: string; violations: string; samples: unknown }>(
    `with ${RUN_USERS},
     rows as (select a.experiment_id, a.user_id from assignments a join run_users u on u.user_id = a.user_id),
     dups as (select experiment_id::text as experiment_id, user_id, count(*) as n from rows
               group by experiment_id, user_id having count(*) > 1)
     select (select count(*) from rows) as checked, coalesce((select sum(n - 1) from dups), 0) as violations,
            (select coalesce(jsonb_agg(d), '[]'::jsonb) from (select * from dups limit ${SAMPLE_SIZE}) d) as samples`,
    users,
  );

  // 2. One stored row per event id, whatever retries and repeats were sent.
  const [dupEvents] = await sql<{ checked: string; violations: string; samples: unknown }>(
    `with ${RUN_USERS},
     rows as (select l.event_id from event_logs l join run_users u on u.user_id = l.user_id),
     dups as (select event_id::text as event_id, count(*) as n from rows group by event_id having count(*) > 1)
     select (select count(*) from rows) as checked, coalesce((select sum(n - 1) from dups), 0) as violations,
            (select coalesce(jsonb_agg(d), '[]'::jsonb) from (select * from dups limit ${SAMPLE_SIZE}) d) as samples`,
    users,
  );

  // 3. Sticky conflicts: one (user, experiment) seen with two variants, across stored rows, the variants events were
  //    enriched with, and what responses said.
  const conflicts = new Map<string, Set<string>>();
  const note = (userId: string, experimentKey: string, variant: string) => {
    const key = pairKey(userId, experimentKey);
    const variants = conflicts.get(key) ?? new Set<string>();
    variants.add(variant);
    conflicts.set(key, variants);
  };
  const stored = await sql<{ user_id: string; experiment_key: string; variants: string[] }>(
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
    users,
  );
  for (const row of stored) for (const v of row.variants) note(row.user_id, row.experiment_key, v);

  const acknowledged = new Map<string, AcknowledgedAssignment>();
  for (const a of scope.assignments) {
    const key = pairKey(a.user_id, a.experiment_key);
    const first = acknowledged.get(key);
    if (!first) acknowledged.set(key, a);
    else if (first.variant !== a.variant) {
      note(a.user_id, a.experiment_key, first.variant);
      note(a.user_id, a.experiment_key, a.variant);
    }
  }

  // 4. Presence: every acknowledged assignment and event is stored (and the stored variant is the one answered).
  let assignmentsMissing = 0;
  const missingSamples: Array<Record<string, unknown>> = [];
  for (const chunk of chunks([...acknowledged.values()], size)) {
    const rows = await sql<AcknowledgedAssignment & { stored_variant: string | null }>(
      `select t.user_id, t.experiment_key, t.variant, a.variant as stored_variant
         from jsonb_to_recordset(?::jsonb) as t(user_id text, experiment_key text, variant text)
         left join experiments e on e.key = t.experiment_key
         left join assignments a on a.experiment_id = e.id and a.user_id = t.user_id
        where a.variant is null or a.variant <> t.variant`,
      [JSON.stringify(chunk)],
    );
    for (const row of rows) {
      if (row.stored_variant === null) {
        assignmentsMissing++;
        if (missingSamples.length < SAMPLE_SIZE) missingSamples.push({ kind: 'assignment', ...row });
      } else {
        note(row.user_id, row.experiment_key, row.variant);
        note(row.user_id, row.experiment_key, row.stored_variant);
      }
    }
  }
  let eventsMissing = 0;
  for (const chunk of chunks(scope.events, size)) {
    const rows = await sql<AcknowledgedEvent>(
      `select t.event_id::text as event_id, t.user_id
         from jsonb_to_recordset(?::jsonb) as t(event_id uuid, user_id text)
        where not exists (select 1 from event_logs l where l.event_id = t.event_id and l.user_id = t.user_id)`,
      [JSON.stringify(chunk)],
    );
    eventsMissing += rows.length;
    for (const row of rows.slice(0, SAMPLE_SIZE - missingSamples.length)) missingSamples.push({ kind: 'event', ...row });
  }

  const conflictSamples = [...conflicts.entries()].slice(0, SAMPLE_SIZE).map(([key, variants]) => {
    const [user_id, experiment_key] = key.split('\u0000');
    return { user_id, experiment_key, variants: [...variants].sort() };
  });

  // 5. Rollup runs of one job never overlap in time (the job's lock works under load).
  const [overlap] = await sql<{ checked: string; violations: string; samples: unknown }>(
    `with runs as (
       select id, job, started_at, coalesce(ended_at, now()) as ended_at, status from rollup_runs
        where started_at <= ?::timestamptz and coalesce(ended_at, now()) >= ?::timestamptz),
     pairs as (
       select distinct a.job, least(a.id, b.id) as first_run_id, greatest(a.id, b.id) as second_run_id
         from runs a join rollup_runs b on b.job = a.job and b.id <> a.id
          and b.started_at < a.ended_at and coalesce(b.ended_at, now()) > a.started_at)
     select (select count(*) from runs) as checked, (select count(*) from pairs) as violations,
            (select coalesce(jsonb_agg(p), '[]'::jsonb) from (select * from pairs limit ${SAMPLE_SIZE}) p) as samples`,
    [scope.endedAt, scope.startedAt],
  );

  const acknowledgedTotal = acknowledged.size + scope.events.length;
  const missingTotal = assignmentsMissing + eventsMissing;
  const presenceDetails: Record<string, unknown> = {
    assignments_acknowledged: acknowledged.size,
    assignments_missing: assignmentsMissing,
    events_acknowledged: scope.events.length,
    events_missing: eventsMissing,
    samples: missingSamples,
  };
  if (acknowledgedTotal > 0 && missingTotal === acknowledgedTotal) {
    presenceDetails.hint = 'none of the acknowledged rows are in this database: does the server use the same DATABASE_URL?';
  }
  const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

  return [
    check('duplicate_assignment_rows', Number(dupAssign?.violations ?? 0), Number(dupAssign?.checked ?? 0), {
      samples: json(dupAssign?.samples) ?? [],
    }),
    check('duplicate_event_ids', Number(dupEvents?.violations ?? 0), Number(dupEvents?.checked ?? 0), {
      intentional_duplicates_sent: scope.intentionalDuplicates ?? 0,
      samples: json(dupEvents?.samples) ?? [],
    }),
    check('sticky_conflicts', conflicts.size, Math.max(acknowledged.size, Number(dupAssign?.checked ?? 0)), {
      samples: conflictSamples,
    }),
    check('row_presence', missingTotal, acknowledgedTotal, presenceDetails),
    check('rollup_overlap', Number(overlap?.violations ?? 0), Number(overlap?.checked ?? 0), {
      window_start: scope.startedAt.toISOString(),
      window_end: scope.endedAt.toISOString(),
      samples: json(overlap?.samples) ?? [],
    }),
  ];
}
