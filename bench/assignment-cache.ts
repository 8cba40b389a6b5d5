/**
 * POST /v1/assignment for returning users with the in-process cache of sticky rows on (the default) and off
 * (`assignmentCacheSize: 0`, one sticky statement per request), next to a bare Koa route parsing the same body. Each
 * is a server process of its own on the same PostgreSQL database; they take turns (on, off, bare, then rotated) over
 * `--rounds` rounds of `--seconds` each, so a machine that gets busier or quieter affects all three. Req/s and p99
 * come from autocannon; CPU per request is the server process plus every PostgreSQL process, from /proc, which moves
 * far less with other load than req/s does. Ratios are per round (paired), then the median.
 * Usage: cd bench && node --import tsx assignment-cache.ts [--users 20000 --rounds 5 --seconds 10 --connections 50]
 */
import autocannon from 'autocannon';
import { defineBenchExperiments, freshDatabase, median, storeReturningUsers } from './bench-helpers.js';
import { startBare, startRouter, type Target } from './http-target.js';
import { cpuMs, cpuSpent, postgresPids } from './proc-cpu.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const USERS = arg('users', 20_000);
const ROUNDS = arg('rounds', 5);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 50);

type Which = 'cache on' | 'cache off' | 'bare Koa';
const WHICH: Which[] = ['cache on', 'cache off', 'bare Koa'];

const load = (url: string, options: { seconds?: number; amount?: number; user: () => string }) =>
  autocannon({
    url,
    connections: CONNECTIONS,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    requests: [
      {
        method: 'POST',
        path: '/v1/assignment',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ user_id: options.user() }) }),
      },
    ],
  });

const db = await freshDatabase();
try {
  await defineBenchExperiments(db.db.storage, { funnel: false });
  // Every user already has both sticky rows: the returning-user path, whichever server answers.
  await storeReturningUsers(db.client, USERS);
  const url = db.db.url as string;
  const targets: Record<Which, Target> = {
    'cache on': await startRouter(url, 250_000),
    'cache off': await startRouter(url, 0),
    'bare Koa': await startBare(),
  };
  const randomUser = () => `u-${Math.floor(Math.random() * USERS)}`;
  // Warm-up outside the rounds: pools, prepared statements, JIT, and each user once (the cache on holds them all).
  for (const which of WHICH) {
    let next = 0;
    await load(targets[which].url, { amount: USERS, user: () => `u-${next++ % USERS}` });
  }

  interface Round {
    rate: number;
    p99: number;
    nodeUs: number;
    pgUs: number;
  }
  const rounds: Record<Which, Round[]> = { 'cache on': [], 'cache off': [], 'bare Koa': [] };
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = WHICH.map((_, i) => WHICH[(i + round) % WHICH.length] as Which);
    for (const which of order) {
      const target = targets[which];
      const nodeBefore = cpuMs([target.pid]);
      const pgBefore = cpuMs(postgresPids());
      const result = await load(target.url, { seconds: SECONDS, user: randomUser });
      const node = cpuSpent(nodeBefore, cpuMs([target.pid]));
      const pg = cpuSpent(pgBefore, cpuMs(postgresPids()));
      const requests = result.requests.total;
      failures += result.non2xx + result.errors + result.timeouts;
      rounds[which].push({
        rate: result.requests.average,
        p99: result.latency.p99,
        nodeUs: (node * 1000) / requests,
        pgUs: (pg * 1000) / requests,
      });
      process.stderr.write(
        `  round ${round + 1} ${which}: ${result.requests.average.toFixed(0)} req/s, ` +
          `${((node * 1000) / requests).toFixed(0)} µs Node + ${((pg * 1000) / requests).toFixed(0)} µs PostgreSQL\n`,
      );
    }
  }
  for (const target of Object.values(targets)) await target.stop();
  if (failures > 0) console.warn(`warning: ${failures} requests failed`);

  console.log(
    `\nPOST /v1/assignment, returning users (${USERS} users × 2 experiments), ${CONNECTIONS} connections, ` +
      `${ROUNDS} rounds × ${SECONDS} s each, rotating order (server in its own process, PostgreSQL)`,
  );
  console.log(
    'what'.padEnd(12) +
      'req/s'.padStart(8) +
      'p99 ms'.padStart(8) +
      'Node µs/req'.padStart(13) +
      'PG µs/req'.padStart(11) +
      'CPU µs/req'.padStart(12) +
      '   rounds (req/s)',
  );
  for (const which of WHICH) {
    const r = rounds[which];
    const node = median(r.map((x) => x.nodeUs));
    const pg = median(r.map((x) => x.pgUs));
    console.log(
      which.padEnd(12) +
        median(r.map((x) => x.rate))
          .toFixed(0)
          .padStart(8) +
        median(r.map((x) => x.p99))
          .toFixed(0)
          .padStart(8) +
        node.toFixed(0).padStart(13) +
        pg.toFixed(0).padStart(11) +
        median(r.map((x) => x.nodeUs + x.pgUs))
          .toFixed(0)
          .padStart(12) +
        '   ' +
        r.map((x) => x.rate.toFixed(0)).join(', '),
    );
  }
  const paired = (a: Which, b: Which, f: (x: Round) => number) =>
    median(rounds[a].map((x, i) => f(x) / f(rounds[b][i] as Round)));
  const cpu = (x: Round) => x.nodeUs + x.pgUs;
  console.log('paired ratios (median over rounds)');
  console.log(
    `  cache on / cache off: req/s ${paired('cache on', 'cache off', (x) => x.rate).toFixed(2)}, ` +
      `CPU per request ${paired('cache on', 'cache off', cpu).toFixed(2)}`,
  );
  console.log(
    `  cache on / bare Koa:  req/s ${paired('cache on', 'bare Koa', (x) => x.rate).toFixed(2)}, ` +
      `CPU per request ${paired('cache on', 'bare Koa', cpu).toFixed(2)} (goal: req/s ≥ 0.70)`,
  );
  console.log(
    `  cache off / bare Koa: req/s ${paired('cache off', 'bare Koa', (x) => x.rate).toFixed(2)}, ` +
      `CPU per request ${paired('cache off', 'bare Koa', cpu).toFixed(2)}`,
  );
} finally {
  await db.close();
}
