/**
 * Integration: an app tracking far more events than the server's rate limits allow, against the real server
 * (Koa + @ab-calicritters/server with `rateLimit`, on a fresh database) on an ephemeral port. The server answers
 * 429 with Retry-After; the SDK waits at least that long before each retry, and in the end every tracked event is
 * stored exactly once. Prints the figures: requests, 429s, retry waits, events stored.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import Koa from 'koa';
import { closeAbRouter, createAbRouter } from '@ab-calicritters/server';
import { createTestStorage, storageOrm } from '@ab-calicritters/server/testing';
import type { EventsRequest } from '@ab-calicritters/core';
import { createClient, createMemoryStorage, type ClientError, type FetchLike } from '@ab-calicritters/client';

const TOTAL = 6_000;
const LIMITS = { windowSeconds: 1, eventsPerIp: 1000, eventsPerUser: 1000, eventRequestsPerIp: 20 };
/** Timers may fire a little early against the wall clock; this much is tolerated. */
const CLOCK_SLACK_MS = 15;

/** PostgreSQL when reachable (or TEST_DB says so), else embedded PGlite, so the test runs on a bare machine too. */
async function chooseDatabase(): Promise<void> {
  if (process.env.TEST_DB || process.env.REQUIRE_POSTGRES === '1') return;
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 5432), url.hostname);
    socket.setTimeout(1500, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
  if (!reachable) process.env.TEST_DB = 'pglite';
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Exchange {
  sentAt: number;
  doneAt: number;
  status: number;
  retryAfter: string | null;
  events: number;
}

test(`${TOTAL} events tracked against a rate limit of ${LIMITS.eventsPerIp}/s: 429s honoured, each event stored once`, async () => {
  await chooseDatabase();
  const db = await createTestStorage();
  const app = new Koa();
  const router = createAbRouter({ storage: db.storage, rateLimit: LIMITS });
  app.use(router.routes()).use(router.allowedMethods());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const exchanges: Exchange[] = [];
  const sentIds = new Set<string>();
  const recordingFetch: FetchLike = async (url, init) => {
    const batch = url.endsWith('/v1/events') ? (JSON.parse(init.body!) as EventsRequest).events : [];
    for (const e of batch) sentIds.add(e.event_id);
    const sentAt = Date.now();
    const response = await fetch(url, init as RequestInit);
    exchanges.push({
      sentAt,
      doneAt: Date.now(),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      events: batch.length,
    });
    return response;
  };
  const errors: ClientError[] = [];
  const client = createClient({
    baseUrl,
    userId: 'flooding-user',
    storage: createMemoryStorage(),
    fetch: recordingFetch,
    flushAt: 250,
    maxBatchSize: 250,
    flushIntervalMs: 50,
    retryBaseMs: 20,
    retryMaxMs: 250,
    autoRefresh: false,
    autoExposure: false,
  });
  client.on('error', (error) => errors.push(error));

  try {
    await client.ready;
    const started = Date.now();
    for (let i = 0; i < TOTAL; i++) {
      client.track('flood_test', { i });
      if (i % 500 === 499) await sleep(1); // the app keeps tracking while flushes run
    }
    const deadline = Date.now() + 60_000;
    while (client.stats().queued > 0) {
      if (Date.now() > deadline) throw new Error(`queue not drained: ${client.stats().queued} left`);
      await sleep(25);
    }
    const elapsedMs = Date.now() - started;
    await client.shutdown(2000);

    const rows = (await storageOrm(db.storage)
      .em.fork()
      .getConnection()
      .execute(`select event_id from event_logs where user_id = 'flooding-user'`)) as { event_id: string }[];
    const storedIds: string[] = rows.map((r) => String(r.event_id));

    const limited = exchanges.filter((x) => x.status === 429);
    const waits: number[] = [];
    exchanges.forEach((x, i) => {
      if (x.status !== 429) return;
      const next = exchanges[i + 1];
      assert.ok(next, 'a refused batch is retried');
      const retryAfterMs = Number(x.retryAfter) * 1000;
      assert.ok(Number.isInteger(retryAfterMs / 1000) && retryAfterMs >= 1000, `Retry-After ${x.retryAfter}`);
      const waited = next.sentAt - x.doneAt;
      assert.ok(
        waited >= retryAfterMs - CLOCK_SLACK_MS,
        `after a 429 with Retry-After ${x.retryAfter} the SDK waited only ${waited} ms`,
      );
      waits.push(waited);
    });
    const accepted = exchanges.filter((x) => x.status === 200);
    const figures = {
      events_tracked: TOTAL,
      requests: exchanges.length,
      accepted_requests: accepted.length,
      status_429: limited.length,
      other_statuses: exchanges.filter((x) => x.status !== 200 && x.status !== 429).length,
      retry_after_values: [...new Set(limited.map((x) => x.retryAfter))].join(','),
      retry_wait_ms_total: waits.reduce((a, b) => a + b, 0),
      retry_wait_ms_min: Math.min(...waits),
      retry_wait_ms_max: Math.max(...waits),
      events_sent_incl_retries: exchanges.reduce((n, x) => n + x.events, 0),
      events_stored: storedIds.length,
      distinct_stored: new Set(storedIds).size,
      elapsed_ms: elapsedMs,
      stored_per_s: Math.round((storedIds.length / elapsedMs) * 1000),
    };
    console.log('rate-limit flood figures:', JSON.stringify(figures));

    assert.ok(limited.length > 0, 'the flood met the limit');
    assert.is(figures.other_statuses, 0, 'only 200 and 429');
    assert.ok(
      errors.every((e) => e.code === 'http' && e.status === 429),
      errors.map((e) => `${e.code}: ${e.message}`).join('\n'),
    );
    assert.is(sentIds.size, TOTAL, 'one event id per tracked event');
    assert.is(storedIds.length, TOTAL, 'every tracked event is stored');
    assert.is(new Set(storedIds).size, TOTAL, 'none twice');
    assert.ok(
      storedIds.every((id) => sentIds.has(id)),
      'only tracked events',
    );
    // The limit held: no more was taken than the budget of the windows the flood spanned.
    const windows = Math.ceil(elapsedMs / (LIMITS.windowSeconds * 1000)) + 1;
    assert.ok(TOTAL <= LIMITS.eventsPerIp * windows, `${TOTAL} events in ${elapsedMs} ms`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeAbRouter(router);
    await db.close();
  }
});

test.run();
