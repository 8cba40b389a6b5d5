/**
 * Inputs that once failed a whole request or the connection: strings PostgreSQL cannot store, a leap-second
 * `sent_at`, properties nested thousands deep, NUL in a path, an over-limit chunked body on a keep-alive connection.
 * Each bad event is rejected by index, naming its field; the good events of the batch are stored.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent, request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { storeEvents } from '../src/services/store-events.js';
import type { EventRow } from '../src/storage/event-store.js';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('poison inputs');
const loneHigh = '🐱'.slice(0, 1);
const loneLow = '🐱'.slice(1);

const event = (fields: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  user_id: 'u-poison',
  name: 'opened',
  timestamp: new Date().toISOString(),
  ...fields,
});

const deepJson = (levels: number) => `${'{"d":'.repeat(levels)}"leaf"${'}'.repeat(levels)}`;

it.before(async (ctx) => {
  ctx.server = await startTestServer();
});
it.after(async (ctx) => ctx.server.close());

it('one bad event never fails the batch: each is rejected by index with its field named, the rest are stored', async ({
  server,
}) => {
  const good = [event({ properties: { emoji: '🐱', ok: true } }), event(), event({ name: 'purchase' })];
  const wide = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i]));
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [event({ user_id: `cat${loneHigh}` }), /^\/user_id: .*unpaired UTF-16 surrogate/],
    [event({ name: `open${loneLow}` }), /^\/name: .*unpaired/],
    [event({ properties: { title: `truncated ${loneHigh}` } }), /^\/properties\/title: .*unpaired/],
    [event({ properties: { nested: [{ [`k${loneLow}`]: 1 }] } }), /^\/properties\/nested\/0\/k.*: key .*unpaired/],
    [event({ properties: { ['a\u0000b']: 1 } }), /^\/properties\/a[^/]b: key contains a NUL/],
    [event({ properties: { v: 'a\u0000b' } }), /^\/properties\/v: contains a NUL/],
    [event({ properties: 'DEEP' }), /^\/properties.*nested deeper than 16/],
    [event({ properties: wide }), /^\/properties: more than 1000 keys/],
    [event({ timestamp: '2026-06-30T23:59:60Z' }), /^\/timestamp: is not a valid date/],
  ];
  const events = [good[0], ...bad.map(([e]) => e), good[1], good[2]];
  // Built as text: JSON.stringify itself overflows the stack on 6,000 levels.
  const body = JSON.stringify({ events, sent_at: new Date().toISOString() }).replace('"DEEP"', deepJson(6000));
  const res = await server.send('POST', '/v1/events', body, { 'content-type': 'application/json' });
  assert.is(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  assert.is(res.body.accepted, 3);
  assert.is(res.body.duplicates, 0);
  assert.equal(
    res.body.rejected.map((r: { index: number }) => r.index),
    bad.map((_, i) => i + 1),
  );
  bad.forEach(([, pattern], i) => assert.match(res.body.rejected[i].errors[0], pattern, `event ${i + 1}`));
  const stored = await server.db.storage.events.listForUser('u-poison');
  assert.equal(stored.map((e) => e.event_id).sort(), good.map((e) => e.event_id).sort());
  assert.is(server.errors.length, 0);
});

it('a leap-second or otherwise unreal sent_at is ignored: events are stored without clock correction', async ({
  server,
}) => {
  const e = event({ user_id: 'u-leap', timestamp: '2026-11-30T10:00:00.000Z' });
  const res = await server.post('/v1/events', { events: [e], sent_at: '2026-06-30T23:59:60Z' });
  assert.is(res.status, 200);
  assert.is(res.body.accepted, 1);
  const [row] = await server.db.storage.events.listForUser('u-leap');
  assert.is(row?.occurred_at, '2026-11-30T10:00:00.000Z');
  assert.is(server.errors.length, 0);
});

it('a value the database refuses after all costs only its own event (split until alone, by request index)', async ({
  server,
}) => {
  const row = (userId: string): EventRow => ({
    event_id: randomUUID(),
    user_id: userId,
    name: 'opened',
    client_timestamp: new Date().toISOString(),
    occurred_at: new Date().toISOString(),
    properties: {},
  });
  // Rows that skipped the checks: the set-based insert fails with a data error (SQLSTATE class 22).
  const rows = [
    row('u-split'),
    row(`u-split${loneHigh}`),
    row('u-split'),
    row('u-split'),
    row(`u-split\u0000`),
    row('u-split'),
  ];
  const indexes = [3, 4, 5, 7, 8, 9];
  const result = await storeEvents((r) => server.db.storage.events.insertBatch(r), rows, indexes);
  assert.is(result.accepted, 4);
  assert.equal(
    result.refused.map((r) => r.index),
    [4, 8],
  );
  assert.match(result.refused[0]!.errors[0]!, /database refused a value/);
  assert.is((await server.db.storage.events.listForUser('u-split')).length, 4);
  const again = await storeEvents((r) => server.db.storage.events.insertBatch(r), rows, indexes);
  assert.is(again.accepted, 0, 'a retry stores nothing twice');
});

it('a lone-surrogate user id is refused for assignment (400 naming the field): no sticky rows that could collide', async ({
  server,
}) => {
  await createExperiment(server, {
    key: 'poison_exp',
    variants: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  });
  for (const userId of [`cat${loneHigh}`, `cat${loneLow}`, `cat${loneHigh}x`]) {
    const res = await server.post('/v1/assignment', { user_id: userId });
    assert.is(res.status, 400);
    assert.is(res.body.error.details[0].field, '/user_id');
    assert.match(res.body.error.details[0].message, /unpaired UTF-16 surrogate/);
  }
  const deepAttributes = await server.send(
    'POST',
    '/v1/assignment',
    `{"user_id":"ok","attributes":${deepJson(6000)}}`,
    {
      'content-type': 'application/json',
    },
  );
  assert.is(deepAttributes.status, 400);
  assert.match(deepAttributes.body.error.details[0].field, /^\/attributes/);
  const [count] = await server.sql<{ n: string | number }>('select count(*) as n from assignments');
  assert.is(Number(count?.n), 0);
  assert.is(server.errors.length, 0);
});

it('NUL and other impossible keys in a path or query are 400 naming the parameter, never a 503 outage', async ({
  server,
}) => {
  const dash = { 'x-dashboard-token': 'test-dashboard-token' };
  const cases: Array<[string, Record<string, string>, string]> = [
    ['/v1/admin/experiments/a%00b', admin, 'key'],
    ['/v1/admin/funnels/a%00b', admin, 'name'],
    ['/v1/admin/experiments/%ED%A0%BD', admin, 'key'],
    ['/v1/metrics/experiments?experiment_key=a%00b', dash, 'experiment_key'],
    ['/v1/metrics/experiments?experiment_id=a%00b', dash, 'experiment_id'],
    ['/v1/metrics/funnels?funnel_name=%00', dash, 'funnel_name'],
  ];
  for (const [path, headers, field] of cases) {
    const res = await server.get(path, headers);
    assert.is(res.status, 400, path);
    assert.is(res.body.error.details[0].field, field, path);
    assert.is(res.headers.get('retry-after'), null, path);
  }
  const patch = await server.send('PATCH', '/v1/admin/experiments/a%00b', '{"status":"stopped"}', {
    ...admin,
    'content-type': 'application/json',
  });
  assert.is(patch.status, 400);
  assert.is(server.errors.length, 0);
});

it('compressed bodies get 415 naming the encoding', async ({ server }) => {
  const res = await server.send('POST', '/v1/events', 'H4sIAAAAAAAAA6tWKkktLlGyUlAqS8wpTVWqBQBzZ5sSEgAAAA==', {
    'content-type': 'application/json',
    'content-encoding': 'gzip',
  });
  assert.is(res.status, 415);
  assert.match(res.body.error.message, /gzip/);
});

/** POSTs `body` in chunks (no Content-Length) through `agent`; resolves with the status and whether the server closed. */
function postChunked(baseUrl: string, agent: Agent, path: string, chunks: string[]) {
  return new Promise<{ status: number; connection: string | undefined; closed: Promise<void> }>((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.resume();
      const closed = new Promise<void>((done) => req.socket?.once('close', () => done()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, closed }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)),
  );
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

it('an over-limit chunked body gets 413 and the connection is closed, so the next request never waits on it', async ({
  server,
}) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const chunks = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '{"user_id":"u","attributes":{"x":"' : 'x'.repeat(10_000),
    );
    const first = await postChunked(server.baseUrl, agent, '/v1/assignment', chunks);
    assert.is(first.status, 413);
    assert.is(first.connection, 'close');
    await withDeadline(first.closed, 10_000, 'server closing the connection');
    const second = await withDeadline(
      postChunked(server.baseUrl, agent, '/v1/assignment', ['{"user_id":"u-after"}']),
      10_000,
      'next request',
    );
    assert.is(second.status, 200);
  } finally {
    agent.destroy();
  }
});

it.run();
