/**
 * The experiments job: per window length × experiment × variant × metric, for users assigned inside each window,
 * assigned users (stored in the internal column `exposed_users`; the pseudo-metric '$exposed' carries them), users
 * with a value > 0, and the sum and sum of squares of per-user values. A user's value for a metric is the sum over
 * their events of that name at or after their assignment and before the window end, of `properties.value` when it
 * is a number, else 1 (a count). Metrics are the steps of every funnel.
 *
 * Per-user values are the same for every window length (all windows end together), so they are kept: in
 * experiment_user_values, the settled part of each value (events received before the run's watermark), and for the
 * events received since, a tail recomputed by every run. An incremental run adds to the settled values the events
 * received between the last watermark and its own — each event is added exactly once — inserts the users assigned
 * since, and re-aggregates only the experiments whose users changed; its cost follows the new events, not the
 * users' history. A window that moved (a new UTC day) drops the users assigned before its start, adds the events
 * dated between the old and the new end, and re-aggregates every experiment.
 *
 * Holdouts are analysed as experiments whose control is `holdout` and treatment `exposed`: their rows in
 * holdout_assignments are the sticky assignments, their values are kept under the holdout's id, and their rollup
 * rows under {@link holdoutRollupKey}, a key space no experiment key uses, so experiments' reads stay as they were.
 * Nothing of a holdout is frozen.
 */
import { LIMITS, STANDARD_WINDOW_DAYS } from '@ab-calicritters/core';
import { unlessLoadTestUser, type JobRun, type JobRunResult } from './job-run.js';

// Experiment results are per window length (per-user values are not additive across days), so the job computes
// these standard lengths up to the requested one, plus the requested one itself. A constant list in the SQL text,
// so the planner knows how many windows there are.
const STANDARD_WINDOWS = STANDARD_WINDOW_DAYS.join(', ');

/**
 * The job's configuration: a change means a full run. Params: window days, include load-test users. The released
 * experiments are part of it: taking one back to running must rewrite its frozen rows. Holdouts are not: a new one's
 * rows are new assignments an incremental run picks up, and nothing of one is frozen or changes afterwards.
 */
export const EXPERIMENTS_CONFIG = `
select jsonb_build_object('window_days', ?::int, 'load_test_users', ?::boolean, 'metrics',
       (select coalesce(jsonb_agg(metric order by metric), '[]'::jsonb)
          from (select distinct jsonb_array_elements_text(steps) as metric from funnels) m),
       'released', (select coalesce(jsonb_agg(key order by key), '[]'::jsonb) from experiments where released_at is not null)
       ) as config`;

/**
 * The key a holdout's rows have in experiment_metric_rollups: experiment keys start with a letter or a digit, so
 * `~` keeps the two apart (the column is one character wider than a key for it).
 * @example holdoutRollupKey('h2') // '~h2'
 */
export const holdoutRollupKey = (holdoutKey: string): string => `~${holdoutKey}`;

/**
 * What the rollup rows are computed for, by the id their values are kept under: the experiments that are not
 * released (frozen at their release) and every holdout.
 */
const SUBJECTS = `(select id, key from experiments where released_at is null
                   union all select id, '~' || key from holdouts)`;

/** What an event adds to its user's value. */
const EVENT_VALUE = `case when jsonb_typeof(l.properties -> 'value') = 'number' then (l.properties ->> 'value')::float8
                          else 1 end`;

const CREATE_TEMPORARY = [
  `create temporary table rollup_changed_users (user_id varchar(256) primary key) on commit drop`,
  `create temporary table rollup_changed_experiments (experiment_id uuid primary key) on commit drop`,
  `create temporary table rollup_new_assignments (experiment_id uuid not null, user_id varchar(256) not null,
     variant varchar(128) not null, assigned_at timestamptz not null) on commit drop`,
  `create temporary table rollup_tail (user_id varchar(256) not null, experiment_id uuid not null,
     metric varchar(128) not null, value double precision not null, primary key (user_id, experiment_id, metric))
   on commit drop`,
];

/**
 * The assignments in the window without values yet (all of them after a full run's delete): experiments' sticky
 * rows and holdouts' rows, the arm as the variant. Params: start, end, lt, start, end, lt.
 */
const FIND_NEW_ASSIGNMENTS = `
insert into rollup_new_assignments (experiment_id, user_id, variant, assigned_at)
select a.experiment_id, a.user_id, a.variant, a.assigned_at
  from assignments a
 where a.assigned_at >= ?::timestamptz and a.assigned_at < ?::timestamptz and ${unlessLoadTestUser('a.user_id')}
   and not exists (select 1 from experiment_user_values v
                    where v.user_id = a.user_id and v.experiment_id = a.experiment_id and v.metric = '$exposed')
union all
select h.id, a.user_id, a.arm, a.assigned_at
  from holdout_assignments a
  join holdouts h on h.key = a.holdout_key
 where a.assigned_at >= ?::timestamptz and a.assigned_at < ?::timestamptz and ${unlessLoadTestUser('a.user_id')}
   and not exists (select 1 from experiment_user_values v
                    where v.user_id = a.user_id and v.experiment_id = h.id and v.metric = '$exposed')`;

/**
 * Their rows, with the value of their events received before the watermark. The events are summed per assignment
 * and metric first — one hash join of the metrics' events to the new assignments — and only then spread over every
 * metric (0 without events): a left join per assignment × metric would probe the event log (every day partition of
 * it) once per pair. Rows go in key order, so the primary key's inserts walk its leaves in order. Params: end, mark.
 */
const INSERT_NEW_USERS = `
with metrics as (
  select distinct jsonb_array_elements_text(steps) as metric from funnels
), summed as (
  select x.user_id, x.experiment_id, l.name as metric, sum(${EVENT_VALUE}) as value
    from rollup_new_assignments x
    join event_logs l
      on l.user_id = x.user_id and l.occurred_at >= x.assigned_at
     and l.occurred_at < ?::timestamptz and l.received_at < ?::timestamptz
   where l.name in (select metric from metrics)
   group by 1, 2, 3
)
insert into experiment_user_values (user_id, experiment_id, metric, variant, assigned_at, settled_value)
select user_id, experiment_id, metric, variant, assigned_at, settled_value
  from (select x.user_id, x.experiment_id, m.metric, x.variant, x.assigned_at, coalesce(s.value, 0) as settled_value
          from rollup_new_assignments x
          cross join metrics m
          left join summed s on s.user_id = x.user_id and s.experiment_id = x.experiment_id and s.metric = m.metric
        union all
        select user_id, experiment_id, '$exposed', variant, assigned_at, 0 from rollup_new_assignments) rows
 order by user_id, experiment_id, metric`;

/** Every new assignment got rows: its user changed. */
const NOTE_NEW_USERS = `insert into rollup_changed_users (user_id) select distinct user_id from rollup_new_assignments
on conflict do nothing`;

/**
 * Adds to the settled values the events received in [from, to) and dated in [dated from, end); notes their users as
 * changed. Params: from, to, dated from, end, lt.
 */
const SETTLE_EVENTS = `
with added as (
  select v.user_id, v.experiment_id, v.metric, sum(${EVENT_VALUE}) as value
    from event_logs l
    join experiment_user_values v on v.user_id = l.user_id and v.metric = l.name and v.metric <> '$exposed'
   where l.received_at >= ?::timestamptz and l.received_at < ?::timestamptz
     and l.occurred_at >= greatest(v.assigned_at, ?::timestamptz) and l.occurred_at < ?::timestamptz
     and ${unlessLoadTestUser('l.user_id')}
   group by 1, 2, 3
), updated as (
  update experiment_user_values v set settled_value = v.settled_value + a.value
    from added a
   where v.user_id = a.user_id and v.experiment_id = a.experiment_id and v.metric = a.metric
  returning v.user_id
)
insert into rollup_changed_users (user_id) select distinct user_id from updated on conflict do nothing`;

/** The values of events received at or after the watermark, recomputed by every run. Params: mark, end, lt. */
const FILL_TAIL = `
insert into rollup_tail (user_id, experiment_id, metric, value)
select v.user_id, v.experiment_id, v.metric, sum(${EVENT_VALUE}) as value
  from event_logs l
  join experiment_user_values v on v.user_id = l.user_id and v.metric = l.name and v.metric <> '$exposed'
 where l.received_at >= ?::timestamptz and l.occurred_at >= v.assigned_at and l.occurred_at < ?::timestamptz
   and ${unlessLoadTestUser('l.user_id')}
 group by 1, 2, 3`;

const NOTE_TAIL_USERS = `insert into rollup_changed_users (user_id) select distinct user_id from rollup_tail
on conflict do nothing`;

const NOTE_CHANGED_EXPERIMENTS = `
insert into rollup_changed_experiments (experiment_id)
select distinct experiment_id from experiment_user_values where user_id in (select user_id from rollup_changed_users)`;

const WINDOW_ROWS = `(window_days = ?::int or (window_days <= ?::int and window_days = any(array[${STANDARD_WINDOWS}])))`;

/**
 * Released experiments (also once archived: archiving keeps `released_at`) keep the rollup rows of the last run
 * before their release: their results are frozen there. The per-user values stay current, so an experiment taken
 * back to running (which clears `released_at`) resumes where it would have been.
 */
const NOT_RELEASED = `experiment_key not in (select key from experiments where released_at is not null)`;

/** Rollup rows of every window the run computes, of every experiment or of the changed ones. Params: days, days. */
const deleteRows = (scope: 'all' | 'changed') => `delete from experiment_metric_rollups where ${WINDOW_ROWS}
  and ${NOT_RELEASED}
  ${
    scope === 'changed'
      ? `and experiment_key in (select e.key from ${SUBJECTS} e join rollup_changed_experiments c on c.experiment_id = e.id)`
      : ''
  }`;

/**
 * Rollup rows from the per-user values (settled + tail), all window lengths in one statement. Grouped on the value
 * rows' own columns and the window length, keyed and dated after: grouped on the subject's key (from a union) and the
 * window's start (an expression), the planner expected some 400 000 groups where a few hundred are, and sorted
 * millions of rows to disk instead of hashing them. Params: end, window days, window days, end, end, run id.
 */
const aggregate = (scope: 'all' | 'changed') => `
with windows as (
  select d as days, ?::timestamptz - make_interval(days => d) as since
    from (select unnest(array[${STANDARD_WINDOWS}]) as d union select ?::int) lengths
   where d <= ?::int
), valued as (
  select v.experiment_id, v.variant, v.metric, v.assigned_at, v.settled_value + coalesce(t.value, 0) as value
    from experiment_user_values v
    left join rollup_tail t on t.user_id = v.user_id and t.experiment_id = v.experiment_id and t.metric = v.metric
  ${scope === 'changed' ? 'where v.experiment_id in (select experiment_id from rollup_changed_experiments)' : ''}
)
insert into experiment_metric_rollups
  (experiment_key, window_days, variant, metric, window_start, window_end,
   exposed_users, converted_users, value_sum, value_sum_squares, run_id)
select e.key, g.days, g.variant, g.metric, ?::timestamptz - make_interval(days => g.days), ?::timestamptz,
       g.users, g.converted, g.value_sum, g.value_sum_squares, ?::bigint
  from (select v.experiment_id, w.days, v.variant, v.metric, count(*) as users,
               count(*) filter (where v.value > 0) as converted, sum(v.value) as value_sum,
               sum(v.value * v.value) as value_sum_squares
          from valued v
          join windows w on v.assigned_at >= w.since
         group by v.experiment_id, w.days, v.variant, v.metric) g
  join ${SUBJECTS} e on e.id = g.experiment_id`;

/** Values for the assignments that have none; skipped when there are none (its join would still be planned big). */
async function insertNewUsers({ query, window, mark, includeLoadTestUsers }: JobRun): Promise<void> {
  const range = [window.start, window.end, includeLoadTestUsers];
  await query(FIND_NEW_ASSIGNMENTS, [...range, ...range]);
  const [found] = await query<{ n: number | string }>(`select count(*) as n from rollup_new_assignments`);
  if (Number(found?.n ?? 0) === 0) return;
  await query(`analyze rollup_new_assignments`);
  await query(INSERT_NEW_USERS, [window.end, mark]);
  await query(NOTE_NEW_USERS);
}

export async function runExperimentsJob(run: JobRun): Promise<JobRunResult> {
  const { query, window, runId, mark, includeLoadTestUsers: lt, previous } = run;
  const { start, end, windowDays: days } = window;
  const write = async (scope: 'all' | 'changed') => {
    await query(deleteRows(scope), [days, days]);
    return run.countRows(aggregate(scope), [end, days, days, end, end, runId]);
  };
  for (const sql of CREATE_TEMPORARY) await query(sql);
  if (!previous) {
    // Truncate, not delete: a delete leaves every old row dead in the table and both indexes until vacuum, and each
    // full run's inserts then wade through them. Only this job (under its lock) reads the table, so its exclusive
    // lock until commit blocks no one.
    await query(`truncate experiment_user_values`);
    await insertNewUsers(run);
    // The table was just refilled: without fresh statistics the aggregation plans for a few hundred rows.
    await query(`analyze experiment_user_values`);
    await query(FILL_TAIL, [mark, end, lt]);
    return { mode: 'full', rows: await write('all') };
  }
  const moved = previous.windowEnd.getTime() !== end.getTime();
  if (moved) {
    await query(`delete from experiment_user_values where assigned_at < ?::timestamptz`, [start]);
    // Events dated between the old end and the new one, received before the last watermark: they now count. Such an
    // event was received at most maxEventFutureMs before its time (ingestion refuses others), hence after `bound`.
    const bound = new Date(previous.windowEnd.getTime() - LIMITS.maxEventFutureMs - 3_600_000);
    await query(SETTLE_EVENTS, [bound, previous.mark, previous.windowEnd, end, lt]);
  }
  // Events received since the last watermark, for users who already have values (before new users are added:
  // theirs include these events already).
  await query(SETTLE_EVENTS, [previous.mark, mark, start, end, lt]);
  await insertNewUsers(run);
  await query(FILL_TAIL, [mark, end, lt]);
  await query(NOTE_TAIL_USERS);
  const [changed] = await query<{ n: number | string }>(`select count(*) as n from rollup_changed_users`);
  const users = Number(changed?.n ?? 0);
  if (moved) return { mode: 'incremental', rows: await write('all'), recomputed: users };
  if (users === 0) return { mode: 'incremental', rows: 0, recomputed: 0 };
  await query(NOTE_CHANGED_EXPERIMENTS);
  return { mode: 'incremental', rows: await write('changed'), recomputed: users };
}
