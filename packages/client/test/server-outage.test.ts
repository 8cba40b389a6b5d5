/**
 * Integration: the client against the real server (Koa + @ab-calicritters/server on a fresh database) on an
 * ephemeral port. 10,000 events are tracked while the server is stopped and restarted in the middle, and the app
 * itself is restarted during the outage (a new client on the same file storage). Every event must be stored
 * exactly once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { createAbRouter } from '@ab-calicritters/server';
import { createTestStorage } from '@ab-calicritters/server/testing';
import type { EventsRequest, EventsResponse, MetricsSummary, TrackedEvent } from '@ab-calicritters/core';
import { createClient, type AbClient, type ClientError, type FetchLike } from '@ab-calicritters/client';
import { createFileStorage } from '@ab-calicritters/client/node';
import { chooseDatabase, sleep, until } from './real-server.js';

const TOTAL = 10_000;

test('10,000 events tracked across a server stop/restart (and an app restart) are each stored exactly once', async () => {
  await chooseDatabase();
  const db = await createTestStorage();
  const stateDir = await mkdtemp(join(tmpdir(), 'abcc-outage-'));
  const app = new Koa();
  const router = createAbRouter({
    storage: db.storage,
    adminToken: 'admin-token-123',
    dashboardToken: 'dash-token-123',
  });
  app.use(router.routes()).use(router.allowedMethods());

  let server: Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = app.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server!.close(() => resolve());
      server!.closeAllConnections(); // in-flight requests die with the server, as in a crash
    });

  // Record what the client really sent, to re-send it at the end.
  const tracked = new Map<string, TrackedEvent>();
  const recordingFetch: FetchLike = (url, init) => {
    if (url.endsWith('/v1/events'))
      for (const e of (JSON.parse(init.body!) as EventsRequest).events) tracked.set(e.event_id, e);
    return fetch(url, init as RequestInit);
  };
  const errors: ClientError[] = [];
  const launch = (): AbClient => {
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      userId: 'outage-user',
      storage: createFileStorage(stateDir),
      fetch: recordingFetch,
      flushAt: 100,
      flushIntervalMs: 50,
      retryBaseMs: 20,
      retryMaxMs: 250,
      autoRefresh: false,
      autoExposure: false,
    });
    client.on('error', (error) => errors.push(error));
    return client;
  };

  try {
    await start();
    let relaunchedWith = 0;
    let client = launch();
    await client.ready;
    for (let i = 0; i < TOTAL; i++) {
      client.track('outage_test', { i });
      if (i % 250 === 249) await sleep(5); // let flushes interleave with tracking, as in an app
      if (i === 4_000) await stop();
      if (i === 6_000) {
        // The app is restarted during the outage: the next launch must find the persisted queue.
        await client.shutdown(2000);
        client = launch();
        await client.ready;
        relaunchedWith = client.stats().queued;
      }
      if (i === 8_000) await start();
    }
    const final = client;
    await until(async () => (await final.flush(), final.stats().queued === 0), 'the queue to drain');
    await final.shutdown(5000);

    const summary = (await (await fetch(`http://127.0.0.1:${port}/v1/metrics/summary`)).json()) as MetricsSummary;
    assert.is(summary.total_events, TOTAL, 'stored events');

    const sent = [...tracked.values()];
    assert.is(sent.length, TOTAL, 'distinct event ids sent');
    assert.equal(
      new Set(sent.map((e) => (e.properties as { i: number }).i)).size,
      TOTAL,
      'one event id per tracked event',
    );
    // Re-send everything: each event must already be stored (a duplicate), none may be new.
    let duplicates = 0;
    for (let from = 0; from < sent.length; from += 1000) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: sent.slice(from, from + 1000) }),
      });
      const body = (await response.json()) as EventsResponse;
      assert.is(body.accepted, 0);
      assert.equal(body.rejected, []);
      duplicates += body.duplicates;
    }
    assert.is(duplicates, TOTAL);

    assert.ok(relaunchedWith >= 2000, `the relaunched app found the queue of the outage (${relaunchedWith} events)`);
    assert.ok(
      errors.some((e) => e.code === 'network'),
      'the outage was seen by the client',
    );
    assert.not.ok(
      errors.some((e) =>
        ['rejected', 'bad_request', 'too_large', 'queue_full', 'storage', 'invalid_event'].includes(e.code),
      ),
      errors.map((e) => `${e.code}: ${e.message}`).join('\n'),
    );
  } finally {
    if (server?.listening) await stop();
    await db.close();
    await rm(stateDir, { recursive: true, force: true });
  }
});

test.run();
