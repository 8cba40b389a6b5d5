import { LOAD_TEST_USER_PREFIX, STANDARD_WINDOW_DAYS } from '@ab-calicritters/core';

// Experiment results are per window length (per-user values are not additive across days), so the experiments job
// computes these standard lengths up to the requested one, plus the requested one itself. A constant list in the SQL
// text, so the planner knows how many windows there are.
const STANDARD_WINDOWS = STANDARD_WINDOW_DAYS.join(', ');

/**
 * Keeps `column`'s rows unless they belong to a load-test user, or load-test users are included: one boolean
 * parameter (true: include). The prefix is a constant, so it is written into the SQL text.
 */
const unlessLoadTestUser = (column: string) => `(?::boolean or not starts_with(${column}, '${LOAD_TEST_USER_PREFIX}'))`;

/**
 * The set-based SQL of each rollup job. Each statement reads event_logs (and definitions) once and writes its rows
 * in one INSERT … SELECT; the runner wraps delete + insert in one transaction, so a rerun rewrites the same rows.
 * Placeholders: ? in order, documented above each statement.
 */

/**
 * Per UTC day × event name (plus '$all' for all events): events and distinct users. Params: run id, start, end,
 * include load-test users.
 */
export const DAILY_ROLLUP = `
insert into daily_metric_rollups (day, event_name, events, unique_users, run_id)
select day, coalesce(name, '$all'), count(*), count(distinct user_id), ?::bigint
  from (select (occurred_at at time zone 'UTC')::date as day, name, user_id
          from event_logs
         where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz and ${unlessLoadTestUser('user_id')}) e
 group by grouping sets ((day, name), (day))`;

export const DAILY_DELETE = `delete from daily_metric_rollups where day >= ?::date and day < ?::date`;

/**
 * Per window length × experiment × variant × metric, for users assigned inside each window: assigned users (stored
 * in the internal column `exposed_users`), users with a value > 0, and the sum and sum of squares of per-user
 * values. A user's value for a metric is the sum over their events of that name at or after their assignment and
 * before the window end, of `properties.value` when it is a number, else 1 (a count). Metrics are the steps of
 * every funnel; the internal pseudo-metric '$exposed' carries the assigned-user counts.
 * All window lengths are computed in one statement (one pass of planning and of the assignment join).
 * Params: end, window days, window days, end, include load-test users, end, end, run id.
 */
export const EXPERIMENT_ROLLUP = `
with windows as (
  select d as days, ?::timestamptz - make_interval(days => d) as since
    from (select unnest(array[${STANDARD_WINDOWS}]) as d union select ?::int) lengths
   where d <= ?::int
), assigned as (
  select w.days, w.since, e.key as experiment_key, a.variant, a.user_id, a.assigned_at
    from assignments a
    join experiments e on e.id = a.experiment_id
    join windows w on a.assigned_at >= w.since and a.assigned_at < ?::timestamptz
   where ${unlessLoadTestUser('a.user_id')}
), metrics as (
  select distinct jsonb_array_elements_text(steps) as metric from funnels
), per_user as (
  select x.days, x.since, x.experiment_key, x.variant, x.user_id, m.metric,
         coalesce(sum(case when l.event_id is null then 0
                           when jsonb_typeof(l.properties -> 'value') = 'number' then (l.properties ->> 'value')::float8
                           else 1 end), 0) as value
    from assigned x
    cross join metrics m
    left join event_logs l
      on l.user_id = x.user_id and l.name = m.metric
     and l.occurred_at >= x.assigned_at and l.occurred_at < ?::timestamptz
   group by 1, 2, 3, 4, 5, 6
  union all
  select days, since, experiment_key, variant, user_id, '$exposed', 0 from assigned
)
insert into experiment_metric_rollups
  (experiment_key, window_days, variant, metric, window_start, window_end,
   exposed_users, converted_users, value_sum, value_sum_squares, run_id)
select experiment_key, days, variant, metric, since, ?::timestamptz,
       count(*), count(*) filter (where value > 0), sum(value), sum(value * value), ?::bigint
  from per_user
 group by experiment_key, days, since, variant, metric`;

export const EXPERIMENT_DELETE = `delete from experiment_metric_rollups
 where window_days = ?::int or (window_days <= ?::int and window_days = any(array[${STANDARD_WINDOWS}]))`;

/**
 * Per funnel × entry day × step: users who did the steps in order, each step at or after the previous one and all
 * within conversion_window_hours of the user's first step-one event in the window (their entry). Earliest-next-step
 * matching is optimal for in-order funnels, so the recursive walk finds every user who could complete a step.
 * Archived funnels are left out. Params: start, end, include load-test users, run id.
 */
export const FUNNEL_ROLLUP = `
with recursive defs as (
  select name, steps, jsonb_array_length(steps) as step_count,
         make_interval(hours => conversion_window_hours) as window_len
    from funnels
   where archived_at is null
), entry as (
  select d.name as funnel_name, l.user_id, min(l.occurred_at) as t0
    from defs d
    join event_logs l on l.name = d.steps ->> 0
   where l.occurred_at >= ?::timestamptz and l.occurred_at < ?::timestamptz and ${unlessLoadTestUser('l.user_id')}
   group by 1, 2
), walk (funnel_name, user_id, t0, step_index, t) as (
  select funnel_name, user_id, t0, 0, t0 from entry
  union all
  select w.funnel_name, w.user_id, w.t0, w.step_index + 1, next_step.t
    from walk w
    join defs d on d.name = w.funnel_name
    cross join lateral (
      select min(l.occurred_at) as t
        from event_logs l
       where l.user_id = w.user_id and l.name = d.steps ->> (w.step_index + 1)
         and l.occurred_at >= w.t and l.occurred_at <= w.t0 + d.window_len
    ) next_step
   where w.step_index + 1 < d.step_count and next_step.t is not null
)
insert into funnel_rollups (funnel_name, day, step_index, step_name, users, run_id)
select w.funnel_name, (w.t0 at time zone 'UTC')::date, w.step_index, d.steps ->> w.step_index, count(*), ?::bigint
  from walk w join defs d on d.name = w.funnel_name
 group by w.funnel_name, 2, w.step_index, d.steps ->> w.step_index`;

/** An archived funnel is no longer computed, and its rows are kept for the record. Params: start, end. */
export const FUNNEL_DELETE = `delete from funnel_rollups where day >= ?::date and day < ?::date
   and funnel_name not in (select name from funnels where archived_at is not null)`;

/**
 * PostgreSQL: the run's session settings (statement timeout, no lock timeout, application name) and who it is (pid
 * and transaction start, so an abort cancels exactly this transaction's statement). Params: statement timeout in ms
 * as text, application name.
 */
export const RUN_SESSION = `select pg_backend_pid() as pid, now()::text as xact_start, set_config('statement_timeout', ?, true),
       set_config('lock_timeout', '0', true), set_config('application_name', ?, true)`;

/** The job's advisory lock without waiting. Params: lock key. */
export const TRY_LOCK = 'select pg_try_advisory_xact_lock(?) as ok';

/** The job's advisory lock, waiting for it. Params: lock key. */
export const WAIT_LOCK = 'select pg_advisory_xact_lock(?)';

/**
 * Records a started run. clock_timestamp(): the time after the lock was granted, so recorded runs of one job never
 * overlap. Params: job, window start, window end.
 */
export const RUN_START = `insert into rollup_runs (job, window_start, window_end, started_at) values (?, ?, ?, clock_timestamp()) returning id`;

/** Marks a run succeeded. Params: rows written, run id. */
export const RUN_SUCCEEDED = `update rollup_runs set status = 'succeeded', ended_at = clock_timestamp(), rows_written = ? where id = ?`;

/** Records a failed run (its transaction rolled back). Params: job, window start, window end, started at, error. */
export const RUN_FAILED = `insert into rollup_runs (job, window_start, window_end, started_at, ended_at, status, error)
     values (?, ?, ?, ?, clock_timestamp(), 'failed', ?)`;

/** Cancels the statement of one backend while it is still in the same transaction. Params: pid, transaction start. */
export const CANCEL_BACKEND = `select pg_cancel_backend(pid) from pg_stat_activity where pid = ? and xact_start = ?::timestamptz`;

/**
 * The session holding an advisory lock (a single bigint key is classid = high half, objid = low half, objsubid = 1).
 * Params: lock key.
 */
export const LOCK_HOLDER = `select a.pid, a.application_name, host(a.client_addr) as client_addr, a.state, a.xact_start, a.query_start
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = ? and l.objsubid = 1
        and l.database = (select oid from pg_database where datname = current_database())
      limit 1`;

/** The data columns of a job's rollup rows (no run ids or timestamps), in a stable order, for idempotency checks. */
export const SNAPSHOTS = {
  daily: `select to_char(day, 'YYYY-MM-DD') as day, event_name, events::text, unique_users::text
            from daily_metric_rollups order by day, event_name`,
  experiments: `select experiment_key, window_days, variant, metric, exposed_users::text, converted_users::text,
                       value_sum::text, value_sum_squares::text, window_start::text, window_end::text
                  from experiment_metric_rollups order by experiment_key, window_days, variant, metric`,
  funnels: `select funnel_name, to_char(day, 'YYYY-MM-DD') as day, step_index, step_name, users::text
              from funnel_rollups order by funnel_name, day, step_index`,
} as const;
