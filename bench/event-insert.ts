/**
 * `POST /v1/events` (100-event batches of one user, what an SDK sends) through the real HTTP route, next to the
 * reference: a bare Koa route that parses the same body and runs one hand-written `unnest` insert doing the same
 * dedupe (ON CONFLICT DO NOTHING) and enrichment (the user's current assignments), on a raw `pg` pool of the same
 * size, with no checks at all. Each is a server process of its own on the same PostgreSQL database, loaded by
 * autocannon at the same concurrency; they alternate (order flipped every round) over `--rounds` rounds of
 * `--seconds`, so a machine that gets busier or quieter affects both. CPU per event is the server process plus every
 * PostgreSQL process, from /proc. Ratios are per round (paired), then the median.
 * `--combine` adds a third server: the reference with the events of all requests that arrive in one event-loop
 * turn combined into one statement (a per-tick batcher), to measure whether combining wins.
 * `--pglite` measures on an in-memory PGlite instead: our route and the reference route in one server process over
 * the same database (PGlite runs inside it, so that process's CPU is all of it).
 * Then, on PostgreSQL runs, PGlite against PostgreSQL: the real `calicritters serve` on PGlite (a data directory,
 * serve's default kind of database, holding the same experiments and assignments) and on the PostgreSQL database
 * above, same batches and connections, alternating rounds; CPU per event is serve's process (plus PostgreSQL's
 * processes for the PostgreSQL side); goal ≥ 0.5 of PostgreSQL's events/s.
 * Usage: cd bench && node --import tsx event-insert.ts [--rounds 6 --seconds 8 --connections 20 --combine --pglite --quick]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createStorage } from '@ab-calicritters/server';
import { testSql } from '@ab-calicritters/server/testing';
import { defineBenchExperiments, freshDatabase, median, reportRows, type ResultRow } from './bench-helpers.js';
import { startServe } from './http-target.js';
import { cpuMs, cpuSpent, postgresPids } from './proc-cpu.js';

const flag = (name: string) => process.argv.includes(`--${name}`);
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
// --quick (the whole-suite run): still five paired rounds, shorter ones.
const QUICK = flag('quick');
const ROUNDS = arg('rounds', QUICK ? 5 : 6);
const SECONDS = arg('seconds', QUICK ? 3 : 8);
const CONNECTIONS = arg('connections', 20);
const USERS = arg('users', 2000);
const EVENTS = 100;
const GOAL = 0.85;
/** serve on PGlite against serve on PostgreSQL. */
const PGLITE_GOAL = 0.5;
/** The bench users' sticky rows, one per experiment (variants in turn); `?`: how many users. */
const ASSIGN_USERS = `insert into assignments (experiment_id, user_id, variant)
  select e.id, 'u-' || g, (e.variants -> (g % jsonb_array_length(e.variants)) ->> 'key')
    from experiments e, generate_series(0, ? - 1) g`;

/** One SDK batch: 100 events of one user, fresh ids, the last minutes. */
function sdkBatch() {
  const user = `u-${Math.floor(Math.random() * USERS)}`;
  const now = Date.now();
  return {
    events: Array.from({ length: EVENTS }, (_, k) => ({
      event_id: randomUUID(),
      user_id: user,
      name: k % 10 === 0 ? 'purchase' : 'app_open',
      timestamp: new Date(now - k * 1000).toISOString(),
      properties: { screen: 'home', k },
    })),
    sent_at: new Date(now).toISOString(),
  };
}

interface Target {
  url: string;
  path: string;
  pid: number;
  stop: () => void;
}

async function startTarget(args: string[], path = '/v1/events'): Promise<Target> {
  const script = args[0] === 'ab' ? './http-target.ts' : './event-reference.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(script, import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_USERS: String(USERS) },
  });
  const port = await new Promise<number>((resolve) =>
    createInterface({ input: child.stdout }).once('line', (l) => resolve(Number(l))),
  );
  return { url: `http://127.0.0.1:${port}`, path, pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

const load = (target: Target, options: { seconds?: number; amount?: number }) =>
  autocannon({
    url: target.url,
    connections: CONNECTIONS,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(sdkBatch()) }),
      },
    ],
  });

interface Round {
  rate: number;
  nodeUs: number;
  pgUs: number;
}

/** Columns of the results table: heading, width, value of one round, decimals. */
const COLUMNS: Array<[string, number, (x: Round) => number, number]> = [
  ['events/s', 10, (x) => x.rate, 0],
  ['app µs/ev', 11, (x) => x.nodeUs, 1],
  ['PG µs/ev', 10, (x) => x.pgUs, 1],
  ['CPU µs/ev', 11, (x) => x.nodeUs + x.pgUs, 1],
];

/** Prints the table and the paired ratios; returns the rows to report (bench/results/<bench>.json) for `pnpm bench`. */
function printResults(
  title: string,
  rounds: Record<string, Round[]>,
  ours: string,
  reference: string,
  goal = GOAL,
): ResultRow[] {
  // On PGlite the database runs inside the server process: its CPU is all under "app".
  const columns = COLUMNS.filter(
    ([h]) =>
      !h.startsWith('PG') ||
      Object.values(rounds)
        .flat()
        .some((x) => x.pgUs > 0),
  );
  console.log(`\n${title}`);
  console.log('what'.padEnd(22) + columns.map(([h, w]) => h.padStart(w)).join('') + '   rounds (events/s)');
  for (const [which, r] of Object.entries(rounds)) {
    const cells = columns.map(([, w, f, d]) => median(r.map(f)).toFixed(d).padStart(w)).join('');
    console.log(`${which.padEnd(22)}${cells}   ${r.map((x) => x.rate.toFixed(0)).join(', ')}`);
  }
  const paired = (a: string, b: string, f: (x: Round) => number) =>
    median((rounds[a] as Round[]).map((x, i) => f(x) / f((rounds[b] as Round[])[i] as Round)));
  const cpu = (x: Round) => x.nodeUs + x.pgUs;
  const reported: ResultRow[] = [];
  for (const which of Object.keys(rounds).filter((w) => w !== reference)) {
    const ratio = paired(which, reference, (x) => x.rate);
    const verdict = which === ours ? ` (goal ≥ ${goal}: ${ratio >= goal ? '✓' : '✗'})` : '';
    const cpuRatio = paired(which, reference, cpu);
    console.log(
      `${which} / ${reference}: events/s ${ratio.toFixed(2)}${verdict}, CPU per event ${cpuRatio.toFixed(2)}, ` +
        `app CPU per event ${paired(which, reference, (x) => x.nodeUs).toFixed(2)}`,
    );
    reported.push({
      path: `POST /v1/events, ${which}`,
      ours: median((rounds[which] as Round[]).map((x) => x.rate)),
      reference: median((rounds[reference] as Round[]).map((x) => x.rate)),
      unit: 'events/s',
      referenceLabel: reference,
      ratio,
      ...(which === ours ? { goal: `≥ ${goal}` as const } : {}),
      note: `CPU per event ${median((rounds[which] as Round[]).map(cpu)).toFixed(1)} µs, ratio ${cpuRatio.toFixed(2)}`,
    });
  }
  return reported;
}

/**
 * Alternating rounds over the targets, order rotated each round; CPU of each server process, plus PostgreSQL's
 * processes for the targets `withPostgres` names.
 */
async function runRounds(targets: Record<string, Target>, withPostgres: boolean | ((name: string) => boolean)) {
  const names = Object.keys(targets);
  // Warm-up outside the rounds: pools, prepared statements, JIT.
  for (const name of names) await load(targets[name]!, { amount: 400 });
  const rounds: Record<string, Round[]> = Object.fromEntries(names.map((n) => [n, []]));
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length] as string);
    for (const which of order) {
      const target = targets[which]!;
      const countPostgres = typeof withPostgres === 'boolean' ? withPostgres : withPostgres(which);
      const pgPids = countPostgres ? postgresPids() : [];
      const nodeBefore = cpuMs([target.pid]);
      const pgBefore = cpuMs(pgPids);
      const result = await load(target, { seconds: SECONDS });
      const node = cpuSpent(nodeBefore, cpuMs([target.pid]));
      const pg = cpuSpent(pgBefore, cpuMs(countPostgres ? postgresPids() : []));
      const events = result['2xx'] * EVENTS;
      failures += result.non2xx + result.errors + result.timeouts;
      const r = { rate: events / SECONDS, nodeUs: (node * 1000) / events, pgUs: (pg * 1000) / events };
      rounds[which]!.push(r);
      process.stderr.write(
        `  round ${round + 1} ${which}: ${r.rate.toFixed(0)} events/s, ` +
          `${r.nodeUs.toFixed(1)} µs app + ${r.pgUs.toFixed(1)} µs PostgreSQL per event\n`,
      );
    }
  }
  for (const target of new Set(Object.values(targets))) target.stop();
  if (failures > 0) console.warn(`warning: ${failures} requests failed`);
  return rounds;
}

const title = (where: string) =>
  `POST /v1/events, ${EVENTS}-event batches of one user (${USERS} users × 2 assignments), ${CONNECTIONS} ` +
  `connections, ${ROUNDS} rounds × ${SECONDS} s, alternating (${where})`;

async function onPostgres() {
  const db = await freshDatabase();
  try {
    await defineBenchExperiments(db.db.storage, { funnel: false });
    await db.client.query(ASSIGN_USERS.replace('?', '$1'), [USERS]);
    await db.client.query('vacuum analyze assignments');
    const url = db.db.url as string;
    const targets: Record<string, Target> = {
      'ours (HTTP route)': await startTarget(['ab', url]),
      'raw pg unnest': await startTarget(['single', url]),
    };
    if (flag('combine')) targets['raw pg, tick-combined'] = await startTarget(['combined', url]);
    const rounds = await runRounds(targets, true);
    const [rows] = (await db.client.query('select count(*)::int as n from event_logs')).rows as [{ n: number }];
    console.log(`(${rows.n} events stored in all)`);
    const reported = printResults(
      title('servers in their own processes, pool of 10 each, PostgreSQL'),
      rounds,
      'ours (HTTP route)',
      'raw pg unnest',
    );
    reported.push(...(await pgliteAgainstPostgres(url)));
    reportRows('event-insert', reported);
  } finally {
    await db.close();
  }
}

/** serve on PGlite (a data directory holding the same definitions and assignments) against serve on `databaseUrl`. */
async function pgliteAgainstPostgres(databaseUrl: string): Promise<ResultRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'abc-bench-events-'));
  try {
    const lite = await createStorage({ dataDir, migrate: true });
    try {
      await defineBenchExperiments(lite, { funnel: false });
      await testSql(lite, ASSIGN_USERS, [USERS]);
    } finally {
      await lite.close();
    }
    const stops: Array<() => Promise<void>> = [];
    const serve = async (options: { databaseUrl: string } | { dataDir: string }): Promise<Target> => {
      const target = await startServe({ ...options, adminToken: 'bench-admin-token-0001' });
      stops.push(target.stop);
      return { url: target.url, path: '/v1/events', pid: target.pid, stop: () => void target.stop() };
    };
    const pglite = 'serve, PGlite';
    const postgres = 'serve, PostgreSQL';
    const targets = { [pglite]: await serve({ dataDir }), [postgres]: await serve({ databaseUrl }) };
    const rounds = await runRounds(targets, (name) => name === postgres);
    // Both have shut down before the database is dropped under them.
    await Promise.all(stops.map((stop) => stop()));
    return printResults(
      title('calicritters serve on PGlite (a data directory) and on PostgreSQL, in their own processes'),
      rounds,
      pglite,
      postgres,
      PGLITE_GOAL,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Both routes in one process on one in-memory PGlite; its CPU is the whole cost ("app" below). */
async function onPglite() {
  const server = await startTarget(['pglite']);
  const targets: Record<string, Target> = {
    'ours (HTTP route)': server,
    'raw unnest': { ...server, path: '/raw/v1/events' },
  };
  const rounds = await runRounds(targets, false);
  reportRows(
    'event-insert-pglite',
    printResults(title('one server process, in-memory PGlite'), rounds, 'ours (HTTP route)', 'raw unnest'),
  );
}

await (flag('pglite') ? onPglite() : onPostgres());
