/**
 * Each rollup job's full run (transaction, lock, run log, delete + insert) over a generated, realistic history
 * (generate-events.ts), next to two floors measured in the same run:
 * - scan: one parallel read of the same rows (counts and sums over the window's events, parallel workers allowed):
 *   what touching the data costs at all;
 * - SQL: one hand-written hash-join statement computing the job's numbers, checked to produce exactly the job's rows
 *   (counts equal, sums to 1e-9 relative; the reference sums exact numerics, the job floats, so the job may count a
 *   user whose refunds cancel their purchases as converted, with a float residue above 0: such users are counted
 *   from the job's own per-user values, printed, and allowed for).
 * Job, scan and SQL take turns (order rotated each round) over `--rounds` rounds, and with several sizes
 * (`--events 1000000,3000000`) the databases take turns too, so a machine that gets busier or quieter affects all.
 * Ratios are per round (paired), then the median. CPU: every PostgreSQL process, parallel workers included, from
 * /proc. Goals: each job ≤ 1.3× its SQL; with two sizes, the bigger one's job time ≤ 3.5× the smaller one's (for
 * 3× the events).
 * Usage: cd bench && node --import tsx rollups.ts [--events 1000000[,3000000]] [--rounds 5] [--big-rounds 3] [--quick]
 *   [--jobs metrics,experiments] [--keep-db NAME]
 *   --big-rounds: the sizes after the first run in the first N rounds only; --quick: 100k and 300k events, 3 rounds;
 *   --jobs: only these jobs (default: daily, experiments, funnels, metrics);
 *   --keep-db: each size's history in a database NAME_<size> (e.g. NAME_3m) that is kept after the run and reused by
 *   the next run with the same NAME, instead of generated again (3M events take 10–20 minutes to make on a busy
 *   machine). The history's times are relative to when it was made, so reuse it within the same UTC day; drop the
 *   databases when done (`drop database NAME_3m`).
 */
import { createStorage, runRollup } from '@ab-calicritters/server';
import pg from 'pg';
import { freshDatabase, printResultRows, reportRows, type ResultRow } from './bench-helpers.js';
import { generateEvents } from './generate-events.js';
import { postgresCpuMs } from './postgres-cpu.js';
import {
  compareRows,
  JOB_NEAR_ZERO_CONVERSIONS,
  JOB_ROWS,
  readDefinitions,
  referenceSql,
  scanSql,
  type BenchedJob,
  type SqlText,
} from './rollup-references.js';

const flag = (name: string) => process.argv.includes(name);
const value = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const QUICK = flag('--quick');
const SIZES = (value('--events') ?? (QUICK ? '100000,300000' : '1000000')).split(',').map(Number);
const ROUNDS = Number(value('--rounds')) || (QUICK ? 3 : 5);
// Sizes after the first take part in the first BIG_ROUNDS rounds only: at 3M a round takes minutes.
const BIG_ROUNDS = Math.min(ROUNDS, Number(value('--big-rounds')) || ROUNDS);
const WINDOW_DAYS = 14;
const ALL_JOBS: BenchedJob[] = ['daily', 'experiments', 'funnels', 'metrics'];
const JOBS = (value('--jobs')?.split(',') ?? ALL_JOBS) as BenchedJob[];
for (const job of JOBS)
  if (!ALL_JOBS.includes(job)) throw new Error(`--jobs: no job '${job}' (${ALL_JOBS.join(', ')})`);
const WHAT = ['job', 'scan', 'sql'] as const;
type What = (typeof WHAT)[number];
type Samples = Record<BenchedJob, Record<What, number[]>>;
const samples = (): Samples => ({
  daily: { job: [], scan: [], sql: [] },
  experiments: { job: [], scan: [], sql: [] },
  funnels: { job: [], scan: [], sql: [] },
  metrics: { job: [], scan: [], sql: [] },
});

const now = new Date();
const DAY = 86_400_000;
const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY);
const start = new Date(end.getTime() - WINDOW_DAYS * DAY);

const label = (events: number) => (events >= 1e6 ? `${events / 1e6}M` : `${events / 1e3}k`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const KEEP_DB = value('--keep-db');
if (KEEP_DB !== undefined && !/^[a-z_][a-z0-9_]*$/.test(KEEP_DB))
  throw new Error(`--keep-db: '${KEEP_DB}' is not a lower-case SQL name`);

/**
 * A kept database of one size: opened if it exists (generated: true), else created empty; close() leaves it in place.
 */
async function keptDatabase(name: string) {
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  if (!exists) await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const storage = await createStorage({ databaseUrl: url.toString(), migrate: true });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const generated = exists && (await client.query('select 1 from event_logs limit 1')).rowCount === 1;
  // A run stopped while generating leaves definitions without events: made again, it would define them twice.
  if (exists && !generated) throw new Error(`--keep-db: ${name} has no events (a stopped run?): drop it first`);
  return {
    db: { storage },
    client,
    generated,
    async close() {
      await client.end();
      await storage.close();
    },
  };
}

const databases = [];
try {
  for (const events of SIZES) {
    const database = KEEP_DB
      ? await keptDatabase(`${KEEP_DB}_${label(events).toLowerCase()}`)
      : { ...(await freshDatabase()), generated: false };
    databases.push(database);
    if (database.generated) {
      const counts = await database.client.query<{ events: string; exposures: string }>(
        `select count(*) as events, count(*) filter (where name = '$exposure') as exposures from event_logs`,
      );
      console.log(
        `${label(events)}: kept database ${KEEP_DB}_${label(events).toLowerCase()}, ${counts.rows[0]?.events} events (${counts.rows[0]?.exposures} of them $exposure)`,
      );
      continue;
    }
    const made = await generateEvents(database.client, database.db.storage, { events, now });
    const exposed = await database.client.query<{ users: string; pairs: string }>(
      `select count(distinct user_id) as users, count(*) as pairs
         from (select distinct user_id, properties ->> 'experiment_key' from event_logs where name = '$exposure') x`,
    );
    console.log(
      `${label(events)}: ${made.events} events (${made.exposures} of them $exposure), ${made.users} users (${exposed.rows[0]?.users} exposed, ${exposed.rows[0]?.pairs} user × experiment pairs), ${made.assignments} assignments, made in ${made.seconds.toFixed(0)} s`,
    );
  }
  const workers = await databases[0]?.client.query<{ max_parallel_workers_per_gather: string }>(
    'show max_parallel_workers_per_gather',
  );
  const definitions = await readDefinitions(databases[0]!.client);
  const sql = Object.fromEntries(
    JOBS.map((job) => [
      job,
      { scan: scanSql(job, start, end, definitions), sql: referenceSql(job, start, end, WINDOW_DAYS, definitions) },
    ]),
  ) as Record<BenchedJob, Record<'scan' | 'sql', SqlText>>;

  // Per size, job and what: wall ms and PostgreSQL CPU ms of each round.
  const wall = SIZES.map(samples);
  const cpu = SIZES.map(samples);
  const rowCounts: Array<Partial<Record<BenchedJob, number>>> = SIZES.map(() => ({}));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [s] of SIZES.entries()) {
      if (s > 0 && round >= BIG_ROUNDS) continue;
      const { db, client } = databases[s] as (typeof databases)[number];
      for (const job of JOBS) {
        const order = WHAT.map((_, i) => WHAT[(i + round) % WHAT.length] as What);
        for (const what of order) {
          const cpuBefore = postgresCpuMs();
          const t = performance.now();
          // References: the statement alone (not its settings, nor the check of its rows).
          let took: { ms: number; cpu: number } | undefined;
          if (what === 'job') await runRollup(db.storage, job, { windowDays: WINDOW_DAYS, now, full: true });
          else {
            const { text, settings = {} } = sql[job][what];
            for (const [name, setting] of Object.entries(settings))
              await client.query('select set_config($1, $2, false)', [name, setting]);
            const cpuBegan = postgresCpuMs();
            const began = performance.now();
            const result = await client.query(text);
            took = { ms: performance.now() - began, cpu: postgresCpuMs() - cpuBegan };
            for (const name of Object.keys(settings)) await client.query(`reset ${name}`);
            // The reference computed the job's rows: check them once, outside the timing.
            if (what === 'sql' && round === 0) {
              const ours = (await client.query(JOB_ROWS[job], [start, end])).rows;
              const nearZero = job === 'experiments' ? (await client.query(JOB_NEAR_ZERO_CONVERSIONS, [end])).rows : [];
              for (const r of nearZero)
                console.log(
                  `${label(SIZES[s] as number)} experiments: the job counts ${r.users} user(s) of ${r.experiment_key} ${r.variant} ${r.metric} (${r.window_days} days) as converted with a float residue in (0, 1e-9): refunds cancelling purchases`,
                );
              const problem = compareRows(job, ours, result.rows, nearZero);
              if (problem) throw new Error(`${label(SIZES[s] as number)} ${job}: ${problem}`);
              rowCounts[s]![job] = ours.length;
            }
          }
          wall[s]![job][what].push(took?.ms ?? performance.now() - t);
          cpu[s]![job][what].push(took?.cpu ?? postgresCpuMs() - cpuBefore);
        }
      }
      const times = JOBS.map((j) => `${j} ${WHAT.map((w) => `${w} ${wall[s]![j][w].at(-1)?.toFixed(0)}`).join(' ')}`);
      process.stderr.write(`  round ${round + 1} ${label(SIZES[s] as number)} ms: ${times.join('; ')}\n`);
    }
  }

  for (const [s, events] of SIZES.entries()) {
    if (!JOBS.includes('funnels')) break;
    const steps = await databases[s]!.client.query<{ funnel_name: string; step_name: string; users: string }>(
      `select funnel_name, step_index, step_name, sum(users) as users from funnel_rollups group by 1, 2, 3 order by 1, 2`,
    );
    console.log(
      `${label(events)} funnels, users per step: ${steps.rows.map((r) => `${r.funnel_name}.${r.step_name} ${r.users}`).join(', ')}`,
    );
  }

  const rows: ResultRow[] = [];
  const paired = (a: number[], b: number[]) => median(a.map((x, i) => x / (b[i] as number)));
  for (const [s, events] of SIZES.entries()) {
    const w = wall[s] as Samples;
    const c = cpu[s] as Samples;
    for (const job of JOBS) {
      const cpuNote = `PostgreSQL CPU ms: job ${median(c[job].job).toFixed(0)}, scan ${median(c[job].scan).toFixed(0)}, SQL ${median(c[job].sql).toFixed(0)}`;
      rows.push({
        path: `rollup ${job}, ${label(events)} events (${rowCounts[s]?.[job]} rows)`,
        ours: median(w[job].job),
        reference: median(w[job].sql),
        ratio: paired(w[job].job, w[job].sql),
        unit: 'ms',
        referenceLabel: 'one hand-written hash-join SELECT, same rows (checked)',
        goal: '≤ 1.3',
        note: cpuNote,
      });
      rows.push({
        path: `rollup ${job}, ${label(events)} events`,
        ours: median(w[job].job),
        reference: median(w[job].scan),
        ratio: paired(w[job].job, w[job].scan),
        unit: 'ms',
        referenceLabel: `one parallel scan of the window's events (${workers?.rows[0]?.max_parallel_workers_per_gather} workers allowed)`,
        note: cpuNote,
      });
    }
  }
  if (SIZES.length === 2) {
    const [small, big] = SIZES as [number, number];
    for (const job of JOBS)
      rows.push({
        path: `rollup ${job}, ${label(big)} vs ${label(small)} events`,
        ours: median(wall[1]![job].job),
        reference: median(wall[0]![job].job.slice(0, BIG_ROUNDS)),
        // Paired over the rounds both sizes ran.
        ratio: paired(wall[1]![job].job, wall[0]![job].job.slice(0, BIG_ROUNDS)),
        unit: 'ms',
        referenceLabel: `the same job over ${label(small)} events (${(big / small).toFixed(1)}× fewer)`,
        goal: '≤ 3.5',
      });
  }

  printResultRows(
    `Rollups, ${SIZES.map(label).join(' and ')} events, ${WINDOW_DAYS}-day window, ${ROUNDS} interleaved rounds${BIG_ROUNDS < ROUNDS ? ` (${SIZES.slice(1).map(label).join(', ')}: ${BIG_ROUNDS})` : ''} (medians; ratio: median of the per-round ratios)`,
    rows,
  );
  reportRows('rollups', rows);
} finally {
  for (const database of databases) await database.close();
}
