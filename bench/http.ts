/**
 * HTTP hot paths next to their physical limits, measured in the same run on PostgreSQL:
 * - POST /v1/assignment for first-time users (compute + sticky insert) vs raw `pg` inserting the same rows with the
 *   same concurrency (the commit rate is the ceiling), and for returning users (one read) vs a bare Koa route
 *   and vs raw `pg` reading the same rows;
 * - POST /v1/events, 100-event batches (validation, enrichment join, dedupe insert) vs raw `pg` multi-row INSERTs
 *   of the same rows into the same table (no HTTP, no validation, no enrichment).
 * Usage: pnpm --filter ab-calicritters-bench http [-- --seconds 10 --connections 50]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { freshDatabase } from './bench-helpers.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 50);
const BATCH = 100;

async function startTarget(mode: 'ab' | 'bare', databaseUrl = '') {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./http-target.ts', import.meta.url).pathname, mode, databaseUrl],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve) =>
    createInterface({ input: child.stdout }).once('line', (l) => resolve(Number(l))),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function load(url: string, path: string, makeBody: () => string) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: makeBody() }),
      },
    ],
  });
}

const eventBatch = (user: () => string) =>
  JSON.stringify({
    events: Array.from({ length: BATCH }, () => ({
      event_id: randomUUID(),
      user_id: user(),
      name: 'first_catch',
      timestamp: new Date().toISOString(),
      properties: { species: 'tabby', level: 3 },
    })),
    sent_at: new Date().toISOString(),
  });

const { db, client, close } = await freshDatabase();
try {
  await db.storage.experiments.create({
    key: 'onboarding_flow',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  });
  await db.storage.experiments.create({
    key: 'paywall_copy',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
  });
  let next = 0;
  const firstTimeUser = () => `new-${next++}`;
  const user = () => `new-${Math.floor(Math.random() * Math.max(1, next))}`; // users assigned in the first run

  const bare = await startTarget('bare');
  const bareAssign = await load(bare.url, '/v1/assignment', () => JSON.stringify({ user_id: user() }));
  const bareEvents = await load(bare.url, '/v1/events', () => eventBatch(user));
  bare.stop();

  const ours = await startTarget('ab', db.url);
  const firstTime = await load(ours.url, '/v1/assignment', () => JSON.stringify({ user_id: firstTimeUser() }));
  const returning = await load(ours.url, '/v1/assignment', () => JSON.stringify({ user_id: user() }));
  const events = await load(ours.url, '/v1/events', () => eventBatch(user));
  ours.stop();
  const failed = (r: autocannon.Result) => r.non2xx + r.errors + r.timeouts;
  const failures = failed(firstTime) + failed(returning) + failed(events);
  if (failures > 0) console.warn(`warning: ${failures} requests failed`);

  // Raw pg, first-time assignment: the same two sticky rows per user, same concurrency, for the same time.
  const pool = new pg.Pool({ connectionString: db.url, max: CONNECTIONS });
  const experimentIds = (await client.query<{ id: string }>('select id from experiments order by key')).rows.map(
    (r) => r.id,
  );
  let rawAssigned = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        await pool.query(
          `insert into assignments (experiment_id, user_id, variant) select e, $2, 'control' from unnest($1::uuid[]) e on conflict do nothing`,
          [experimentIds, `raw-${rawAssigned++}`],
        );
      }
    }),
  );
  // Raw pg, returning users: the one read a returning user costs, same concurrency, same time.
  let rawReads = 0;
  const readDeadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < readDeadline) {
        await pool.query('select experiment_id, variant, assigned_at from assignments where user_id = $1', [user()]);
        rawReads++;
      }
    }),
  );
  await pool.end();
  const rawAssignPerSecond = rawAssigned / SECONDS;
  const rawReadsPerSecond = rawReads / SECONDS;

  // Raw pg: the same rows, 100 per multi-row INSERT, from as many connections as the server's pool (10).
  const rawRows = Math.max(50_000, events.requests.total * BATCH);
  const insertPool = new pg.Pool({ connectionString: db.url, max: 10 });
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (sent < rawRows) {
        sent += BATCH;
        const values: unknown[] = [];
        const tuples = Array.from({ length: BATCH }, (_, i) => {
          const now = new Date();
          values.push(
            randomUUID(),
            user(),
            now.toISOString().slice(0, 10),
            'first_catch',
            now,
            now,
            JSON.stringify({ species: 'tabby', level: 3 }),
          );
          const b = i * 7;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
        });
        await insertPool.query(
          `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, properties) values ${tuples.join(', ')} on conflict do nothing`,
          values,
        );
      }
    }),
  );
  await insertPool.end();
  const rawRowsPerSecond = sent / ((performance.now() - started) / 1000);

  const eventsPerSecond = events.requests.average * BATCH;
  const bareEventsPerSecond = bareEvents.requests.average * BATCH;
  console.log(
    `\nHTTP hot paths, ${CONNECTIONS} connections × ${SECONDS} s each (autocannon, server in its own process, PostgreSQL)`,
  );
  console.log('what'.padEnd(40) + 'ours'.padStart(12) + 'limit'.padStart(12) + '  ours/limit   limit is');
  const line = (what: string, a: number, b: number, unit: string, label: string) =>
    console.log(
      `${what.padEnd(40)}${a.toFixed(0).padStart(12)}${b.toFixed(0).padStart(12)}  ${(a / b).toFixed(2).padStart(9)}    ${label} (${unit})`,
    );
  line(
    'assignment, first-time users req/s',
    firstTime.requests.average,
    rawAssignPerSecond,
    'users/s',
    'raw pg INSERT … ON CONFLICT, same concurrency',
  );
  line(
    'assignment, returning users req/s',
    returning.requests.average,
    bareAssign.requests.average,
    'req/s',
    'bare Koa route, same body',
  );
  line(
    'assignment, returning users req/s',
    returning.requests.average,
    rawReadsPerSecond,
    'reads/s',
    'raw pg SELECT of the rows, same concurrency',
  );
  line(
    'assignment, returning users p99 ms',
    returning.latency.p99,
    bareAssign.latency.p99,
    'ms',
    'bare Koa route, same body',
  );
  line(
    'POST /v1/events stored events/s',
    eventsPerSecond,
    rawRowsPerSecond,
    'rows/s',
    'raw pg multi-row INSERTs, 10 connections',
  );
  line(
    'POST /v1/events events/s vs HTTP only',
    eventsPerSecond,
    bareEventsPerSecond,
    'events/s',
    'bare Koa parsing the batch',
  );
} finally {
  await close();
}
