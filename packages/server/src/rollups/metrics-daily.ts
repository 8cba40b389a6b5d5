/**
 * The metrics job's sums, grouped once per first-exposure day and summed from there into the window rows.
 *
 * The per-user values (catalog_values, one row per exposed user × metric) are the job's largest table; reading them
 * once, capped and grouped by window, experiment, variant, metric and the UTC day of each user's first exposure, gives a
 * small table (catalog_daily: days × variants × metrics) from which both row sets follow:
 * - experiment_catalog_daily_rollups: its rows as they are. A user is in exactly one day, so the rows up to a day are
 *   the summaries of the users exposed by its end, the input of the cumulative effect series
 *   (services/catalog-series.ts). Each user's value is the latest run's, with the window's caps.
 * - experiment_catalog_rollups: the days of each window summed, in day order, which is the order the series adds them
 *   in, so a series' last point is its window row to the last bit.
 *
 * Old rows need no delete of their own: a day's row references its window row (on delete cascade, migration 0014), so
 * the job's delete of the window's rows takes their days along, and released experiments keep both.
 */
import { ROLLUP_NUMBERS as SUMS } from '../storage/metric-store.js';
import type { JobRun } from './job-run.js';

/** The UTC day of a timestamptz column. */
const dayOf = (column: string) => `(${column} at time zone 'UTC')::date`;

/**
 * Per window, experiment, variant, metric and first-exposure day: base metrics (with CUPED sums), ratios (numerator and
 * denominator per user side by side) and the exposed users (metric_key '$exposure').
 *
 * A user's value is the same in every window holding them unless its metric is capped at a percentile (each window has
 * its own cap), and a window holds whole first-exposure days: so the values of uncapped and absolute-capped metrics,
 * and the exposed users, are grouped once by day and each day's sums go to every window holding the day; only
 * percentile-capped values and ratio users (whose parts may be) are capped and grouped per window.
 */
const CREATE_DAILY = `
create temporary table catalog_daily on commit drop as
with windows as (
  select days, since, ${dayOf('since')} as since_day from catalog_windows
), ratio_parts as (
  select e.id as experiment_id, m.key as metric_key, m.numerator, m.denominator
    from experiments e join metrics m on m.kind = 'ratio'
     and e.metrics @> jsonb_build_array(jsonb_build_object('key', m.key))
   where e.released_at is null
), ratio_users as (
  select r.metric_key, v.experiment_id, v.variant, v.first_exposure, r.numerator, r.denominator,
         coalesce(sum(v.post) filter (where v.metric_key = r.numerator), 0) as num,
         coalesce(sum(v.post) filter (where v.metric_key = r.denominator), 0) as den,
         -- A part's absolute cap (its percentile caps are the window's, joined below).
         min(v.cap_value) filter (where v.metric_key = r.numerator and v.cap_type = 'absolute') as num_cap,
         min(v.cap_value) filter (where v.metric_key = r.denominator and v.cap_type = 'absolute') as den_cap
    from ratio_parts r
    join catalog_values v on v.experiment_id = r.experiment_id and v.metric_key in (r.numerator, r.denominator)
   group by r.metric_key, r.numerator, r.denominator, v.experiment_id, v.variant, v.exposure_id, v.first_exposure
), fixed_days as (
  select v.experiment_id, v.variant, v.metric_key, ${dayOf('v.first_exposure')} as day, count(*) as n,
         sum(c.post) as s, sum(c.post * c.post) as q, sum(c.pre) as p, sum(c.pre * c.pre) as pq, sum(c.post * c.pre) as x
    from catalog_values v
   cross join lateral (select least(v.post, v.cap_value) as post, least(v.pre, v.cap_value) as pre) c
   where v.cap_type is distinct from 'percentile'
   group by v.experiment_id, v.variant, v.metric_key, 4
), exposed_days as (
  select experiment_id, variant, ${dayOf('first_exposure')} as day, count(*) as n
    from catalog_exposed group by experiment_id, variant, 3
)
select e.key as experiment_key, w.days as window_days, f.variant, f.metric_key, f.day, w.since as window_start,
       f.n as exposed_users, f.s as value_sum, f.q as value_sum_squares, 0::float8 as den_sum,
       0::float8 as den_sum_squares, 0::float8 as value_den_sum_of_products, f.p as pre_sum, f.pq as pre_sum_squares,
       f.x as value_pre_sum_of_products
  from fixed_days f join windows w on f.day >= w.since_day join experiments e on e.id = f.experiment_id
union all
select e.key, w.days, v.variant, v.metric_key, ${dayOf('v.first_exposure')}, w.since, count(*), sum(c.post),
       sum(c.post * c.post), 0, 0, 0, sum(c.pre), sum(c.pre * c.pre), sum(c.post * c.pre)
  from catalog_values v
  join windows w on v.first_exposure >= w.since
  join catalog_caps k on k.days = w.days and k.experiment_id = v.experiment_id and k.metric_key = v.metric_key
  join experiments e on e.id = v.experiment_id
 cross join lateral (select least(v.post, k.cap) as post, least(v.pre, k.cap) as pre) c
 where v.cap_type = 'percentile'
 group by e.key, w.days, w.since, v.variant, v.metric_key, 5
union all
select e.key, w.days, u.variant, u.metric_key, ${dayOf('u.first_exposure')}, w.since, count(*), sum(c.num),
       sum(c.num * c.num), sum(c.den), sum(c.den * c.den), sum(c.num * c.den), 0, 0, 0
  from ratio_users u
  join windows w on u.first_exposure >= w.since
  join experiments e on e.id = u.experiment_id
  -- least() ignores a null cap: a part without one keeps its value.
  left join catalog_caps kn on kn.days = w.days and kn.experiment_id = u.experiment_id and kn.metric_key = u.numerator
  left join catalog_caps kd on kd.days = w.days and kd.experiment_id = u.experiment_id and kd.metric_key = u.denominator
 cross join lateral (select least(u.num, u.num_cap, kn.cap) as num, least(u.den, u.den_cap, kd.cap) as den) c
 group by e.key, w.days, w.since, u.variant, u.metric_key, 5
union all
select e.key, w.days, x.variant, '$exposure', x.day, w.since, x.n, 0, 0, 0, 0, 0, 0, 0, 0
  from exposed_days x join windows w on x.day >= w.since_day join experiments e on e.id = x.experiment_id`;

const KEYS = 'experiment_key, window_days, variant, metric_key, window_start';

/** The window rows: each window's days summed in day order. Params: end, run id. */
const INSERT_WINDOWS = `
insert into experiment_catalog_rollups (${KEYS}, window_end, ${SUMS.join(', ')}, run_id)
select ${KEYS}, ?::timestamptz, ${SUMS.map((s) => `sum(${s} order by day)`).join(', ')}, ?::bigint
  from catalog_daily
 group by ${KEYS}`;

/** The daily rows as grouped. Params: end, run id. */
const INSERT_DAYS = `
insert into experiment_catalog_daily_rollups (${KEYS}, day, window_end, ${SUMS.join(', ')}, run_id)
select ${KEYS}, day, ?::timestamptz, ${SUMS.join(', ')}, ?::bigint
  from catalog_daily`;

/**
 * Writes the run's window rows and then their days (a day's row references its window row). Reads the temporary tables
 * catalog_exposed, catalog_values, catalog_windows and catalog_caps. Returns the window rows written.
 */
export async function writeCatalogRows(run: JobRun): Promise<number> {
  const { runId, window, query } = run;
  await query(CREATE_DAILY);
  const rows = await run.countRows(INSERT_WINDOWS, [window.end, runId]);
  await query(INSERT_DAYS, [window.end, runId]);
  return rows;
}
