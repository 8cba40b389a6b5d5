/**
 * The metrics job: per window length × experiment × variant × catalog metric the experiment names, the sums the
 * statistics need, over **exposed** users only (experiment_catalog_rollups). A user enters at their first exposure:
 * the earliest `$exposure` event (`{ experiment_key, variant }`, from the SDK or from `POST /v1/assignment` with
 * `exposed: true`) whose variant is the user's sticky assignment. Users assigned but never exposed, forced users (no
 * sticky row) and released experiments' users (none written) are not counted. A window counts the users first
 * exposed inside it.
 *
 * A user's value of a metric sums the events of the metric's name (and filter) in [first exposure, first exposure +
 * window_hours) and before the window end: 1 if any (`conversion`), their number (`count`), or the sum of a numeric
 * property (`sum`). CUPED's pre-exposure value is the same over [first exposure − cuped_lookback_days, first
 * exposure). Capping (absolute, or at a quantile of the exposed users of the experiment in that window, both arms
 * pooled so one cap serves both) caps each user's value from above, pre-exposure value too; negative values stay
 * as they are. A ratio row carries its numerator's sums, its denominator's, and their cross products.
 *
 * Every run recomputes the whole window set-based, through analysed temporary tables: the experiment × metric pairs;
 * each user's first exposure per variant (one grouped scan of the `$exposure` events), joined once to the sticky
 * rows; one value per exposed user × metric (one hash join of event_logs, grouped per user); the percentile caps per
 * window length (only percentile-capped values sorted); then one aggregation of the values, capped, by first-exposure
 * day (a ratio's numerator and denominator side by side per user, no self-join; only values capped at a percentile
 * are grouped per window), whose days sum to the window rows (metrics-daily.ts).
 * Its cost is linear in the `$exposure` events kept plus the events of the catalog's names in the window.
 */
import { STANDARD_WINDOW_DAYS } from '@ab-calicritters/core';
import { DAY_MS, unlessLoadTestUser, type JobRun, type JobRunResult } from './job-run.js';
import { writeCatalogRows } from './metrics-daily.js';

const STANDARD_WINDOWS = STANDARD_WINDOW_DAYS.join(', ');

/**
 * Memory per sort or hash of this job, for its transaction (above the runner's 64MB): its values are grouped per
 * exposed user × metric and joined back to every such pair, and at 3M events (1.9 M pairs, 900 000 groups) that took
 * about 200 MB per hash, so under 64MB the planner sorted 2 M rows on disk to group them and split the join in two
 * batches: 3.6× the time of 1M for 3× the events. The reference statement of bench/rollups.ts runs with the same.
 */
const METRICS_WORK_MEM = '256MB';

/** Every experiment × base metric to compute: the ones experiments name, and the parts of the ratios they name. */
const CREATE_PAIRS = `
create temporary table catalog_pairs on commit drop as
with refs as (
  select e.id as experiment_id, r.value ->> 'key' as metric_key
    from experiments e cross join lateral jsonb_array_elements(e.metrics) r
   where e.released_at is null
), wanted as (
  select experiment_id, metric_key from refs
  union
  select r.experiment_id, p.part
    from refs r join metrics m on m.key = r.metric_key and m.kind = 'ratio'
   cross join lateral (values (m.numerator), (m.denominator)) p(part)
)
-- The bounds and the filter as the values' join compares them, computed once per pair instead of once per event.
select row_number() over ()::int as pair_id, w.experiment_id, m.key as metric_key, m.kind, m.event, m.filter ->> 'property' as filter_property,
       m.filter -> 'equals' as filter_equals, case when m.kind = 'sum' then coalesce(m.property, 'value') end as property,
       make_interval(hours => m.window_hours) as window_length, make_interval(days => m.cuped_lookback_days) as lookback,
       m.capping ->> 'type' as cap_type, (m.capping ->> 'value')::float8 as cap_value, m.cuped_lookback_days
  from wanted w join metrics m on m.key = w.metric_key and m.kind <> 'ratio'`;

/**
 * Per user, experiment and exposed variant, the earliest `$exposure`: one grouped scan of the exposure events. Params:
 * end, lt.
 */
const CREATE_FIRST_SEEN = `
create temporary table catalog_first_seen on commit drop as
select x.experiment_id, l.user_id, l.properties ->> 'variant' as variant, min(l.occurred_at) as first_exposure
  from event_logs l
  join (select distinct p.experiment_id, e.key from catalog_pairs p join experiments e on e.id = p.experiment_id) x
    on x.key = l.properties ->> 'experiment_key'
 where l.name = '$exposure' and l.occurred_at < ?::timestamptz and ${unlessLoadTestUser('l.user_id')}
 group by x.experiment_id, l.user_id, l.properties ->> 'variant'`;

/**
 * The exposed users: a first exposure whose variant is the user's sticky one (one join of the analysed first
 * exposures with the sticky rows); users first exposed before the earliest window start are in no window. Params:
 * earliest window start.
 */
const CREATE_EXPOSED = `
create temporary table catalog_exposed on commit drop as
select row_number() over ()::int as exposure_id, f.experiment_id, f.user_id, f.variant, f.first_exposure
  from catalog_first_seen f
  join assignments a on a.experiment_id = f.experiment_id and a.user_id = f.user_id and a.variant = f.variant
 where f.first_exposure >= ?::timestamptz`;

/**
 * A matching event's contribution to a `sum` metric: its property when that is a number, else 0. Other kinds have no
 * property and skip reading the JSON (every aggregate of the query runs on every row, whatever the CASE around it).
 */
const PROPERTY_VALUE = `case when p.property is not null and jsonb_typeof(l.properties -> p.property) = 'number'
  then (l.properties ->> p.property)::float8 else 0 end`;

/**
 * One user's value over the events `when` keeps, by the metric's kind, from two aggregates (the events' number and
 * the sum of their property, read for `sum` metrics only): 1 if any (`conversion`), their number (`count`), the sum.
 */
const valueOf = (when: string) => `case p.kind
  when 'conversion' then (count(*) filter (where ${when}) > 0)::int
  when 'count' then count(*) filter (where ${when})
  else coalesce(sum(${PROPERTY_VALUE}) filter (where ${when}), 0) end`;

/**
 * One row per exposed user × metric of their experiment: the value after exposure and the pre-exposure value (0 when
 * the user has no such events). Params: earliest event time, end, lt.
 */
const CREATE_VALUES = `
create temporary table catalog_values on commit drop as
with per_user as (
  select x.exposure_id, p.pair_id,
         ${valueOf('l.occurred_at >= x.first_exposure')} as post,
         ${valueOf('l.occurred_at < x.first_exposure')} as pre
    from catalog_exposed x
    join catalog_pairs p on p.experiment_id = x.experiment_id
    join event_logs l on l.user_id = x.user_id and l.name = p.event
   where l.occurred_at >= ?::timestamptz and l.occurred_at < ?::timestamptz
     and l.occurred_at >= x.first_exposure - p.lookback
     and (p.window_length is null or l.occurred_at < x.first_exposure + p.window_length)
     and (p.filter_property is null or l.properties -> p.filter_property = p.filter_equals)
     and ${unlessLoadTestUser('l.user_id')}
   -- Grouped and joined back on two numbers (an exposed user × experiment, a pair) instead of the user id and the
   -- metric's key: narrower groups and hash keys, which at 3M events hold 900 000 and 1.9 M rows.
   group by x.exposure_id, p.pair_id, p.kind
)
select x.experiment_id, x.exposure_id, x.variant, x.first_exposure, p.metric_key, p.cap_type, p.cap_value,
       coalesce(u.post, 0)::float8 as post, coalesce(u.pre, 0)::float8 as pre
  from catalog_exposed x
  join catalog_pairs p on p.experiment_id = x.experiment_id
  left join per_user u on u.exposure_id = x.exposure_id and u.pair_id = p.pair_id`;

/** The window lengths the run computes, each with its start. Params: end, days, days. */
const WINDOWS = `windows as (
  select d as days, ?::timestamptz - make_interval(days => d) as since
    from (select unnest(array[${STANDARD_WINDOWS}]) as d union select ?::int) lengths
   where d <= ?::int
)`;

/** The window lengths as a table (analysed: the joins with the values see three rows). Params: end, days, days. */
const CREATE_WINDOWS = `create temporary table catalog_windows on commit drop as with ${WINDOWS} select * from windows`;

/**
 * The percentile caps: per window length, experiment and metric capped at a percentile, that percentile of the
 * exposed users' values in the window (both arms pooled). Only these values are sorted.
 */
const CREATE_CAPS = `
create temporary table catalog_caps on commit drop as
select w.days, v.experiment_id, v.metric_key, percentile_cont(v.cap_value) within group (order by v.post) as cap
  from catalog_values v join catalog_windows w on v.first_exposure >= w.since
 where v.cap_type = 'percentile'
 group by w.days, v.experiment_id, v.metric_key, v.cap_value`;

const WINDOW_ROWS = `(window_days = ?::int or (window_days <= ?::int and window_days = any(array[${STANDARD_WINDOWS}])))`;

/** Released experiments keep the rows of the last run before their release, as in the experiments job. */
const DELETE_ROWS = `delete from experiment_catalog_rollups where ${WINDOW_ROWS}
  and experiment_key not in (select key from experiments where released_at is not null)`;

export async function runMetricsJob(run: JobRun): Promise<JobRunResult> {
  const { query, window, includeLoadTestUsers: lt } = run;
  const { start, end, windowDays: days } = window;
  await query(`select set_config('work_mem', ?, true)`, [METRICS_WORK_MEM]);
  await query(DELETE_ROWS, [days, days]);
  await query(CREATE_PAIRS);
  // Analysed like the tables below: unanalysed, its guessed 100 rows made the values join look tiny, so the values
  // were grouped by sorting, on disk at 1M events (690 000 wide rows) instead of hashing.
  await query(`analyze catalog_pairs`);
  const [pairs] = await query<{ n: number | string; lookback: number | string | null }>(
    `select count(*) as n, max(cuped_lookback_days) as lookback from catalog_pairs`,
  );
  if (Number(pairs?.n ?? 0) === 0) return { mode: 'full', rows: 0 };
  // Each intermediate table is analysed before the next join reads it, so the planner sees real row counts (hash
  // joins) instead of guesses for temporary tables.
  await query(CREATE_FIRST_SEEN, [end, lt]);
  await query(`analyze catalog_first_seen`);
  await query(CREATE_EXPOSED, [start]);
  await query(`analyze catalog_exposed`);
  const earliest = new Date(start.getTime() - Number(pairs?.lookback ?? 0) * DAY_MS);
  await query(CREATE_VALUES, [earliest, end, lt]);
  await query(`analyze catalog_values`);
  await query(CREATE_WINDOWS, [end, days, days]);
  await query(`analyze catalog_windows`);
  await query(CREATE_CAPS);
  await query(`analyze catalog_caps`);
  const rows = await writeCatalogRows(run);
  return { mode: 'full', rows };
}
