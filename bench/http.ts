/**
 * POST /v1/assignment through the real `calicritters serve`, next to references measured in the same run:
 * - returning users (both sticky rows stored): serve on PostgreSQL and on PGlite vs a bare Koa + @koa/router route
 *   answering a body of the same shape and size, at the same concurrency; goal ≥ 0.70;
 * - returning users, serve on PGlite vs serve on PostgreSQL: the two rows above, their rounds paired by number;
 *   goal ≥ 0.50;
 * - first-time users: serve on PostgreSQL vs raw `pg` running the statements a first-time user costs (captured from
 *   the server's own store, so the SQL is exactly ours, as named prepared statements) on a pool of the server's size;
 *   serve on PGlite vs the store's own calls for them on a PGlite in this process (prepared as the server prepares
 *   them); goal ≥ 0.70. Next to the PostgreSQL pair, the floor: the bare route running the same statements on a raw
 *   `pg` pool of the same size before it answers (HTTP + driver + statement, what ours cannot go below), with its
 *   ratio to the same reference and no goal. With the sticky-row cache on
 *   (serve's default) that is the one insert-or-read statement; `--two-statements` makes the reference run the
 *   read before it, as the server did before it went straight to the insert (the earlier figures' reference).
 * Each comparison alternates over rounds (A, B, A, B …, the order rotated each round); figures are medians and the
 * ratios are paired per round. CPU per request comes from /proc: the server process plus its PostgreSQL backends
 * (raw pg: this process plus its backends; PGlite runs inside the server process).
 * Usage: cd bench && node --import tsx http.ts [--quick] [--seconds 4 --rounds 5 --connections 50 --users 10000]
 *        [--two-statements] [--cpu-prof DIR]  (profiles the PostgreSQL server process; the returning-user and the
 *        first-time rounds are summarised apart at the end; profiling costs the server CPU, so figures of such a run
 *        are not comparable)
 *        [--returning]  (the returning-user rows only)
 *        [--baseline DIR]  (another checkout of this repository, built with `npx tsc -b`, e.g. `git archive HEAD`
 *        unpacked with node_modules linked: its serve on PostgreSQL joins the returning rounds' rotation, so a change
 *        is measured before and after in the same run, each against the same bare route)
 * Needs the server package built (`npx tsc -b`): `serve` runs the CLI from source on the built server.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createStorage } from '@ab-calicritters/server';
import { storageOrm } from '@ab-calicritters/server/testing';
import {
  defineBenchExperiments,
  freshDatabase,
  median,
  storeReturningUsers,
  printResultRows,
  reportRows,
  type ResultRow,
} from './bench-helpers.js';
import { defineOverHttp, loadAssignments } from './assignment-load.js';
import { summariseCpuProfile } from './cpu-profile.js';
import { startBare, startFloor, startServe, type Target } from './http-target.js';
import { backendPids, cpuMs } from './proc-cpu.js';

const argAt = (name: string) => process.argv.indexOf(`--${name}`);
const arg = (name: string, fallback: number) => Number(process.argv[argAt(name) + 1]) || fallback;
/** `pnpm bench`'s quick mode: shorter rounds and fewer users, still five alternating rounds. */
const QUICK = argAt('quick') > 0;
const SECONDS = arg('seconds', QUICK ? 2 : 4);
const ROUNDS = Math.max(arg('rounds', 5), QUICK ? 5 : 1);
const CONNECTIONS = arg('connections', 50);
const USERS = arg('users', QUICK ? 3000 : 10_000);
/** PGlite's returning users are made by first requests (its database lives inside the server): fewer of them. */
const LITE_USERS = Math.min(USERS, 3000);
/** `serve`'s pool size (StorageOptions.poolMax default; serve has no setting for it). */
const POOL = 10;
const PROFILE_DIR = argAt('cpu-prof') > 0 ? process.argv[argAt('cpu-prof') + 1] : undefined;
/** The reference of the first-time rows runs the read before the insert-or-read statement. */
const TWO_STATEMENTS = argAt('two-statements') > 0;
const ADMIN_TOKEN = 'bench-admin-token-0001';
const GOAL = 0.7;
/** Serve on PGlite against serve on PostgreSQL: the embedded database's goal. */
const LITE_GOAL = 0.5;
const STATEMENTS_LABEL = TWO_STATEMENTS ? 'read + insert-or-read statements' : 'insert-or-read statement';
const RETURNING_ONLY = argAt('returning') > 0;
const BASELINE = argAt('baseline') > 0 ? process.argv[argAt('baseline') + 1] : undefined;
if (argAt('help') > 0) {
  // The usage is this file's opening comment.
  const header = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(new URL(import.meta.url), 'utf8'))![1]!;
  console.log(header.replace(/^ \* ?/gm, '').trim());
  process.exit(0);
}

/** One side's figures in one round. */
interface Round {
  rate: number;
  p99?: number;
  /** CPU per request, µs: the server (or client) process, and its PostgreSQL backends. */
  nodeUs: number;
  pgUs: number;
}

/** Runs `work`, counting the CPU of `pids()` (read before and after, so backends that come and go are counted). */
async function withCpu(
  pids: () => Promise<number[]>,
  work: () => Promise<{ count: number; rate: number; p99?: number }>,
  split: (pid: number) => 'node' | 'pg',
): Promise<Round> {
  const before = cpuMs(await pids());
  const result = await work();
  const after = cpuMs([...new Set([...before.keys(), ...(await pids())])]);
  let node = 0;
  let pgMs = 0;
  for (const [pid, ms] of after) {
    // A backend that started during the run counts from 0.
    const spent = ms - (before.get(pid) ?? 0);
    if (split(pid) === 'node') node += spent;
    else pgMs += spent;
  }
  const per = (ms: number) => (ms * 1000) / Math.max(1, result.count);
  return { rate: result.rate, p99: result.p99, nodeUs: per(node), pgUs: per(pgMs) };
}

let failures = 0;
async function load(url: string, user: () => string, options: { seconds?: number; amount?: number }) {
  const { failed, ...figures } = await loadAssignments(url, CONNECTIONS, user, options);
  failures += failed;
  return figures;
}

/** A statement as the server's store sent it. */
interface Statement {
  name?: string;
  text: string;
  values: unknown[];
}

type BenchStorage = Awaited<ReturnType<typeof createStorage>>;
interface PoolConnection {
  query(config: unknown, values?: unknown[]): Promise<{ rows: unknown[] }>;
}
const knexClientOf = (storage: BenchStorage) =>
  (storageOrm(storage).em.getConnection() as unknown as { getKnex(): { client: unknown } }).getKnex().client as {
    acquireConnection(): Promise<PoolConnection>;
    releaseConnection(c: PoolConnection): Promise<void>;
  };

/**
 * The statements a first-time user costs, as the server's own assignment store sends them (the insert-or-read
 * statement; with `--two-statements` the read before it): captured on the wire of its pool rather than copied, so the
 * reference runs exactly our SQL.
 */
async function firstTimeStatements(storage: BenchStorage, user: string): Promise<Statement[]> {
  const ids = (await storage.experiments.listWithIds()).map((e) => e.id);
  const client = knexClientOf(storage);
  const acquire = client.acquireConnection.bind(client);
  const captured: Statement[] = [];
  const patched = new Set<PoolConnection>();
  client.acquireConnection = async () => {
    const connection = await acquire();
    // The pool hands out the same connection again: wrap it once.
    if (!patched.has(connection)) {
      patched.add(connection);
      const query = connection.query.bind(connection);
      connection.query = (config, values) => {
        captured.push(typeof config === 'string' ? { text: config, values: values ?? [] } : (config as Statement));
        return query(config, values);
      };
    }
    return connection;
  };
  try {
    if (TWO_STATEMENTS) await storage.assignments.find(user, ids);
    await storage.assignments.upsertSticky(
      user,
      ids.map((id) => ({ experiment_id: id, variant: 'control', hash_attribute: 'id' })),
    );
  } finally {
    client.acquireConnection = acquire;
    // The wrapper is an own property over the prototype's query: removing it restores the driver's own.
    for (const connection of patched) Reflect.deleteProperty(connection, 'query');
  }
  const expected = TWO_STATEMENTS ? 2 : 1;
  if (captured.length !== expected) throw new Error(`expected ${expected} statement(s), captured ${captured.length}`);
  return captured;
}

/** The statements for another user: every value that was the sample user id is the new one. */
const forUser = (statements: Statement[], sample: string, user: string) =>
  statements.map((s) => ({ ...s, values: s.values.map((v) => (v === sample ? user : v)) }));

/** Runs a first-time user's statements for new users from `CONNECTIONS` loops, for `SECONDS` (or `amount` users). */
async function drive(run: (user: string) => Promise<void>, prefix: string, amount?: number) {
  let n = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const more = () => (amount === undefined ? performance.now() < deadline : n < amount);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (more()) await run(`${prefix}-${n++}`);
    }),
  );
  return { count: n, rate: n / ((performance.now() - started) / 1000) };
}

interface Comparison {
  path: string;
  ours: Round[];
  reference: Round[];
  referenceLabel: string;
  /** The ratio the row asks for, when not {@link GOAL}. */
  goal?: number;
  /** A bound, not ours: reported without a goal. */
  floor?: boolean;
}

/**
 * Runs every side once per round, the order rotated each round (a, b, c; b, c, a; …): with two sides, b goes first
 * every other round. The last side is the reference; the others are ours.
 */
async function rotate(label: string, sides: readonly (() => Promise<Round>)[], names: readonly string[]) {
  const rounds: Round[][] = sides.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < sides.length; i++) {
      const which = (round + i) % sides.length;
      rounds[which]!.push(await sides[which]!());
    }
    const last = (r: Round[]) => `${r.at(-1)!.rate.toFixed(0)}/s ${(r.at(-1)!.nodeUs + r.at(-1)!.pgUs).toFixed(0)} µs`;
    const figures = rounds.map((r, i) => `${names[i]} ${last(r)}`).join(', ');
    process.stderr.write(`  ${label} round ${round + 1}: ${figures}\n`);
  }
  return rounds;
}

/** Alternates `a` (ours) and `b` (the reference) over the rounds, b first every other round. */
async function alternate(label: string, a: () => Promise<Round>, b: () => Promise<Round>) {
  const [ours, reference] = await rotate(label, [a, b], ['ours', 'reference']);
  return { ours: ours!, reference: reference! };
}

const db = await freshDatabase();
const targets: Target[] = [];
/** When the profiled server started and when its warm-up ended (ms): the profile summary skips start and warm-up. */
const timing = { servePgStarted: 0, warmedAt: 0, returningDone: 0, firstTimeDone: 0 };
let lite: BenchStorage | undefined;
try {
  const dbUrl = db.db.url!;
  const dbName = new URL(dbUrl).pathname.slice(1);
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  timing.servePgStarted = performance.now();
  const servePg = await startServe({
    databaseUrl: dbUrl,
    adminToken: ADMIN_TOKEN,
    nodeOptions: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  });
  targets.push(servePg);
  const serveLite = await startServe({ adminToken: ADMIN_TOKEN });
  targets.push(serveLite);
  const bare = await startBare();
  targets.push(bare);
  const before = BASELINE
    ? await startServe({ databaseUrl: dbUrl, adminToken: ADMIN_TOKEN, checkout: BASELINE })
    : null;
  if (before) targets.push(before);
  await defineOverHttp(servePg.url, ADMIN_TOKEN);
  await defineOverHttp(serveLite.url, ADMIN_TOKEN);

  // Returning users: every user holds both sticky rows (PostgreSQL: inserted here; PGlite: made by the warm-up).
  await storeReturningUsers(db.client, USERS);
  // Warm-up: JIT, pools, prepared statements, and each user once (the sticky-row cache, on by default, holds them).
  for (const [target, users] of [
    [servePg, USERS],
    [serveLite, LITE_USERS],
    [bare, USERS],
    ...(before ? [[before, USERS] as const] : []),
  ] as const) {
    let next = 0;
    await load(target.url, () => `u-${next++ % users}`, { amount: users });
  }
  timing.warmedAt = performance.now();
  const returning = (users: number) => () => `u-${Math.floor(Math.random() * users)}`;
  // Both serves on PostgreSQL share the application name: with a baseline, each counts its own process only (with
  // the sticky-row cache, returning users run no statement).
  const servePgPids = async () =>
    before ? [servePg.pid] : [servePg.pid, ...(await backendPids(db.client, dbName, 'ab-calicritters'))];
  const isServer = (pid: number) =>
    pid === servePg.pid || pid === serveLite.pid || pid === bare.pid || pid === before?.pid;
  const split = (pid: number) => (isServer(pid) || pid === process.pid ? 'node' : 'pg');
  const returningRound =
    (target: Target, pids: () => Promise<number[]>, users = USERS) =>
    () =>
      withCpu(pids, () => load(target.url, returning(users), { seconds: SECONDS }), split);

  const comparisons: Comparison[] = [];
  const barePids = async () => [bare.pid];
  const bareLabel = 'bare Koa + @koa/router, same body';
  if (before) {
    const [after, baseline, reference] = await rotate(
      'returning, PostgreSQL',
      [
        returningRound(servePg, servePgPids),
        returningRound(before, async () => [before.pid]),
        returningRound(bare, barePids),
      ],
      ['ours', 'baseline', 'bare'],
    );
    comparisons.push({
      path: 'returning users, PostgreSQL',
      ours: after!,
      reference: reference!,
      referenceLabel: bareLabel,
    });
    comparisons.push({
      path: `returning users, PostgreSQL, baseline ${BASELINE}`,
      ours: baseline!,
      reference: reference!,
      referenceLabel: bareLabel,
    });
  } else {
    const r = await alternate(
      'returning, PostgreSQL',
      returningRound(servePg, servePgPids),
      returningRound(bare, barePids),
    );
    comparisons.push({ path: 'returning users, PostgreSQL', ...r, referenceLabel: bareLabel });
  }
  const r = await alternate(
    'returning, PGlite',
    returningRound(serveLite, async () => [serveLite.pid], LITE_USERS),
    returningRound(bare, barePids),
  );
  comparisons.push({ path: 'returning users, PGlite', ...r, referenceLabel: bareLabel });
  comparisons.push({
    path: 'returning users, PGlite vs PostgreSQL',
    ours: r.ours,
    reference: comparisons[0]!.ours,
    referenceLabel: 'serve on PostgreSQL, its returning rounds above (round n against round n)',
    goal: LITE_GOAL,
  });
  timing.returningDone = performance.now();
  if (!RETURNING_ONLY) {
    // First-time users: ours against our own statements on raw pg, pool of the same size, same concurrency.
    const sample = 'capture-0';
    const statements = await firstTimeStatements(db.db.storage, sample);
    process.stderr.write(
      `  reference statements: ${statements.map((x) => x.name ?? x.text.slice(0, 30)).join(', ')}\n`,
    );
    const rawPool = new pg.Pool({ connectionString: dbUrl, max: POOL, application_name: 'bench-raw' });
    const rawRun = async (user: string) => {
      for (const s of forUser(statements, sample, user)) await rawPool.query(s as pg.QueryConfig);
    };
    await drive(rawRun, 'raw-warm', USERS);
    const floor = await startFloor(dbUrl, { sample, list: statements, pool: POOL });
    targets.push(floor);
    let warm = 0;
    await load(floor.url, () => `floor-warm-${warm++}`, { amount: USERS });
    const floorSplit = (pid: number) => (pid === floor.pid ? 'node' : split(pid));
    // Every round of every side gets users of its own.
    let round = 0;
    const [oursFirst, floorFirst, rawFirst] = await rotate(
      'first-time, PostgreSQL',
      [
        () => {
          const prefix = `f${round++}`;
          let n = 0;
          return withCpu(servePgPids, () => load(servePg.url, () => `${prefix}-${n++}`, { seconds: SECONDS }), split);
        },
        () => {
          const prefix = `floor${round++}`;
          let n = 0;
          return withCpu(
            async () => [floor.pid, ...(await backendPids(db.client, dbName, 'bench-floor'))],
            () => load(floor.url, () => `${prefix}-${n++}`, { seconds: SECONDS }),
            floorSplit,
          );
        },
        () =>
          withCpu(
            async () => [process.pid, ...(await backendPids(db.client, dbName, 'bench-raw'))],
            () => drive(rawRun, `raw${round++}`),
            split,
          ),
      ],
      ['ours', 'floor', 'reference'],
    );
    const rawLabel = `raw pg: our ${STATEMENTS_LABEL}, pool ${POOL}, ${CONNECTIONS} concurrent`;
    comparisons.push({
      path: 'first-time users, PostgreSQL',
      ours: oursFirst!,
      reference: rawFirst!,
      referenceLabel: rawLabel,
    });
    comparisons.push({
      path: 'first-time users, PostgreSQL, floor: bare Koa + the same statement on raw pg (a bound, not ours)',
      ours: floorFirst!,
      reference: rawFirst!,
      referenceLabel: rawLabel,
      floor: true,
    });
    timing.firstTimeDone = performance.now();
    await rawPool.end();

    // PGlite: the store's own calls on a PGlite in this process, so the statement is prepared and sent exactly as the
    // server sends it (its pool's one connection, PGlite's wire protocol): no capture, the store is the statement.
    lite = await createStorage({ dataDir: 'memory://', migrate: true });
    await defineBenchExperiments(lite, { funnel: false });
    const liteStore = lite.assignments;
    const liteIds = (await lite.experiments.listWithIds()).map((e) => e.id);
    const liteRows = liteIds.map((id) => ({ experiment_id: id, variant: 'control', hash_attribute: 'id' }));
    const liteRun = async (user: string) => {
      if (TWO_STATEMENTS) await liteStore.find(user, liteIds);
      await liteStore.upsertSticky(user, liteRows);
    };
    // As long a warm-up as the server had: PGlite's WebAssembly gets several times faster as V8 optimises it.
    await drive(liteRun, 'lite-warm', LITE_USERS);
    const r = await alternate(
      'first-time, PGlite',
      () => {
        const prefix = `f${round++}`;
        let n = 0;
        return withCpu(
          async () => [serveLite.pid],
          () => load(serveLite.url, () => `${prefix}-${n++}`, { seconds: SECONDS }),
          split,
        );
      },
      () =>
        withCpu(
          async () => [process.pid],
          () => drive(liteRun, `lite${round++}`),
          split,
        ),
    );
    comparisons.push({
      path: 'first-time users, PGlite',
      ...r,
      referenceLabel: `PGlite in process: the store's ${STATEMENTS_LABEL}, ${CONNECTIONS} concurrent`,
    });
  }

  if (failures > 0) console.warn(`warning: ${failures} requests failed`);
  const cpu = (rs: Round[]) =>
    `${median(rs.map((x) => x.nodeUs)).toFixed(0)} µs Node + ${median(rs.map((x) => x.pgUs)).toFixed(0)} µs PostgreSQL`;
  const rows: ResultRow[] = comparisons.map((c) => ({
    path: `POST /v1/assignment, ${c.path}`,
    ours: median(c.ours.map((x) => x.rate)),
    reference: median(c.reference.map((x) => x.rate)),
    unit: 'req/s',
    referenceLabel: c.referenceLabel,
    ratio: median(c.ours.map((o, i) => o.rate / c.reference[i]!.rate)),
    ...(c.floor ? {} : { goal: `≥ ${c.goal ?? GOAL}` as const }),
    note:
      `CPU per request: ours ${cpu(c.ours)}, reference ${cpu(c.reference)}; rounds (ours/reference): ` +
      c.ours.map((o, i) => `${o.rate.toFixed(0)}/${c.reference[i]!.rate.toFixed(0)}`).join(', '),
  }));
  printResultRows(
    `POST /v1/assignment through calicritters serve, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ` +
      `${SECONDS} s, returning users × 2 experiments: ${USERS} (PostgreSQL), ${LITE_USERS} (PGlite); medians, ` +
      `ratio: median of the per-round ratios`,
    rows,
  );
  reportRows('http', rows);
} finally {
  for (const target of targets) await target.stop();
  await lite?.close();
  await db.close();
}
if (PROFILE_DIR) {
  // The main thread's profile (tsx's loader thread writes a second, small one), from the end of the warm-up on.
  const profiles = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile') && /\.0\.\d+\.cpuprofile$/.test(f));
  const phases = [
    ['returning users', timing.warmedAt, timing.returningDone],
    ['first-time users', timing.returningDone, timing.firstTimeDone],
  ] as const;
  for (const file of profiles)
    for (const [phase, from, to] of phases)
      console.log(
        `${phase}: ` +
          summariseCpuProfile(`${PROFILE_DIR}/${file}`, {
            fromMs: from - timing.servePgStarted,
            toMs: to - timing.servePgStarted,
          }),
      );
}
