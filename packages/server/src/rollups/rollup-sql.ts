/**
 * The SQL of running rollup jobs: session settings, the job locks, the run log and the watermarks incremental runs
 * start from. Each job's own statements live with it (daily-job.ts, experiments-job.ts, funnels-job.ts).
 * Placeholders: ? in order, documented above each statement.
 */

/** Memory per sort or hash of a rollup run (a run is one backend; its parallel workers get as much each). */
const ROLLUP_WORK_MEM = '64MB';

/**
 * PostgreSQL: the run's session settings (statement timeout, no lock timeout, application name, memory enough for a
 * job's hash joins and aggregates over a window's events not to spill to disk — the server default of 4 MB suits
 * requests —, and no JIT: the planner's estimates of a job's joins are large, and compiling them cost more than it
 * saved, about 0.9 s per statement at 300k events) and who it is (pid and transaction start, so an abort cancels exactly this transaction's
 * statement). All local to the run's transaction. Params: statement timeout in ms as text, application name.
 */
export const RUN_SESSION = `select pg_backend_pid() as pid, now()::text as xact_start, set_config('statement_timeout', ?, true),
       set_config('lock_timeout', '0', true), set_config('application_name', ?, true),
       set_config('work_mem', '${ROLLUP_WORK_MEM}', true), set_config('jit', 'off', true)`;

/** The job's advisory lock without waiting. Params: lock key. */
export const TRY_LOCK = 'select pg_try_advisory_xact_lock(?) as ok';

/** The job's advisory lock, waiting for it. Params: lock key. */
export const WAIT_LOCK = 'select pg_advisory_xact_lock(?)';

/**
 * Records a started run. clock_timestamp(): the time after the lock was granted, so recorded runs of one job never
 * overlap. Params: job, window start, window end.
 */
export const RUN_START = `insert into rollup_runs (job, window_start, window_end, started_at) values (?, ?, ?, clock_timestamp()) returning id`;

/** Marks a run succeeded. Params: rows written, mode, run id. */
export const RUN_SUCCEEDED = `update rollup_runs set status = 'succeeded', ended_at = clock_timestamp(), rows_written = ?, mode = ?
  where id = ?`;

/**
 * The job's configuration now (from the job's config statement) next to its watermark: the last successful run's
 * transaction time, window and configuration. Params: the config statement's, job.
 */
export const readWatermark = (configSql: string) => `
select c.config::text as config, w.received_before, w.window_start, w.window_end, coalesce(w.config = c.config, false) as same
  from (${configSql}) c left join rollup_watermarks w on w.job = ?`;

/** Params: job, watermark, window start, window end, config (jsonb text). */
export const WRITE_WATERMARK = `
insert into rollup_watermarks (job, received_before, window_start, window_end, config, updated_at)
values (?, ?, ?, ?, ?::jsonb, clock_timestamp())
on conflict (job) do update set received_before = excluded.received_before, window_start = excluded.window_start,
  window_end = excluded.window_end, config = excluded.config, updated_at = excluded.updated_at`;

/** The daily job's configuration. Params: window days, include load-test users. */
export const DAILY_CONFIG = `select jsonb_build_object('window_days', ?::int, 'load_test_users', ?::boolean) as config`;

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

const CATALOG_SUMS = `exposed_users::text, value_sum::text, value_sum_squares::text, den_sum::text,
  den_sum_squares::text, value_den_sum_of_products::text, pre_sum::text, pre_sum_squares::text,
  value_pre_sum_of_products::text`;

/** The data columns of a job's rollup rows (no run ids or timestamps), in a stable order, for idempotency checks. */
export const SNAPSHOTS = {
  daily: `select to_char(day, 'YYYY-MM-DD') as day, event_name, events::text, unique_users::text
            from daily_metric_rollups order by day, event_name`,
  experiments: `select experiment_key, window_days, variant, metric, exposed_users::text, converted_users::text,
                       value_sum::text, value_sum_squares::text, window_start::text, window_end::text
                  from experiment_metric_rollups order by experiment_key, window_days, variant, metric`,
  funnels: `select funnel_name, to_char(day, 'YYYY-MM-DD') as day, step_index, step_name, users::text
              from funnel_rollups order by funnel_name, day, step_index`,
  // The window rows (day null) and their first-exposure days.
  metrics: `select experiment_key, window_days, variant, metric_key, null as day, ${CATALOG_SUMS}
              from experiment_catalog_rollups
            union all
            select experiment_key, window_days, variant, metric_key, to_char(day, 'YYYY-MM-DD'), ${CATALOG_SUMS}
              from experiment_catalog_daily_rollups
             order by experiment_key, window_days, variant, metric_key, day`,
} as const;
