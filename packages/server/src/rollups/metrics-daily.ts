/**
 * The metrics job's sums, grouped once per first-exposure day and summed from there into the window rows.
 *
 * The capped per-user values (catalog_capped, one row per exposed user × metric × window length) are the job's largest
 * table; reading them once, grouped by window, experiment, variant, metric and the UTC day of each user's first
 * exposure, gives a small table (catalog_daily: days × variants × metrics) from which both row sets follow:
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
 */
const CREATE_DAILY = `
create temporary table catalog_daily on commit drop as
with ratio_parts as (
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
select e.key as experiment_key, c.days as window_days, c.variant, c.metric_key, ${dayOf('c.first_exposure')} as day,
       c.since as window_start, count(*) as exposed_users, sum(c.post) as value_sum,
       sum(c.post * c.post) as value_sum_squares, 0::float8 as den_sum, 0::float8 as den_sum_squares,
       0::float8 as value_den_sum_of_products, sum(c.pre) as pre_sum, sum(c.pre * c.pre) as pre_sum_squares,
       sum(c.post * c.pre) as value_pre_sum_of_products
  from catalog_capped c join experiments e on e.id = c.experiment_id
 group by e.key, c.days, c.since, c.variant, c.metric_key, 5
union all
select e.key, u.days, u.variant, u.metric_key, u.day, u.since, count(*), sum(u.num), sum(u.num * u.num), sum(u.den),
       sum(u.den * u.den), sum(u.num * u.den), 0, 0, 0
  from ratio_users u join experiments e on e.id = u.experiment_id
 group by e.key, u.days, u.since, u.variant, u.metric_key, u.day
union all
select e.key, w.days, x.variant, '$exposure', ${dayOf('x.first_exposure')}, w.since, count(*), 0, 0, 0, 0, 0, 0, 0, 0
  from catalog_exposed x
  join catalog_windows w on x.first_exposure >= w.since
  join experiments e on e.id = x.experiment_id
 group by e.key, w.days, w.since, x.variant, 5`;

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
 * catalog_exposed, catalog_windows and catalog_capped (which carries each user's first_exposure). Returns the window
 * rows written.
 */
export async function writeCatalogRows(run: JobRun): Promise<number> {
  const { runId, window, query } = run;
  await query(CREATE_DAILY);
  const rows = await run.countRows(INSERT_WINDOWS, [window.end, runId]);
  await query(INSERT_DAYS, [window.end, runId]);
  return rows;
}
