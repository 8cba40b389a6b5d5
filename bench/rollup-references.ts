/**
 * The floors the rollup jobs are measured against (bench/rollups.ts): one parallel scan of the window's rows, and one
 * hand-written hash-join statement per job computing the job's numbers; plus reading back the job's rows and
 * comparing the two. The window and definitions are written into the SQL text, as an analyst's query would be.
 */
/**
 * The jobs benched here. The server's RollupJob may name more (a job added later is benched once it has a reference
 * here).
 */
export type BenchedJob = 'daily' | 'experiments' | 'funnels' | 'metrics';

/** A statement ready to run. */
export interface SqlText {
  text: string;
  /** Session settings to run it with (set before, reset after, outside the timing). */
  settings?: Record<string, string>;
}

/**
 * The metrics job's own session settings (its METRICS_WORK_MEM, metrics-job.ts, and the runner's jit off): its
 * reference runs with them too, for a fair ratio.
 */
const JOB_SETTINGS = { work_mem: '256MB', jit: 'off' };

/** A catalog metric as the reference needs it (a row of `metrics`). */
export interface CatalogMetric {
  key: string;
  kind: 'conversion' | 'count' | 'sum' | 'ratio';
  event: string | null;
  filter: { property: string; equals: unknown } | null;
  property: string | null;
  numerator: string | null;
  denominator: string | null;
  window_hours: number | null;
  capping: { type: 'absolute' | 'percentile'; value: number } | null;
  cuped_lookback_days: number;
}

/** The definitions the references are written from, read from the bench database. */
export interface Definitions {
  funnels: FunnelDefinition[];
  catalog: CatalogMetric[];
  /** Per running experiment, the catalog metrics it names. */
  experimentMetrics: Array<{ key: string; metrics: string[] }>;
}

/** Reads the funnels, the metric catalog and which metrics each running experiment names. */
export async function readDefinitions(client: {
  query<R extends object>(sql: string): Promise<{ rows: R[] }>;
}): Promise<Definitions> {
  const funnels = (await client.query<FunnelDefinition>('select name, steps, conversion_window_hours from funnels'))
    .rows;
  const catalog = (
    await client.query<CatalogMetric>(
      `select key, kind, event, filter, property, numerator, denominator, window_hours, capping, cuped_lookback_days
         from metrics order by key`,
    )
  ).rows;
  const experimentMetrics = (
    await client.query<{ key: string; metrics: string[] }>(
      `select key, array(select r ->> 'key' from jsonb_array_elements(metrics) r) as metrics
         from experiments where released_at is null and jsonb_array_length(metrics) > 0 order by key`,
    )
  ).rows;
  return { funnels, catalog, experimentMetrics };
}

/** A funnel as the reference needs it. */
export interface FunnelDefinition {
  name: string;
  steps: string[];
  conversion_window_hours: number;
}

// The server's own constants (core's STANDARD_WINDOW_DAYS, LOAD_TEST_USER_PREFIX, the summed columns of
// experiment_catalog_rollups), restated: the bench package depends on the server's public exports only.
const STANDARD_WINDOW_DAYS = [1, 7, 14, 30, 90];
const CATALOG_SUMS = [
  'exposed_users',
  'value_sum',
  'value_sum_squares',
  'den_sum',
  'den_sum_squares',
  'value_den_sum_of_products',
  'pre_sum',
  'pre_sum_squares',
  'value_pre_sum_of_products',
];
const NOT_LOAD_TEST = (column: string) => `not starts_with(${column}, 'lt-')`;
// Exact (numeric) sums: a user whose refunds cancel their purchases has the value 0, not ±1e-15 (see compareRows).
const EVENT_VALUE = `case when jsonb_typeof(l.properties -> 'value') = 'number' then (l.properties ->> 'value')::numeric
                          else 1 end`;
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const at = (time: Date) => `timestamptz '${time.toISOString()}'`;

/**
 * One parallel read of the rows a job reads: the window's events (every column the jobs look at), and for the
 * experiments job the window's assignments too.
 */
export function scanSql(job: BenchedJob, start: Date, end: Date, definitions?: Definitions): SqlText {
  // The metrics job reads events from the longest CUPED lookback before the window on.
  const lookback =
    job === 'metrics' ? Math.max(0, ...(definitions?.catalog ?? []).map((m) => m.cuped_lookback_days)) : 0;
  const from = new Date(start.getTime() - lookback * 86_400_000);
  const events = `select count(*) as events, sum(length(user_id)) as user_bytes, sum(length(name)) as name_bytes,
         sum(case when jsonb_typeof(l.properties -> 'value') = 'number' then (l.properties ->> 'value')::float8 end) as value
    from event_logs l where l.occurred_at >= ${at(from)} and l.occurred_at < ${at(end)}`;
  if (job === 'daily' || job === 'funnels') return { text: events };
  return {
    text: `select * from (${events}) e,
      (select count(*) as assignments, sum(length(user_id)) as assigned_bytes from assignments
        where assigned_at >= ${at(start)} and assigned_at < ${at(end)}) a`,
  };
}

/**
 * Per day × name and per day, events and distinct users: two parallel hash aggregates, over (day, name, user) and
 * (day, user).
 */
function dailySql(start: Date, end: Date): string {
  const events = `from event_logs where occurred_at >= ${at(start)} and occurred_at < ${at(end)} and ${NOT_LOAD_TEST('user_id')}`;
  return `select day::text as day, name as event_name, sum(n) as events, count(*) as unique_users
  from (select (occurred_at at time zone 'UTC')::date as day, name, user_id, count(*) as n ${events} group by 1, 2, 3) x
 group by 1, 2
union all
select day::text, '$all', sum(n), count(*)
  from (select (occurred_at at time zone 'UTC')::date as day, user_id, count(*) as n ${events} group by 1, 2) y
 group by 1`;
}

/**
 * Per window length × experiment × variant × metric, over users assigned in the window: assigned users, users with a
 * value > 0, sum and sum of squares of their values (events at or after the assignment, before the window end; the
 * event's numeric `value`, else 1; summed exactly). Assignments hash-joined to the metric events once, summed per assignment
 * (numbered, so the hash table holds integers, not names); each user counted in the shortest window holding their
 * assignment, and the windows summed from those (all four figures add up).
 */
function experimentsSql(start: Date, end: Date, windowDays: number): string {
  const lengths = [...new Set([...STANDARD_WINDOW_DAYS.filter((d) => d <= windowDays), windowDays])].sort(
    (x, y) => x - y,
  );
  const bucket = `case ${lengths.map((d) => `when a.assigned_at >= ${at(end)} - interval '${d} days' then ${d}`).join(' ')} end`;
  return `with lengths (days) as (values ${lengths.map((d) => `(${d})`).join(', ')}),
assigned as (
  select row_number() over () as id, e.key, a.variant, a.user_id, a.assigned_at, ${bucket} as bucket
    from assignments a join experiments e on e.id = a.experiment_id and e.released_at is null
   where a.assigned_at >= ${at(start)} and a.assigned_at < ${at(end)} and ${NOT_LOAD_TEST('a.user_id')}
), metrics as (
  select distinct jsonb_array_elements_text(steps) as metric from funnels
), per_user as (
  select x.id, l.name as metric, sum(${EVENT_VALUE}) as value
    from assigned x
    join event_logs l on l.user_id = x.user_id and l.occurred_at >= x.assigned_at
   where l.occurred_at >= ${at(start)} and l.occurred_at < ${at(end)} and l.name in (select metric from metrics)
   group by 1, 2
), per_bucket as (
  select x.key, x.variant, x.bucket, p.metric, count(*) filter (where p.value > 0) as converted,
         sum(p.value) as value_sum, sum(p.value * p.value) as value_sum_squares
    from per_user p join assigned x on x.id = p.id
   group by 1, 2, 3, 4
), cells as (
  select x.key, x.variant, w.days, sum(x.n) as n
    from (select key, variant, bucket, count(*) as n from assigned group by 1, 2, 3) x
    join lengths w on x.bucket <= w.days
   group by 1, 2, 3
)
select c.key as experiment_key, c.days as window_days, c.variant, m.metric, c.n as exposed_users,
       coalesce(sum(b.converted), 0) as converted_users, coalesce(sum(b.value_sum), 0) as value_sum,
       coalesce(sum(b.value_sum_squares), 0) as value_sum_squares
  from cells c
  cross join (select metric from metrics union all select '$exposed') m
  left join per_bucket b on b.key = c.key and b.variant = c.variant and b.metric = m.metric and b.bucket <= c.days
 group by 1, 2, 3, 4, 5`;
}

/**
 * Per funnel × entry day × step, users who did the steps in order within the conversion window of their entry (their
 * first step-one event in the window). Each step: the previous step's users hash-joined to that step's events,
 * keeping the earliest one (earliest-next-step matching, as the job).
 */
function funnelsSql(start: Date, end: Date, funnels: FunnelDefinition[]): string {
  const ctes: string[] = [];
  const selects: string[] = [];
  for (const [f, funnel] of funnels.entries()) {
    const len = `interval '${funnel.conversion_window_hours} hours'`;
    for (const [i, step] of funnel.steps.entries()) {
      const name = `f${f}_s${i}`;
      ctes.push(
        i === 0
          ? `${name} as (select user_id, min(occurred_at) as t0, min(occurred_at) as t from event_logs
               where name = ${quote(step)} and occurred_at >= ${at(start)} and occurred_at < ${at(end)}
                 and ${NOT_LOAD_TEST('user_id')} group by 1)`
          : `${name} as (select p.user_id, p.t0, min(l.occurred_at) as t from f${f}_s${i - 1} p
               join event_logs l on l.user_id = p.user_id and l.occurred_at >= p.t and l.occurred_at <= p.t0 + ${len}
              where l.name = ${quote(step)} and l.occurred_at >= ${at(start)} group by 1, 2)`,
      );
      selects.push(
        `select ${quote(funnel.name)} as funnel_name, (t0 at time zone 'UTC')::date::text as day, ${i} as step_index,
                ${quote(step)} as step_name, count(*) as users from ${name} group by 2`,
      );
    }
  }
  return `with ${ctes.join(',\n')}\n${selects.join('\nunion all\n')}`;
}

// Between the parts of a composite key (experiment keys and variants are identifiers, user ids come last).
const STICKY_SEPARATOR = `chr(31)`;

/**
 * Per window length × experiment × variant × catalog metric, over exposed users (first `$exposure` naming the sticky
 * variant, in the window): n, Σ, Σ² after exposure (within the metric's window), CUPED's pre-exposure Σ, Σ², Σ post·pre,
 * capped (absolute, or the percentile of the window's exposed users, both arms pooled); a ratio's numerator and
 * denominator sums and cross product. The first exposures in one grouped scan, matched to the sticky rows in one hash
 * join; every exposed user's values of every base metric in one hash join of the catalog's events and one hash
 * aggregate (a column per metric, numbered users); each user counted in every window holding their first exposure;
 * the caps per window; one aggregate per window × experiment × variant, unpivoted into a row per metric the
 * experiment names.
 */
function metricsSql(start: Date, end: Date, windowDays: number, definitions: Definitions): string {
  const { catalog, experimentMetrics } = definitions;
  const byKey = new Map(catalog.map((m) => [m.key, m]));
  const lengths = [...new Set([...STANDARD_WINDOW_DAYS.filter((d) => d <= windowDays), windowDays])].sort(
    (x, y) => x - y,
  );
  const bucket = `case ${lengths.map((d) => `when f.first_exposure >= ${at(end)} - interval '${d} days' then ${d}`).join(' ')} end`;
  // Every (experiment, metric) row the job writes: the metrics named, a ratio's parts too.
  const pairs = experimentMetrics.flatMap(({ key, metrics }) => {
    const keys = new Set<string>();
    for (const k of metrics) {
      const m = byKey.get(k);
      keys.add(k);
      if (m?.kind === 'ratio') keys.add(m.numerator as string).add(m.denominator as string);
    }
    return [...keys, '$exposure'].map((metric) => `(${quote(key)}, ${quote(metric)})`);
  });
  const base = catalog.filter((m) => m.kind !== 'ratio');
  const col = (m: CatalogMetric) => `m${base.indexOf(m)}`;
  const lookback = Math.max(0, ...base.map((m) => m.cuped_lookback_days));
  const values = base.flatMap((m) => {
    const matches = [
      `l.name = ${quote(m.event as string)}`,
      ...(m.filter
        ? [`l.properties -> ${quote(m.filter.property)} = ${quote(JSON.stringify(m.filter.equals))}::jsonb`]
        : []),
    ].join(' and ');
    const post = `${matches} and l.occurred_at >= x.first_exposure${m.window_hours === null ? '' : ` and l.occurred_at < x.first_exposure + interval '${m.window_hours} hours'`}`;
    const pre = `${matches} and l.occurred_at < x.first_exposure and l.occurred_at >= x.first_exposure - interval '${m.cuped_lookback_days} days'`;
    const value = (when: string) =>
      m.kind === 'conversion'
        ? `(count(*) filter (where ${when}) > 0)::int::float8`
        : m.kind === 'count'
          ? `count(*) filter (where ${when})::float8`
          : `coalesce(sum(case when jsonb_typeof(l.properties -> ${quote(m.property ?? 'value')}) = 'number'
                  then (l.properties ->> ${quote(m.property ?? 'value')})::float8 else 0 end) filter (where ${when}), 0)`;
    return [`${value(post)} as ${col(m)}_post`, `${value(pre)} as ${col(m)}_pre`];
  });
  const capOf = (m: CatalogMetric) =>
    m.capping?.type === 'absolute' ? `${m.capping.value}::float8` : m.capping ? `c.${col(m)}_cap` : undefined;
  const capped = base.flatMap((m) => {
    const cap = capOf(m);
    return ['post', 'pre'].map((when) =>
      cap ? `least(i.${col(m)}_${when}, ${cap}) as ${col(m)}_${when}` : `i.${col(m)}_${when}`,
    );
  });
  const percentiles = base
    .filter((m) => m.capping?.type === 'percentile')
    .map((m) => `percentile_cont(${m.capping?.value}) within group (order by ${col(m)}_post) as ${col(m)}_cap`);
  const sums = base.flatMap((m) => {
    const c = col(m);
    return [
      `sum(${c}_post) as ${c}_s`,
      `sum(${c}_post * ${c}_post) as ${c}_q`,
      `sum(${c}_pre) as ${c}_p`,
      `sum(${c}_pre * ${c}_pre) as ${c}_pq`,
      `sum(${c}_post * ${c}_pre) as ${c}_x`,
    ];
  });
  const ratios = catalog.filter((m) => m.kind === 'ratio');
  const parts = (r: CatalogMetric) =>
    [r.numerator, r.denominator].map((k) => col(byKey.get(k as string) as CatalogMetric));
  const ratioSums = ratios.map((r, i) => {
    const [num, den] = parts(r);
    return `sum(${num}_post * ${den}_post) as r${i}_x`;
  });
  const rows = [
    ...base.map((m) => {
      const c = col(m);
      return `(${quote(m.key)}, ${c}_s, ${c}_q, 0, 0, 0, ${c}_p, ${c}_pq, ${c}_x)`;
    }),
    ...ratios.map((r, i) => {
      const [num, den] = parts(r);
      return `(${quote(r.key)}, ${num}_s, ${num}_q, ${den}_s, ${den}_q, r${i}_x, 0, 0, 0)`;
    }),
    `('$exposure', 0, 0, 0, 0, 0, 0, 0, 0)`,
  ];
  const events = [...new Set(base.map((m) => quote(m.event as string)))].join(', ');
  const keys = experimentMetrics.map((e) => quote(e.key)).join(', ');
  return `with lengths (days) as (values ${lengths.map((d) => `(${d})`).join(', ')}),
first_seen as (
  select l.properties ->> 'experiment_key' as key, l.user_id, l.properties ->> 'variant' as variant,
         min(l.occurred_at) as first_exposure
    from event_logs l
   where l.name = '$exposure' and l.occurred_at < ${at(end)} and ${NOT_LOAD_TEST('l.user_id')}
   group by 1, 2, 3
), sticky as (
  select e.key || ${STICKY_SEPARATOR} || a.variant || ${STICKY_SEPARATOR} || a.user_id as sticky
    from assignments a join experiments e on e.id = a.experiment_id and e.released_at is null and e.key in (${keys})
), exposed as (
  -- Matched on one composite key: the planner estimates one key's join well, three keys' product as one row.
  select row_number() over () as id, f.key, f.user_id, f.variant, f.first_exposure, ${bucket} as bucket
    from first_seen f join sticky s on s.sticky = f.key || ${STICKY_SEPARATOR} || f.variant || ${STICKY_SEPARATOR} || f.user_id
   where f.first_exposure >= ${at(start)}
), per_user as (
  select x.key, x.variant, x.bucket, ${values.join(',\n         ')}
    from exposed x
    left join event_logs l on l.user_id = x.user_id and l.name in (${events})
     and l.occurred_at >= ${at(start)} - interval '${lookback} days' and l.occurred_at < ${at(end)}
     and l.occurred_at >= x.first_exposure - interval '${lookback} days' and ${NOT_LOAD_TEST('l.user_id')}
   group by x.id, x.key, x.variant, x.bucket
), in_window as (
  select w.days, p.* from per_user p join lengths w on p.bucket <= w.days
), caps as (
  select days, key${percentiles.map((p) => `, ${p}`).join('')} from in_window group by 1, 2
), capped as (
  select i.days, i.key, i.variant, ${capped.join(', ')}
    from in_window i join caps c on c.days = i.days and c.key = i.key
), sums as (
  select key, days, variant, count(*) as n, ${[...sums, ...ratioSums].join(', ')}
    from capped group by 1, 2, 3
)
select s.key as experiment_key, s.days as window_days, s.variant, r.metric_key, s.n as exposed_users,
       r.value_sum, r.value_sum_squares, r.den_sum, r.den_sum_squares, r.value_den_sum_of_products, r.pre_sum,
       r.pre_sum_squares, r.value_pre_sum_of_products
  from sums s
 cross join lateral (values ${rows.join(',\n    ')})
       r (metric_key, value_sum, value_sum_squares, den_sum, den_sum_squares, value_den_sum_of_products, pre_sum,
          pre_sum_squares, value_pre_sum_of_products)
 where (s.key, r.metric_key) in (values ${pairs.join(', ')})`;
}

/** The hand-written statement computing a job's rows. */
export function referenceSql(
  job: BenchedJob,
  start: Date,
  end: Date,
  windowDays: number,
  definitions: Definitions,
): SqlText {
  if (job === 'daily') return { text: dailySql(start, end) };
  if (job === 'experiments') return { text: experimentsSql(start, end, windowDays) };
  if (job === 'metrics') return { text: metricsSql(start, end, windowDays, definitions), settings: JOB_SETTINGS };
  return { text: funnelsSql(start, end, definitions.funnels) };
}

/** The job's rows in its rollup table, in the reference's columns. Params: window start, window end. */
export const JOB_ROWS: Record<BenchedJob, string> = {
  daily: `select day::text as day, event_name, events, unique_users from daily_metric_rollups
           where day >= ($1::timestamptz at time zone 'UTC')::date and day < ($2::timestamptz at time zone 'UTC')::date`,
  experiments: `select experiment_key, window_days, variant, metric, exposed_users, converted_users, value_sum,
                       value_sum_squares from experiment_metric_rollups
                 where window_end = $2::timestamptz and window_start >= $1::timestamptz`,
  funnels: `select funnel_name, day::text as day, step_index, step_name, users from funnel_rollups
             where day >= ($1::timestamptz at time zone 'UTC')::date and day < ($2::timestamptz at time zone 'UTC')::date`,
  metrics: `select experiment_key, window_days, variant, metric_key, ${CATALOG_SUMS.join(', ')}
              from experiment_catalog_rollups where window_end = $2::timestamptz and window_start >= $1::timestamptz`,
};

const KEYS: Record<BenchedJob, string[]> = {
  metrics: ['experiment_key', 'window_days', 'variant', 'metric_key'],
  daily: ['day', 'event_name'],
  experiments: ['experiment_key', 'window_days', 'variant', 'metric'],
  funnels: ['funnel_name', 'day', 'step_index', 'step_name'],
};
const VALUES: Record<BenchedJob, string[]> = {
  metrics: CATALOG_SUMS,
  daily: ['events', 'unique_users'],
  experiments: ['exposed_users', 'converted_users', 'value_sum', 'value_sum_squares'],
  funnels: ['users'],
};

/**
 * Per experiment × window × variant × metric (the rows' key), the job's users whose value is a float sum that should
 * be 0 but came out a hair above it (refunds cancelling purchases, added in the job's order): the job counts them as
 * converted, the exact reference does not. Params: window end.
 */
export const JOB_NEAR_ZERO_CONVERSIONS = `
select e.key as experiment_key, w.days as window_days, v.variant, v.metric, count(*) as users
  from experiment_user_values v
  join experiments e on e.id = v.experiment_id
  join (values ${STANDARD_WINDOW_DAYS.map((d) => `(${d})`).join(', ')}) w (days)
    on v.assigned_at >= $1::timestamptz - make_interval(days => w.days)
 where v.settled_value > 0 and v.settled_value < 1e-9
 group by 1, 2, 3, 4`;

const keyOf = (job: BenchedJob, row: Record<string, unknown>) => KEYS[job].map((k) => String(row[k])).join(' | ');

/**
 * Whether the job's rows and the reference's are the same rows: the same keys, counts equal, sums equal to 1e-9
 * relative (the job adds floats, the reference exact numerics). `nearZero` (experiments): per row key, the job's
 * users whose value is a float residue above 0 ({@link JOB_NEAR_ZERO_CONVERSIONS}); the job's converted_users may
 * exceed the reference's by exactly that many. Returns what differs, or undefined.
 */
export function compareRows(
  job: BenchedJob,
  ours: Array<Record<string, unknown>>,
  reference: Array<Record<string, unknown>>,
  nearZero: Array<Record<string, unknown>> = [],
): string | undefined {
  const byKey = (rows: Array<Record<string, unknown>>) =>
    new Map(rows.map((r) => [keyOf(job, r), VALUES[job].map((v) => Number(r[v]))]));
  const a = byKey(ours);
  const b = byKey(reference);
  const residue = new Map(nearZero.map((r) => [keyOf(job, r), Number(r.users)]));
  if (a.size !== ours.length || b.size !== reference.length) return 'duplicate keys';
  if (a.size !== b.size) return `the job wrote ${a.size} rows, the reference computed ${b.size}`;
  for (const [key, values] of a) {
    const other = b.get(key);
    if (!other) return `row ${key} is missing from the reference`;
    for (const [i, x] of values.entries()) {
      const name = VALUES[job][i];
      const y = (other[i] as number) + (name === 'converted_users' ? (residue.get(key) ?? 0) : 0);
      if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x), Math.abs(y)))
        return `row ${key}, ${name}: job ${x}, reference ${other[i]}${residue.get(key) ? ` + ${residue.get(key)} float residues` : ''}`;
    }
  }
  return undefined;
}
