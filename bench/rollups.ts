/**
 * Each rollup job's full run over 1M generated events, next to one hand-written SQL statement computing the same
 * numbers (the bare SELECT, no transaction, lock, delete or insert), measured in the same run. Target: job ≤ 1.3×
 * the SQL. Incremental runs: rollups-incremental.ts.
 * Usage: pnpm --filter ab-calicritters-bench rollups [-- --events 1000000]
 */
import { runRollup, type RollupJob } from '@ab-calicritters/server';
import { defineBenchExperiments, freshDatabase, medianMs, printTable, type BenchRow } from './bench-helpers.js';

const EVENTS = Number(process.argv[process.argv.indexOf('--events') + 1]) || 1_000_000;
const USERS = Math.max(1000, Math.round(EVENTS / 20));
const RUNS = 3;
const now = new Date();

const { db, client, close } = await freshDatabase();
try {
  const { storage } = db;
  await defineBenchExperiments(storage);

  const t = performance.now();
  await client.query(
    `insert into assignments (experiment_id, user_id, variant, assigned_at)
     select e.id, 'u' || g, (e.variants -> (g % jsonb_array_length(e.variants))::int ->> 'key'),
            now() - ((g * 7919) % (14 * 86400)) * interval '1 second'
       from generate_series(1::bigint, $1::bigint) g cross join experiments e`,
    [USERS],
  );
  await client.query(
    `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, properties, assignments)
     select gen_random_uuid(), 'u' || (1 + (g * 104729) % $2::bigint), (ts at time zone 'UTC')::date,
            (array['app_open', 'app_open', 'tutorial_complete', 'first_catch', 'purchase', 'share'])[1 + ((g * 31) % 6)::int],
            ts, ts, case when g % 6 = 4 then jsonb_build_object('value', 4.99) else '{}'::jsonb end, '{}'::jsonb
       from (select g, now() - ((g * 7907) % (14 * 86400)) * interval '1 second' as ts
               from generate_series(1::bigint, $1::bigint) g) s`,
    [EVENTS, USERS],
  );
  await client.query('analyze');
  console.log(`generated ${EVENTS} events for ${USERS} users in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const start = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 13 * 86_400_000,
  ).toISOString();
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + 86_400_000).toISOString();
  const windows = (days: number[]) => days.map((d) => `(${d}, timestamptz '${end}' - interval '${d} days')`).join(', ');

  const reference: Record<RollupJob, string> = {
    daily: `select (occurred_at at time zone 'UTC')::date as day, coalesce(name, '$all'), count(*), count(distinct user_id)
              from event_logs where occurred_at >= '${start}' and occurred_at < '${end}'
             group by grouping sets ((1, name), (1))`,
    experiments: `with w(days, since) as (values ${windows([1, 7, 14])}),
      x as (select w.days, e.key, a.variant, a.user_id, a.assigned_at from assignments a join experiments e on e.id = a.experiment_id
              join w on a.assigned_at >= w.since and a.assigned_at < '${end}'),
      m as (select distinct jsonb_array_elements_text(steps) as metric from funnels),
      v as (select x.days, x.key, x.variant, x.user_id, m.metric,
                   coalesce(sum(case when l.event_id is null then 0 when jsonb_typeof(l.properties -> 'value') = 'number'
                                     then (l.properties ->> 'value')::float8 else 1 end), 0) as value
              from x cross join m left join event_logs l on l.user_id = x.user_id and l.name = m.metric
               and l.occurred_at >= x.assigned_at and l.occurred_at < '${end}'
             group by 1, 2, 3, 4, 5
            union all select days, key, variant, user_id, '$exposed', 0 from x)
      select days, key, variant, metric, count(*), count(*) filter (where value > 0), sum(value), sum(value * value)
        from v group by 1, 2, 3, 4`,
    funnels: `with recursive d as (select name, steps, jsonb_array_length(steps) n, make_interval(hours => conversion_window_hours) len from funnels),
      e as (select d.name, l.user_id, min(l.occurred_at) t0 from d join event_logs l on l.name = d.steps ->> 0
             where l.occurred_at >= '${start}' and l.occurred_at < '${end}' group by 1, 2),
      w (name, user_id, t0, i, t) as (select name, user_id, t0, 0, t0 from e
        union all
        select w.name, w.user_id, w.t0, w.i + 1, s.t from w join d on d.name = w.name
          cross join lateral (select min(l.occurred_at) t from event_logs l where l.user_id = w.user_id
                                and l.name = d.steps ->> (w.i + 1) and l.occurred_at >= w.t and l.occurred_at <= w.t0 + d.len) s
         where w.i + 1 < d.n and s.t is not null)
      select name, (t0 at time zone 'UTC')::date, i, count(*) from w group by 1, 2, 3`,
  };

  const rows: BenchRow[] = [];
  for (const job of ['daily', 'experiments', 'funnels'] as const) {
    let written = 0;
    const ours = await medianMs(RUNS, async () => {
      written = (await runRollup(storage, job, { windowDays: 14, now, full: true })).rows_written;
    });
    let referenceRows = 0;
    const limit = await medianMs(RUNS, async () => {
      referenceRows = (await client.query(reference[job])).rowCount ?? 0;
    });
    if (referenceRows !== written)
      throw new Error(`${job}: the job wrote ${written} rows, the reference SQL computed ${referenceRows}`);
    rows.push({
      name: `${job} (${written} rows)`,
      ours,
      limit,
      limitLabel: 'one hand-written SELECT, same numbers',
      target: 1.3,
    });
  }
  printTable(`Rollups over ${EVENTS} events, ${USERS} users, 14-day window (median of ${RUNS}, PostgreSQL)`, rows);
} finally {
  await close();
}
