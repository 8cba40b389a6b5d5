/**
 * The metrics job's rows per first-exposure day (experiment_catalog_daily_rollups): the window rows' sums split by the
 * UTC day of each user's first exposure, from the run's own temporary tables, so in the same transaction and with
 * the same caps (the window's). A user is in exactly one day, so the rows of all days add up to the window row in
 * every column, and the rows up to a day are the summaries of the users exposed by its end — the input of the
 * cumulative effect series (services/catalog-series.ts). Each user's value is the latest run's, like the window row's.
 *
 * Old rows need no delete of their own: a day's row references its window row (on delete cascade, migration 0014),
 * so the job's delete of the window's rows takes their days along, and released experiments keep both.
 */
import type { JobRun } from './job-run.js';

/** The UTC day of a timestamptz column. */
const dayOf = (column: string) => `(${column} at time zone 'UTC')::date`;

/**
 * Every daily row: base metrics (with CUPED sums), ratios (numerator and denominator per user side by side) and the
 * exposed users (metric_key '$exposure'). The windows are the ones this run wrote window rows for. Params: run id,
 * end, run id, end, run id, end, run id.
 */
const AGGREGATE_DAILY = `
with windows as (
  select distinct window_days as days, window_start as since from experiment_catalog_rollups where run_id = ?::bigint
), ratio_parts as (
  select e.id as experiment_id, m.key as metric_key, m.numerator, m.denominator
    from experiments e join metrics m on m.kind = 'ratio'
     and e.metrics @> jsonb_build_array(jsonb_build_object('key', m.key))
   where e.released_at is null
), ratio_users as (
  select r.metric_key, c.days, c.since, c.experiment_id, c.variant, ${dayOf('c.first_exposure')} as day,
         coalesce(sum(c.post) filter (where c.metric_key = r.numerator), 0) as num,
         coalesce(sum(c.post) filter (where c.metric_key = r.denominator), 0) as den
    from ratio_parts r
    join catalog_capped c on c.experiment_id = r.experiment_id and c.metric_key in (r.numerator, r.denominator)
   group by r.metric_key, c.days, c.since, c.experiment_id, c.variant, c.user_id, c.first_exposure
)
insert into experiment_catalog_daily_rollups
  (experiment_key, window_days, variant, metric_key, day, window_start, window_end, exposed_users, value_sum,
   value_sum_squares, den_sum, den_sum_squares, value_den_sum_of_products, pre_sum, pre_sum_squares,
   value_pre_sum_of_products, run_id)
select e.key, c.days, c.variant, c.metric_key, ${dayOf('c.first_exposure')}, c.since, ?::timestamptz, count(*),
       sum(c.post), sum(c.post * c.post), 0, 0, 0, sum(c.pre), sum(c.pre * c.pre), sum(c.post * c.pre), ?::bigint
  from catalog_capped c join experiments e on e.id = c.experiment_id
 group by e.key, c.days, c.since, c.variant, c.metric_key, 5
union all
select e.key, u.days, u.variant, u.metric_key, u.day, u.since, ?::timestamptz, count(*), sum(u.num),
       sum(u.num * u.num), sum(u.den), sum(u.den * u.den), sum(u.num * u.den), 0, 0, 0, ?::bigint
  from ratio_users u join experiments e on e.id = u.experiment_id
 group by e.key, u.days, u.since, u.variant, u.metric_key, u.day
union all
select e.key, w.days, x.variant, '$exposure', ${dayOf('x.first_exposure')}, w.since, ?::timestamptz, count(*),
       0, 0, 0, 0, 0, 0, 0, 0, ?::bigint
  from catalog_exposed x
  join windows w on x.first_exposure >= w.since
  join experiments e on e.id = x.experiment_id
 group by e.key, w.days, w.since, x.variant, 5`;

/**
 * Writes the run's daily rows; call after the window rows are in (a day's row references its window row). Reads the
 * temporary tables catalog_exposed and catalog_capped (which carries each user's first_exposure). Returns the rows
 * written.
 */
export function writeCatalogDailyRows(run: JobRun): Promise<number> {
  const { runId, window } = run;
  const end = window.end;
  return run.countRows(AGGREGATE_DAILY, [runId, end, runId, end, runId, end, runId]);
}
