/**
 * Does a big event log slow ingestion down? POST /v1/events (100-event batches) into an empty, day-partitioned
 * event_logs vs into one already holding `--rows` events (default 10M) spread over 90 days, each through our routers
 * in a server process of its own, on PostgreSQL. The two alternate over `--rounds` rounds (A, B, A, B, …) in one run,
 * so a machine that gets busier or quieter affects both; the ratio of the medians is the figure (goal: ≥ 0.90).
 * CPU per request: the server process (Node) and all PostgreSQL processes, from /proc (Linux).
 * Usage: cd bench && node --import tsx ingest-history.ts [--rows 10000000 --rounds 4 --seconds 10 --connections 20]
 *   [--quick]  (--quick: 300 000 rows, 2 rounds of 4 s, unless given)
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { defineBenchExperiments, freshDatabase, median, reportRows } from './bench-helpers.js';
import { cpuMs, cpuSpent, postgresPids } from './proc-cpu.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const QUICK = process.argv.includes('--quick');
const ROWS = arg('rows', QUICK ? 300_000 : 10_000_000);
const ROUNDS = arg('rounds', QUICK ? 2 : 4);
const SECONDS = arg('seconds', QUICK ? 4 : 10);
const CONNECTIONS = arg('connections', 20);
const BATCH = 100;
const USERS = 10_000;
const HISTORY_DAYS = 90;
const CHUNK = 1_000_000;

async function startTarget(databaseUrl: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./http-target.ts', import.meta.url).pathname, 'ab', databaseUrl],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) =>
    createInterface({ input: child.stdout }).once('line', (l) => resolve(Number(l))),
  );
  return { url: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

const eventBatch = () =>
  JSON.stringify({
    events: Array.from({ length: BATCH }, () => ({
      event_id: randomUUID(),
      user_id: `u-${Math.floor(Math.random() * USERS)}`,
      name: 'first_catch',
      timestamp: new Date().toISOString(),
      properties: { species: 'tabby', level: 3 },
    })),
    sent_at: new Date().toISOString(),
  });

const load = (url: string, seconds: number) =>
  autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/events',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: eventBatch() }),
      },
    ],
  });

async function prepare(db: Awaited<ReturnType<typeof freshDatabase>>, rows: number) {
  await defineBenchExperiments(db.db.storage, { funnel: false });
  await db.client.query(
    `insert into assignments (experiment_id, user_id, variant)
     select e.id, 'u-' || g, (e.variants -> (g % jsonb_array_length(e.variants)) ->> 'key')
       from experiments e, generate_series(0, $1 - 1) g`,
    [USERS],
  );
  if (rows > 0) {
    // One event per day of the history first, so that maintenance gives each of those days its partition; the bulk
    // rows then go straight into them.
    await db.client.query(
      `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at)
       select gen_random_uuid(), 'hist-0', current_date - d, 'app_open', now(), now() from generate_series(0, $1 - 1) d`,
      [HISTORY_DAYS],
    );
  }
  await db.db.storage.eventPartitions.maintain();
  const names = `array['app_open','tutorial_complete','first_catch','purchase','share']`;
  for (let start = 0; start < rows; start += CHUNK) {
    const t = performance.now();
    await db.client.query(
      `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, received_at,
                               properties)
       select gen_random_uuid(), 'hist-' || (g % 200000), current_date - (g % $3)::int, (${names})[1 + g % 5], ts, ts, ts,
              '{"species":"tabby","level":3}'::jsonb
         from generate_series($1::bigint, $2::bigint) g,
              lateral (select (current_date - (g % $3)::int)::timestamptz + (g % 86400) * interval '1 second') t(ts)`,
      [start, Math.min(rows, start + CHUNK) - 1, HISTORY_DAYS],
    );
    process.stderr.write(
      `  ${Math.min(rows, start + CHUNK).toLocaleString('en')} / ${rows.toLocaleString('en')} rows (${((performance.now() - t) / 1000).toFixed(1)} s)\n`,
    );
  }
  await db.client.query('vacuum analyze event_logs');
}

const empty = await freshDatabase();
const history = await freshDatabase();
try {
  const fillStart = performance.now();
  await prepare(empty, 0);
  await prepare(history, ROWS);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const [{ n: historyRows }] = (await history.client.query<{ n: string }>('select count(*) as n from event_logs'))
    .rows as [{ n: string }];

  const targets = {
    empty: await startTarget(empty.db.url as string),
    history: await startTarget(history.db.url as string),
  };
  // Warm-up: each server's pool, prepared statements and caches, outside the measured rounds.
  for (const target of Object.values(targets)) await load(target.url, 2);
  const rates: Record<'empty' | 'history', number[]> = { empty: [], history: [] };
  const cpu: Record<'empty' | 'history', { node: number; pg: number; requests: number }> = {
    empty: { node: 0, pg: 0, requests: 0 },
    history: { node: 0, pg: 0, requests: 0 },
  };
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of ['empty', 'history'] as const) {
      const target = targets[which];
      const nodeBefore = cpuMs([target.pid]);
      const pgBefore = cpuMs(postgresPids());
      const result = await load(target.url, SECONDS);
      cpu[which].node += cpuSpent(nodeBefore, cpuMs([target.pid]));
      cpu[which].pg += cpuSpent(pgBefore, cpuMs(postgresPids()));
      cpu[which].requests += result.requests.total;
      failures += result.non2xx + result.errors + result.timeouts;
      rates[which].push(result.requests.average * BATCH);
      process.stderr.write(`  round ${round + 1} ${which}: ${(result.requests.average * BATCH).toFixed(0)} events/s\n`);
    }
  }
  targets.empty.stop();
  targets.history.stop();
  if (failures > 0) console.warn(`warning: ${failures} requests failed`);

  const a = median(rates.empty);
  const b = median(rates.history);
  const perRequest = (which: 'empty' | 'history') =>
    `${(cpu[which].node / cpu[which].requests).toFixed(2)} ms Node + ${(cpu[which].pg / cpu[which].requests).toFixed(2)} ms PostgreSQL`;
  console.log(
    `\nPOST /v1/events, ${BATCH}-event batches, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s each, alternating (PostgreSQL, partitioned event_logs)`,
  );
  console.log(
    `history: ${Number(historyRows).toLocaleString('en')} rows over ${HISTORY_DAYS} days, made in ${fillSeconds.toFixed(0)} s`,
  );
  console.log('event_logs'.padEnd(10) + 'events/s (median)'.padStart(19) + '   CPU per request'.padEnd(44) + 'rounds');
  for (const which of ['empty', 'history'] as const) {
    const rounds = rates[which].map((r) => r.toFixed(0)).join(', ');
    console.log(
      `${which.padEnd(10)}${median(rates[which]).toFixed(0).padStart(19)}   ${perRequest(which).padEnd(41)}${rounds}`,
    );
  }
  const ratio = b / a;
  console.log(`history / empty: ${ratio.toFixed(2)} ${ratio >= 0.9 ? '✓ within 10 %' : '✗ more than 10 % slower'}`);
  reportRows('ingest-history', [
    {
      path: `POST /v1/events into ${Number(historyRows).toLocaleString('en')} rows of history`,
      ours: b,
      reference: a,
      unit: 'events/s',
      referenceLabel: 'the same into an empty event_logs, alternating rounds',
      goal: '≥ 0.9',
      note: `CPU per request: history ${perRequest('history')}; empty ${perRequest('empty')}`,
    },
  ]);
} finally {
  await empty.close();
  await history.close();
}
