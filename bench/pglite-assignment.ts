/**
 * First-time users of POST /v1/assignment on the embedded database (PGlite, `serve`'s default) next to PostgreSQL,
 * through the real `calicritters serve` in one rotation of rounds (each side once per round, the order rotated):
 * - serve on PostgreSQL: the reference; goal PGlite ≥ 0.5 of its req/s (PGlite runs in the server's one thread);
 * - serve on PGlite in memory (`DATA_DIR=memory://`), and on disk (a data directory, as `serve` defaults to);
 * - the store's insert-or-read call alone on a PGlite in this process, no HTTP: what the statement itself costs;
 * - `--baseline DIR`: another checkout's serve on PGlite in memory (built with `npx tsc -b`, node_modules linked),
 *   the before side of a change measured in the same run.
 * Figures are medians; ratios are paired per round. CPU per request from /proc: the server process (PGlite runs in
 * it), plus its PostgreSQL backends for serve on PostgreSQL.
 * Usage: cd bench && node --import tsx pglite-assignment.ts [--quick] [--seconds 4 --rounds 5 --connections 50]
 *        [--baseline DIR]
 * Needs the server package built (`npx tsc -b`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '@ab-calicritters/server';
import { defineOverHttp, loadAssignments } from './assignment-load.js';
import {
  defineBenchExperiments,
  freshDatabase,
  median,
  printResultRows,
  reportRows,
  type ResultRow,
} from './bench-helpers.js';
import { startServe, type Target } from './http-target.js';
import { backendPids, cpuMs } from './proc-cpu.js';

const argAt = (name: string) => process.argv.indexOf(`--${name}`);
const arg = (name: string, fallback: number) => Number(process.argv[argAt(name) + 1]) || fallback;
const QUICK = argAt('quick') > 0;
const SECONDS = arg('seconds', QUICK ? 2 : 4);
const ROUNDS = arg('rounds', 5);
const CONNECTIONS = arg('connections', 50);
/** First-time users each server meets before the rounds: V8 optimises PGlite's WebAssembly as it runs. */
const WARM_USERS = QUICK ? 2000 : 4000;
const BASELINE = argAt('baseline') > 0 ? process.argv[argAt('baseline') + 1] : undefined;
const ADMIN_TOKEN = 'bench-admin-token-0001';
const GOAL = 0.5;

interface Round {
  rate: number;
  /** CPU per request, µs: the server (or this) process, and PostgreSQL backends. */
  nodeUs: number;
  pgUs: number;
}

interface Side {
  name: string;
  run: (prefix: string) => Promise<{ count: number; rate: number }>;
  pids: () => Promise<number[]>;
}

/** Failed requests (non-2xx, errors, timeouts) per server. */
const failures = new Map<Target, number>();
async function firstTimeLoad(target: Target, prefix: string, amount?: number) {
  let n = 0;
  const { count, rate, failed } = await loadAssignments(target.url, CONNECTIONS, () => `${prefix}-${n++}`, {
    seconds: SECONDS,
    amount,
  });
  failures.set(target, (failures.get(target) ?? 0) + failed);
  return { count, rate };
}

async function measure(side: Side, prefix: string): Promise<Round> {
  const pids = await side.pids();
  const before = cpuMs(pids);
  const { count, rate } = await side.run(prefix);
  const after = cpuMs([...new Set([...pids, ...(await side.pids())])]);
  let node = 0;
  let pgMs = 0;
  for (const [pid, ms] of after) {
    const spent = ms - (before.get(pid) ?? 0);
    if (pid === pids[0]) node += spent;
    else pgMs += spent;
  }
  const per = (ms: number) => (ms * 1000) / Math.max(1, count);
  return { rate, nodeUs: per(node), pgUs: per(pgMs) };
}

/** Serve of another checkout on PGlite in memory: http-target's `checkout` option, checked on the process itself. */
async function startBaseline(checkout: string): Promise<Target> {
  const options = { adminToken: ADMIN_TOKEN, checkout };
  const target = await startServe(options);
  if (!readFileSync(`/proc/${target.pid}/cmdline`, 'utf8').includes(checkout)) {
    await target.stop();
    throw new Error(`http-target's startServe did not run the checkout in ${checkout} (no checkout option?)`);
  }
  return target;
}

const db = await freshDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'pglite-bench-'));
const targets: Target[] = [];
let lite: Awaited<ReturnType<typeof createStorage>> | undefined;
try {
  const dbUrl = db.db.url!;
  const dbName = new URL(dbUrl).pathname.slice(1);
  const pgServe = await startServe({ databaseUrl: dbUrl, adminToken: ADMIN_TOKEN });
  const memServe = await startServe({ adminToken: ADMIN_TOKEN });
  const diskServe = await startServe({ adminToken: ADMIN_TOKEN, dataDir: join(dataDir, 'pglite') });
  const baseServe = BASELINE ? await startBaseline(BASELINE) : undefined;
  const serves = [pgServe, memServe, diskServe, ...(baseServe ? [baseServe] : [])];
  targets.push(...serves);
  for (const target of serves) await defineOverHttp(target.url, ADMIN_TOKEN);

  lite = await createStorage({ dataDir: 'memory://', migrate: true });
  await defineBenchExperiments(lite, { funnel: false });
  const ids = (await lite.experiments.listWithIds()).map((e) => e.id);
  const store = lite.assignments;
  const rows = ids.map((id) => ({ experiment_id: id, variant: 'control', hash_attribute: 'id' }));
  /** The store's insert-or-read call from `CONNECTIONS` loops, for SECONDS or `amount` users. */
  const storeLoad = async (prefix: string, amount?: number) => {
    let n = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const more = () => (amount === undefined ? performance.now() < deadline : n < amount);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (more()) await store.upsertSticky(`${prefix}-${n++}`, rows);
      }),
    );
    return { count: n, rate: n / ((performance.now() - started) / 1000) };
  };

  const names = new Map<Target, string>();
  const serveSide = (name: string, target: Target, pids?: () => Promise<number[]>): Side => {
    names.set(target, name);
    return { name, run: (prefix) => firstTimeLoad(target, prefix), pids: pids ?? (async () => [target.pid]) };
  };
  const sides: Side[] = [
    serveSide('serve, PostgreSQL', pgServe, async () => [
      pgServe.pid,
      ...(await backendPids(db.client, dbName, 'ab-calicritters')),
    ]),
    serveSide('serve, PGlite in memory', memServe),
    serveSide('serve, PGlite on disk', diskServe),
    ...(baseServe ? [serveSide(`serve, PGlite in memory, baseline ${BASELINE}`, baseServe)] : []),
    {
      name: 'store call alone, PGlite in process',
      run: (prefix) => storeLoad(prefix),
      pids: async () => [process.pid],
    },
  ];

  for (const target of serves) await firstTimeLoad(target, 'warm', WARM_USERS);
  await storeLoad('warm', WARM_USERS);

  const rounds: Round[][] = sides.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < sides.length; i++) {
      const which = (round + i) % sides.length;
      rounds[which]!.push(await measure(sides[which]!, `r${round}`));
    }
    const figures = sides.map((s, i) => {
      const r = rounds[i]!.at(-1)!;
      return `${s.name} ${r.rate.toFixed(0)}/s ${(r.nodeUs + r.pgUs).toFixed(0)} µs`;
    });
    process.stderr.write(`  round ${round + 1}: ${figures.join('; ')}\n`);
  }

  for (const [target, n] of failures) if (n > 0) console.warn(`warning: ${n} requests failed on ${names.get(target)}`);
  const cpu = (rs: Round[]) => {
    const pgUs = median(rs.map((x) => x.pgUs));
    return `${median(rs.map((x) => x.nodeUs)).toFixed(0)} µs${pgUs > 0 ? ` + ${pgUs.toFixed(0)} µs PostgreSQL` : ''}`;
  };
  const row = (ours: number, reference: number, goal?: `≥ ${number}`): ResultRow => ({
    path: `POST /v1/assignment, first-time users, ${sides[ours]!.name}`,
    ours: median(rounds[ours]!.map((x) => x.rate)),
    reference: median(rounds[reference]!.map((x) => x.rate)),
    unit: 'req/s',
    referenceLabel: sides[reference]!.name,
    ratio: median(rounds[ours]!.map((o, i) => o.rate / rounds[reference]![i]!.rate)),
    ...(goal ? { goal } : {}),
    note:
      `CPU per request: ours ${cpu(rounds[ours]!)}, reference ${cpu(rounds[reference]!)}; rounds: ` +
      rounds[ours]!.map((o, i) => `${o.rate.toFixed(0)}/${rounds[reference]![i]!.rate.toFixed(0)}`).join(', '),
  });
  const storeIndex = sides.length - 1;
  const result = [row(1, 0, `≥ ${GOAL}`), row(2, 0, `≥ ${GOAL}`), row(1, storeIndex)];
  if (baseServe) result.push(row(1, 3));
  printResultRows(
    `POST /v1/assignment, first-time users × 2 experiments, ${CONNECTIONS} connections, ${ROUNDS} rotated rounds × ` +
      `${SECONDS} s; medians, ratio: median of the per-round ratios`,
    result,
  );
  reportRows('pglite-assignment', result);
} finally {
  for (const target of targets) await target.stop();
  await lite?.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
