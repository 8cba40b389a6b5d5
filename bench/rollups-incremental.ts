/**
 * Incremental rollup runs, each next to the full run it replaces, interleaved over rounds in one run (PostgreSQL):
 * - a rerun with nothing new since the last run, next to a full run over the same 14 days (target ≤ 0.10×);
 * - a run after one new UTC day of events arrived (returning users), next to a full run over a second database
 *   holding the same definitions and assignments and only that day's events (target ≤ 1.5×).
 * Usage: pnpm --filter ab-calicritters-bench rollups:incremental [-- --events 1000000 --rounds 3] [--quick]
 *   (--quick: 100 000 events, 2 rounds, unless given)
 */
import { runRollup, type RollupJob } from '@ab-calicritters/server';
import type pg from 'pg';
import { defineBenchExperiments, freshDatabase, printTable, reportRows, type BenchRow } from './bench-helpers.js';

const arg = (name: string) => Number(process.argv[process.argv.indexOf(name) + 1]) || undefined;
const QUICK = process.argv.includes('--quick');
const EVENTS = arg('--events') ?? (QUICK ? 100_000 : 1_000_000);
const ROUNDS = arg('--rounds') ?? (QUICK ? 2 : 3);
const USERS = Math.max(1000, Math.round(EVENTS / 20));
const DAY_EVENTS = Math.round(EVENTS / 14);
const JOBS: RollupJob[] = ['daily', 'experiments', 'funnels'];
// The window ends with today's UTC day, which holds the new day's events; the 13 days before it hold the history.
const TODAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const WINDOW = { windowDays: 14, now: new Date(TODAY + 12 * 3_600_000) };
const HOUR = 3_600_000;

type Database = Awaited<ReturnType<typeof freshDatabase>>;

async function define(database: Database) {
  const { storage } = database.db;
  await defineBenchExperiments(storage);
  await database.client.query(
    `insert into assignments (experiment_id, user_id, variant, assigned_at)
     select e.id, 'u' || g, (e.variants -> (g % jsonb_array_length(e.variants))::int ->> 'key'),
            now() - interval '1 day' - ((g * 7919) % (13 * 86400)) * interval '1 second'
       from generate_series(1::bigint, $1::bigint) g cross join experiments e`,
    [USERS],
  );
}

/**
 * `count` events of returning users spread over `hours` from `from`, received a minute after they happened, or now
 * when `arrivedNow`. Each user sees a random mix of names, so funnels complete.
 */
async function events(client: pg.Client, count: number, from: number, hours: number, arrivedNow: boolean) {
  await client.query(
    `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, received_at, properties)
     select gen_random_uuid(), 'u' || (1 + floor(random() * $2)::bigint), (ts at time zone 'UTC')::date,
            (array['app_open', 'app_open', 'tutorial_complete', 'first_catch', 'purchase', 'share'])[1 + floor(random() * 6)::int],
            ts, ts, case when $5::boolean then now() else ts + interval '1 minute' end,
            case when random() < 0.15 then jsonb_build_object('value', 4.99) else '{}'::jsonb end
       from (select $3::timestamptz + random() * $4::float8 * interval '1 hour' as ts
               from generate_series(1::bigint, $1::bigint) g) s`,
    [count, USERS, new Date(from), hours, arrivedNow],
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const history = await freshDatabase();
const dayAlone = await freshDatabase();
try {
  const t = performance.now();
  await define(history);
  await define(dayAlone);
  // 13 days of history before the last 24 hours.
  await events(history.client, EVENTS - DAY_EVENTS, TODAY - 13 * 24 * HOUR, 13 * 24, false);
  await history.client.query('analyze');
  console.log(
    `generated ${EVENTS - DAY_EVENTS} events of history for ${USERS} users (+ ${DAY_EVENTS} per new day) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const samples: Record<string, number[]> = {};
  const note = (key: string, ms: number) => (samples[key] ??= []).push(ms);
  for (let round = 0; round < ROUNDS; round++) {
    for (const job of JOBS) {
      note(`full ${job}`, await timed(() => runRollup(history.db.storage, job, { ...WINDOW, full: true })));
      const rerun = await runRollup(history.db.storage, job, WINDOW);
      if (rerun.mode !== 'incremental' || rerun.recomputed !== 0)
        throw new Error(`${job}: the rerun was ${rerun.mode}, recomputing ${rerun.recomputed}`);
      note(`rerun ${job}`, rerun.duration_ms);
    }
    // One new day arrives: the same kind of events into both databases.
    await events(history.client, DAY_EVENTS, TODAY, 24, true);
    await dayAlone.client.query('truncate event_logs');
    await events(dayAlone.client, DAY_EVENTS, TODAY, 24, true);
    await dayAlone.client.query('analyze event_logs');
    for (const job of JOBS) {
      const run = await runRollup(history.db.storage, job, WINDOW);
      if (run.mode !== 'incremental') throw new Error(`${job}: the run after a new day was ${run.mode}`);
      note(`new day ${job}`, run.duration_ms);
      note(`day alone ${job}`, await timed(() => runRollup(dayAlone.db.storage, job, { ...WINDOW, full: true })));
    }
    // The next round's new day replaces this one.
    await history.client.query(`delete from event_logs where received_at > now() - interval '1 hour'`);
  }

  const rows: BenchRow[] = [];
  for (const job of JOBS)
    rows.push({
      name: `rerun, nothing new: ${job}`,
      ours: median(samples[`rerun ${job}`] ?? []),
      limit: median(samples[`full ${job}`] ?? []),
      limitLabel: 'a full run over the same 14 days',
      target: 0.1,
    });
  for (const job of JOBS)
    rows.push({
      name: `one new day: ${job}`,
      ours: median(samples[`new day ${job}`] ?? []),
      limit: median(samples[`day alone ${job}`] ?? []),
      limitLabel: 'a full run over that day alone',
      target: 1.5,
    });
  printTable(
    `Incremental rollups, ${EVENTS} events (${DAY_EVENTS} per day), ${USERS} users, 14-day window (median of ${ROUNDS} interleaved rounds, PostgreSQL)`,
    rows,
  );
  reportRows(
    'rollups-incremental',
    rows.map((r) => ({
      path: `rollup ${r.name}, ${EVENTS} events`,
      ours: r.ours,
      reference: r.limit,
      unit: 'ms',
      referenceLabel: r.limitLabel,
      goal: `≤ ${r.target ?? 1}`,
    })),
  );
} finally {
  await history.close();
  await dayAlone.close();
}
