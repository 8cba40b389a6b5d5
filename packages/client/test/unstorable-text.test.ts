/**
 * Integration: against the real server on a fresh database, an app that tracks events holding what PostgreSQL cannot
 * store (lone UTF-16 surrogates from a truncated emoji, NUL, properties nested thousands deep) among good ones. The
 * SDK must refuse those at `track()`, so no batch it sends ever holds one, and every good event is stored.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createAbRouter } from '@ab-calicritters/server';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { jsonValueProblem, textProblem, type EventsRequest, type MetricsSummary } from '@ab-calicritters/core';
import { createClient, createMemoryStorage, type ClientError, type FetchLike } from '@ab-calicritters/client';
import { chooseDatabase, sleep, until } from './real-server.js';

const lone = '🐱'.slice(0, 1);

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

/** Ways an app hands the SDK what the server cannot store, each as [name, properties]. */
const POISON: [string, Record<string, unknown> | undefined][] = [
  [`paywall_${lone}`, undefined],
  ['nul\u0000name', undefined],
  ['label', { label: `cat ${lone}` }],
  ['low', { label: '\udc31' }],
  ['key', { [`k${lone}`]: 1 }],
  ['nested', { a: { b: [1, { c: lone }] } }],
  ['nul', { note: 'a\u0000b' }],
  ['deep', nested(6000)],
];

test('events with lone surrogates, NUL or deep nesting never reach the server; every other event is stored', async () => {
  await chooseDatabase();
  const db = await createTestStorage();
  const app = new Koa();
  const router = createAbRouter({ storage: db.storage, adminToken: 'admin-token-123', summaryCacheTtlMs: 0 });
  app.use(router.routes()).use(router.allowedMethods());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const bodies: string[] = [];
  const statuses: number[] = [];
  const recordingFetch: FetchLike = async (url, init) => {
    bodies.push(init.body!);
    const response = await fetch(url, init as RequestInit);
    statuses.push(response.status);
    return response;
  };
  const errors: ClientError[] = [];
  const client = createClient({
    baseUrl,
    userId: 'surrogate-user',
    storage: createMemoryStorage(),
    fetch: recordingFetch,
    flushAt: 10,
    flushIntervalMs: 20,
    retryBaseMs: 20,
    retryMaxMs: 100,
    autoRefresh: true,
    autoExposure: false,
  });
  client.on('error', (error) => errors.push(error));

  try {
    let good = 0;
    for (let i = 0; i < 400; i++) {
      if (i === 5) client.track(...POISON[1]!); // before ready: waits in memory, checked once loaded
      if (i === 200) {
        client.identify(`user-${lone}`); // refused: the user stays
        client.identify('user-2', { plan: `pro ${lone}` }); // refused: the user stays
        client.identify('user-2', { plan: 'pro 🐱' });
      }
      if (i % 10 === 9) client.track(...POISON[((i / 10) % POISON.length) | 0]!);
      client.track('good', { i, label: `ok 🐱 ${i}` });
      good++;
      if (i === 5) await client.ready;
      if (i % 50 === 49) await sleep(5); // let flushes interleave with tracking, as in an app
    }
    await until(async () => (await client.flush(), client.stats().queued === 0), 'the queue to drain', 30_000);
    await client.shutdown(5000);

    const summary = (await (await fetch(`${baseUrl}/v1/metrics/summary`)).json()) as MetricsSummary;
    assert.is(summary.total_events, good, 'every good event is stored');
    assert.equal(client.stats(), { queued: 0, accepted: good, duplicates: 0, rejected: 0, dropped: 0 });

    const sent = bodies.filter((b) => b.startsWith('{"events"')).map((b) => (JSON.parse(b) as EventsRequest).events);
    assert.ok(sent.length > 1, `${sent.length} batches`);
    assert.is(sent.flat().length, good, 'each good event sent once');
    for (const body of bodies) {
      assert.is(textProblem(body), undefined, 'no raw lone surrogate or NUL on the wire');
      assert.is(
        jsonValueProblem(JSON.parse(body), { maxDepth: 100, maxKeys: 1e6 }),
        undefined,
        'nor escaped in the JSON',
      );
    }
    assert.ok(
      statuses.every((s) => s === 200),
      `statuses: ${[...new Set(statuses)]}`,
    );

    const refused = errors.filter((e) => e.code === 'invalid_event');
    assert.is(refused.length, 41, 'one invalid_event per poisoned track()');
    assert.equal(
      errors.filter((e) => e.code !== 'invalid_event').map((e) => `${e.code}: ${e.message}`),
      [
        'invalid_argument: identify: user_id: contains an unpaired UTF-16 surrogate at index 5',
        'invalid_argument: identify: attributes/plan: contains an unpaired UTF-16 surrogate at index 4',
      ],
    );
  } finally {
    server.close();
    await db.close();
  }
});

test.run();
