/**
 * One client flooding the anonymous write endpoints, as recorded before rate limits existed (18.7 MB/s of events,
 * 236 sticky assignment rows/s with made-up users), against the server with the limits off and with the defaults
 * of `serve`: what gets stored per second, and what is refused.
 * - events: 900-event batches of ~1 KB events (a body near the 1 MiB limit), fresh event ids, one user per batch;
 * - assignments: a new made-up user per request, two running experiments (two sticky rows per user).
 * With the limits on the flood lasts one full 60 s window, so the rates are sustained ones. The server runs in its
 * own process (this file with `target`); PostgreSQL is a fresh database; table MB/s is event_logs' growth.
 * Usage (in bench/): node --import tsx rate-limit-flood.ts [--seconds 10 --connections 20]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import Koa from 'koa';
import { createAbRouter, createStorage } from '@ab-calicritters/server';
import { freshDatabase } from './bench-helpers.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 20);
const BATCH = 900;

async function startTarget(databaseUrl: string, limits: 'on' | 'off') {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, 'target', databaseUrl, limits],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve) =>
    createInterface({ input: child.stdout }).once('line', (l) => resolve(Number(l))),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const padding = 'x'.repeat(900);
const eventBatch = () => {
  const user = `flood-${randomUUID()}`;
  return JSON.stringify({
    events: Array.from({ length: BATCH }, (_, i) => ({
      event_id: randomUUID(),
      user_id: user,
      name: 'flood',
      timestamp: new Date().toISOString(),
      properties: { i, padding },
    })),
  });
};
const assignmentBody = () => JSON.stringify({ user_id: `made-up-${randomUUID()}` });

function flood(url: string, path: string, makeBody: () => string, seconds: number) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
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

async function main() {
  const { db, client, close } = await freshDatabase();
  const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
  const tableBytes = () => count(`select pg_total_relation_size('event_logs') as n`);
  const rows: string[][] = [];
  try {
    for (const key of ['flood_a', 'flood_b']) {
      await db.storage.experiments.create({
        key,
        status: 'running',
        variants: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
      });
    }
    for (const limits of ['off', 'on'] as const) {
      const target = await startTarget(db.url!, limits);
      // With limits on, one full window, so that the rates are the sustained ones rather than a spent budget's burst.
      const seconds = limits === 'on' ? Math.max(SECONDS, 60) : SECONDS;
      try {
        const eventsBefore = await count('select count(*) as n from event_logs');
        const bytesBefore = await tableBytes();
        const events = await flood(target.url, '/v1/events', eventBatch, seconds);
        const stored = (await count('select count(*) as n from event_logs')) - eventsBefore;
        const grown = (await tableBytes()) - bytesBefore;
        const assignmentsBefore = await count('select count(*) as n from assignments');
        const assignments = await flood(target.url, '/v1/assignment', assignmentBody, seconds);
        const sticky = (await count('select count(*) as n from assignments')) - assignmentsBefore;
        const status = (r: autocannon.Result, code: number) =>
          (r.statusCodeStats as Record<string, { count: number }>)[code]?.count ?? 0;
        rows.push([
          `limits ${limits}, ${seconds} s`,
          `${events.requests.total} req, ${status(events, 200)}×200, ${status(events, 429)}×429`,
          (stored / seconds).toFixed(0),
          (grown / seconds / 1e6).toFixed(2),
          `${assignments.requests.total} req, ${status(assignments, 200)}×200, ${status(assignments, 429)}×429`,
          (sticky / seconds).toFixed(1),
        ]);
      } finally {
        target.stop();
      }
    }
  } finally {
    await close();
  }
  console.log(`\nOne client flooding, ${CONNECTIONS} connections per endpoint (server in its own process, PostgreSQL)`);
  console.log(
    `recorded before limits existed: 18.7 MB/s of events, 236 sticky rows/s; serve's default budgets: 60000 events,`,
  );
  console.log(
    `32 MiB, 6000 event requests and 1200 assignment requests per address per 60 s (docs/OPERATIONS.md#rate-limits)`,
  );
  const header = ['', 'POST /v1/events', 'events stored/s', 'table MB/s', 'POST /v1/assignment', 'sticky rows/s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const line of [header, ...rows])
    console.log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

if (process.argv[2] === 'target') {
  const [, , , databaseUrl, limits] = process.argv;
  const storage = await createStorage({ databaseUrl });
  const router = createAbRouter({ storage, rateLimit: limits === 'on' });
  const app = new Koa();
  app.silent = true;
  app.use(router.routes());
  process.once('SIGTERM', () => process.exit(0));
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(typeof address === 'object' && address ? address.port : 0);
  });
} else {
  await main();
}
