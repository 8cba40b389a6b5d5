/**
 * The experiments job: per window length × experiment × variant × metric, for users assigned inside each window,
 * assigned users (stored in the internal column `exposed_users`; the pseudo-metric '$exposed' carries them), users
 * with a value > 0, and the sum and sum of squares of per-user values. A user's value for a metric is the sum over
 * their events of that name at or after their assignment and before the window end, of `properties.value` when it
 * is a number, else 1 (a count). Metrics are the steps of every funnel.
 *
 * Per-user values are the same for every window length (all windows end together), so they are kept: in
 * experiment_user_values, the settled part of each value (events received before the run's watermark), and for the
 * events received since, a tail recomputed by every run. Each assignment has a '$exposed' row and a row per metric
 * it has settled events of: a metric without a row is 0, so users without events cost no writes. A full run computes
 * the values and the rollup rows from them in one statement. An incremental run adds to the settled values the events
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

/** The metrics: every funnel step. A WITH item. */
const METRICS = `metrics as (select distinct jsonb_array_elements_text(steps) as metric from funnels)`;

/** What an event adds to its user's value. */
const EVENT_VALUE = `case when jsonb_typeof(l.properties -> 'value') = 'number' then (l.properties ->> 'value')::float8
                          else 1 end`;

const CREATE_TEMPORARY = [
  `create temporary table rollup_changed_users (user_id varchar(256) primary key) on commit drop`,
  `create temporary table rollup_changed_experiments (experiment_id uuid primary key) on commit drop`,
  `create temporary table rollup_new_assignments (experiment_id uuid not null, user_id varchar(256) not null,
     variant varchar(128) not null, assigned_at timestamptz not null) on commit drop`,
  `create temporary table rollup_tail (user_id varchar(256) not null, experiment_id uuid not null,
     metric varchar(128) not null, variant varchar(128) not null, assigned_at timestamptz not null,
     value double precision not null, primary key (user_id, experiment_id, metric)) on commit drop`,
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
 * The new assignments' events, summed per assignment and metric in one hash join of the metrics' events to the new
 * assignments (a left join per assignment × metric would probe the event log, every day partition of it, once per
 * pair): the settled part (received before the watermark) and the tail. WITH items. Params: mark, mark, end.
 */
const SUMMED = `${METRICS}, summed as (
  select x.user_id, x.experiment_id, l.name as metric, x.variant, x.assigned_at,
         sum(${EVENT_VALUE}) filter (where l.received_at < ?::timestamptz) as settled,
         sum(${EVENT_VALUE}) filter (where l.received_at >= ?::timestamptz) as tail
    from rollup_new_assignments x
    join event_logs l on l.user_id = x.user_id and l.occurred_at >= x.assigned_at and l.occurred_at < ?::timestamptz
   where l.name in (select metric from metrics)
   group by x.user_id, x.experiment_id, l.name, x.variant, x.assigned_at
)`;

/**
 * Stores the new assignments' rows: '$exposed', and the settled value of each metric they have settled events of. Rows
 * go in key order, so the primary key's inserts walk its leaves in order. A WITH item after SUMMED.
 */
const STORE_NEW = `stored as (
  insert into experiment_user_values (user_id, experiment_id, metric, variant, assigned_at, settled_value)
  select user_id, experiment_id, metric, variant, assigned_at, settled_value
    from (select user_id, experiment_id, metric, variant, assigned_at, settled as settled_value
            from summed where settled is not null
          union all
          select user_id, experiment_id, '$exposed', variant, assigned_at, 0 from rollup_new_assignments) rows
   order by user_id, experiment_id, metric
)`;

/** An incremental run's new users: their rows, nothing else (the tail comes from FILL_TAIL). Params: SUMMED's. */
const INSERT_NEW_USERS = `with ${SUMMED}, ${STORE_NEW} select 1`;

/** Every new assignment got rows: its user changed. */
const NOTE_NEW_USERS = `insert into rollup_changed_users (user_id) select distinct user_id from rollup_new_assignments
on conflict do nothing`;

/**
 * Adds to the settled values the events received in [from, to) and dated in [dated from, end), making the rows of
 * metrics the user had no settled events of yet; notes their users as changed. Params: from, to, dated from, end, lt.
 */
const SETTLE_EVENTS = `
with ${METRICS}, added as (
  select x.user_id, x.experiment_id, l.name as metric, x.variant, x.assigned_at, sum(${EVENT_VALUE}) as value
    from event_logs l
    join experiment_user_values x on x.user_id = l.user_id and x.metric = '$exposed'
   where l.received_at >= ?::timestamptz and l.received_at < ?::timestamptz
     and l.occurred_at >= greatest(x.assigned_at, ?::timestamptz) and l.occurred_at < ?::timestamptz
     and l.name in (select metric from metrics) and ${unlessLoadTestUser('l.user_id')}
   group by x.user_id, x.experiment_id, l.name, x.variant, x.assigned_at
), updated as (
  insert into experiment_user_values as v (user_id, experiment_id, metric, variant, assigned_at, settled_value)
  select user_id, experiment_id, metric, variant, assigned_at, value from added
  on conflict (user_id, experiment_id, metric) do update set settled_value = v.settled_value + excluded.settled_value
  returning v.user_id
)
insert into rollup_changed_users (user_id) select distinct user_id from updated on conflict do nothing`;

/** The values of events received at or after the watermark, recomputed by every run. Params: mark, end, lt. */
const FILL_TAIL = `
with ${METRICS}
insert into rollup_tail (user_id, experiment_id, metric, variant, assigned_at, value)
select x.user_id, x.experiment_id, l.name, x.variant, x.assigned_at, sum(${EVENT_VALUE}) as value
  from event_logs l
  join experiment_user_values x on x.user_id = l.user_id and x.metric = '$exposed'
 where l.received_at >= ?::timestamptz and l.occurred_at >= x.assigned_at and l.occurred_at < ?::timestamptz
   and l.name in (select metric from metrics) and ${unlessLoadTestUser('l.user_id')}
 group by x.user_id, x.experiment_id, l.name, x.variant, x.assigned_at`;

const NOTE_TAIL_USERS = `insert into rollup_changed_users (user_id) select distinct user_id from rollup_tail
on conflict do nothing`;

const NOTE_CHANGED_EXPERIMENTS = `
insert into rollup_changed_experiments (experiment_id)
select distinct experiment_id from experiment_user_values where user_id in (select user_id from rollup_changed_users)`;

const WINDOW_ROWS = `(window_days = ?::int or (window_days <= ?::int and window_days = any(array[${STANDARD_WINDOWS}])))`;

/** The window lengths a run computes, shortest first. */
const lengthsOf = (windowDays: number) =>
  [...new Set([...STANDARD_WINDOW_DAYS.filter((d) => d <= windowDays), windowDays])].sort((x, y) => x - y);

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
 * Rollup rows from `exposed` (experiment_id, variant, assigned_at: one row per assignment) and `valued`
 * (experiment_id, variant, metric, assigned_at, value: one row per assignment and metric it has events of; a missing
 * one is 0), all window lengths at once: every row is counted in the shortest window holding its assignment (its
 * bucket), a hash aggregate of a few hundred groups, and each window sums the buckets up to its length. Joined to
 * every window instead, a row was counted up to six times, and the planner, unable to count the groups, sorted them
 * to disk. WITH items then the insert, counted. Params: end, run id.
 */
const rollupRows = (windowDays: number) => {
  const lengths = lengthsOf(windowDays);
  const bucket = (column: string) =>
    `case ${lengths.map((d) => `when ${column} >= b.window_end - make_interval(days => ${d}) then ${d}`).join(' ')} end`;
  return `bounds as (select ?::timestamptz as window_end
), lengths (days) as (values ${lengths.map((d) => `(${d})`).join(', ')}
), per_bucket as (
  select v.experiment_id, v.variant, ${bucket('v.assigned_at')} as bucket, v.metric,
         count(*) filter (where v.value > 0) as converted, sum(v.value) as value_sum,
         sum(v.value * v.value) as value_sum_squares
    from valued v cross join bounds b
   group by 1, 2, 3, 4
), sums as (
  select p.experiment_id, p.variant, w.days, p.metric, sum(p.converted) as converted, sum(p.value_sum) as value_sum,
         sum(p.value_sum_squares) as value_sum_squares
    from per_bucket p join lengths w on p.bucket <= w.days
   group by 1, 2, 3, 4
), cells as (
  select x.experiment_id, x.variant, w.days, sum(x.n) as users
    from (select x.experiment_id, x.variant, ${bucket('x.assigned_at')} as bucket, count(*) as n
            from exposed x cross join bounds b group by 1, 2, 3) x
    join lengths w on x.bucket <= w.days
   group by 1, 2, 3
), written as (
  insert into experiment_metric_rollups
    (experiment_key, window_days, variant, metric, window_start, window_end,
     exposed_users, converted_users, value_sum, value_sum_squares, run_id)
  select e.key, c.days, c.variant, m.metric, b.window_end - make_interval(days => c.days), b.window_end,
         c.users, coalesce(s.converted, 0), coalesce(s.value_sum, 0), coalesce(s.value_sum_squares, 0), ?::bigint
    from cells c
    cross join bounds b
    join ${SUBJECTS} e on e.id = c.experiment_id
    cross join (select metric from metrics union all select '$exposed') m
    left join sums s on s.experiment_id = c.experiment_id and s.variant = c.variant and s.days = c.days
                    and s.metric = m.metric
  returning 1
)
select count(*) as n from written`;
};

/**
 * A full run in one statement: the new assignments' (every one's) values, stored, and the rollup rows from them plus
 * their tail, without reading the stored rows back. Params: end, mark, mark (SUMMED), end, run id.
 */
const fullRun = (windowDays: number) => `
with ${SUMMED}, ${STORE_NEW}, exposed as (
  select experiment_id, variant, assigned_at from rollup_new_assignments
), valued as (
  select experiment_id, variant, metric, assigned_at, coalesce(settled, 0) + coalesce(tail, 0) as value from summed
), ${rollupRows(windowDays)}`;

/**
 * Rollup rows from the stored values (settled + tail) of every experiment or of the changed ones. Params: end, run id.
 */
const aggregate = (scope: 'all' | 'changed', windowDays: number) => {
  const only = scope === 'changed' ? 'and experiment_id in (select experiment_id from rollup_changed_experiments)' : '';
  return `
with ${METRICS}, exposed as (
  select experiment_id, variant, assigned_at from experiment_user_values where metric = '$exposed' ${only}
), valued as (
  select coalesce(v.experiment_id, t.experiment_id) as experiment_id, coalesce(v.variant, t.variant) as variant,
         coalesce(v.metric, t.metric) as metric, coalesce(v.assigned_at, t.assigned_at) as assigned_at,
         coalesce(v.settled_value, 0) + coalesce(t.value, 0) as value
    from (select * from experiment_user_values where metric <> '$exposed' ${only}) v
    full join (select * from rollup_tail where true ${only}) t
      on t.user_id = v.user_id and t.experiment_id = v.experiment_id and t.metric = v.metric
), ${rollupRows(windowDays)}`;
};

const countOf = (rows: Array<{ n: number | string }>) => Number(rows[0]?.n ?? 0);

/**
 * Finds the assignments without values; true when there are any, analysed (the joins over them would otherwise be
 * planned for a guess).
 */
async function findNewAssignments({ query, window, includeLoadTestUsers }: JobRun): Promise<boolean> {
  const range = [window.start, window.end, includeLoadTestUsers];
  await query(FIND_NEW_ASSIGNMENTS, [...range, ...range]);
  const [found] = await query<{ n: number | string }>(`select count(*) as n from rollup_new_assignments`);
  if (Number(found?.n ?? 0) === 0) return false;
  await query(`analyze rollup_new_assignments`);
  return true;
}

export async function runExperimentsJob(run: JobRun): Promise<JobRunResult> {
  const { query, window, runId, mark, includeLoadTestUsers: lt, previous } = run;
  const { start, end, windowDays: days } = window;
  const write = async (scope: 'all' | 'changed') => {
    await query(deleteRows(scope), [days, days]);
    return countOf(await query(aggregate(scope, days), [end, runId]));
  };
  for (const sql of CREATE_TEMPORARY) await query(sql);
  if (!previous) {
    // Truncate, not delete: a delete leaves every old row dead in the table and both indexes until vacuum, and each
    // full run's inserts then wade through them. Only this job (under its lock) reads the table, so its exclusive
    // lock until commit blocks no one.
    await query(`truncate experiment_user_values`);
    await query(deleteRows('all'), [days, days]);
    if (!(await findNewAssignments(run))) return { mode: 'full', rows: 0 };
    return { mode: 'full', rows: countOf(await query(fullRun(days), [mark, mark, end, end, runId])) };
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
  if (await findNewAssignments(run)) {
    await query(INSERT_NEW_USERS, [mark, mark, end]);
    await query(NOTE_NEW_USERS);
  }
  await query(FILL_TAIL, [mark, end, lt]);
  await query(NOTE_TAIL_USERS);
  const [changed] = await query<{ n: number | string }>(`select count(*) as n from rollup_changed_users`);
  const users = Number(changed?.n ?? 0);
  if (moved) return { mode: 'incremental', rows: await write('all'), recomputed: users };
  if (users === 0) return { mode: 'incremental', rows: 0, recomputed: 0 };
  await query(NOTE_CHANGED_EXPERIMENTS);
  return { mode: 'incremental', rows: await write('changed'), recomputed: users };
}
