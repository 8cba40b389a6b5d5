import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from './client.js';
import type { FetchLike } from './platform.js';
import { createFakeClock, createFakeServer, createFakeStorage, sentEvents, settle, setup } from './fakes.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('track stamps a UUID v4 event_id and the ISO time of the call, not of the send', async () => {
  const { client, clock, server } = setup();
  await client.ready;
  const at = new Date(clock.now()).toISOString();
  client.track('purchase', { amount_cents: 499 });
  await clock.advance(60_000);
  await client.flush();
  const [event] = sentEvents(server.requests);
  assert.match(event!.event_id, V4);
  assert.is(event!.timestamp, at);
  assert.equal(event, {
    event_id: event!.event_id,
    user_id: 'u1',
    name: 'purchase',
    timestamp: at,
    properties: { amount_cents: 499 },
  });
});

test('track records the properties as they were at the call', async () => {
  const { client, server } = setup();
  const properties = { step: 1 };
  client.track('before-ready', properties);
  await client.ready;
  client.track('after-ready', properties);
  properties.step = 2;
  await client.flush();
  assert.equal(
    sentEvents(server.requests).map((e) => e.properties),
    [{ step: 1 }, { step: 1 }],
  );
});

test('track never throws and returns at once, even when storage throws synchronously or rejects', async () => {
  for (const failing of ['sync', 'async'] as const) {
    const storage = createFakeStorage();
    storage.failing = failing;
    const { client, server, errors } = setup({}, createFakeServer(), storage);
    await client.ready;
    for (let i = 0; i < 3; i++) assert.is(client.track('still-works', { i }), undefined);
    await client.flush();
    assert.is(server.stored.size, 3, `${failing}: events are kept in memory and delivered`);
    assert.ok(errors.length > 0 && errors.every((e) => e.code === 'storage'), failing);
  }
});

test('track never throws on bad input; it reports invalid_event and queues nothing', async () => {
  const { client, errors } = setup();
  await client.ready;
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.not.throws(() => {
    client.track('');
    client.track('x'.repeat(129));
    client.track(undefined as never);
    client.track('cyclic', cycle);
    client.track('bigint', { n: 10n });
    client.track('array', [1, 2] as never);
    client.track('large', { s: 'x'.repeat(40_000) });
  });
  assert.is(errors.length, 7);
  assert.ok(errors.every((e) => e.code === 'invalid_event'));
  assert.is(client.stats().queued, 0);
});

const lone = '🐱'.slice(0, 1);

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

test('track refuses a lone surrogate or NUL in the name or any property (invalid_event, naming the field); nothing is queued or sent', async () => {
  const { client, server, errors } = setup();
  await client.ready;
  client.track('fine', { label: 'ok 🐱' });
  const bad: [string, Record<string, unknown> | undefined][] = [
    [lone, undefined],
    [`open ${lone}`, { label: 'ok' }],
    ['nul\u0000', undefined],
    ['label', { label: lone }],
    ['key', { [`k${lone}`]: 1 }],
    ['nested', { a: [{ b: `x${lone}y` }] }],
    ['nul-value', { s: 'a\u0000b' }],
  ];
  for (const [name, properties] of bad) assert.not.throws(() => client.track(name, properties));
  assert.equal(
    errors.map((e) => [e.code, e.message.split(':')[0]]),
    [
      ['invalid_event', 'name'],
      ['invalid_event', 'name'],
      ['invalid_event', 'name'],
      ['invalid_event', 'properties/label'],
      ['invalid_event', `properties/k${lone}`],
      ['invalid_event', 'properties/a/0/b'],
      ['invalid_event', 'properties/s'],
    ],
  );
  assert.ok(
    errors.every((e) => e.events.length === 1),
    'each error carries its event',
  );
  assert.is(client.stats().queued, 1);
  await client.flush();
  assert.equal(
    sentEvents(server.requests).map((e) => e.name),
    ['fine'],
  );
});

test('track refuses properties nested 6,000 deep, before and after ready, without a RangeError', async () => {
  const { client, server, errors } = setup();
  const deep = nested(6000);
  assert.not.throws(() => client.track('early-deep', deep));
  client.track('early');
  await client.ready;
  assert.not.throws(() => client.track('late-deep', deep));
  await client.flush();
  assert.equal(
    errors.map((e) => e.code),
    ['invalid_event', 'invalid_event'],
  );
  assert.ok(errors.every((e) => /nested deeper than 16 levels/.test(e.message) && !/RangeError/.test(e.message)));
  assert.equal(
    errors.map((e) => e.events[0]!.name),
    ['early-deep', 'late-deep'],
  );
  assert.equal(
    sentEvents(server.requests).map((e) => e.name),
    ['early'],
  );
});

test('identify refuses a user id or attributes the server would refuse, keeping the current user and attributes', async () => {
  const server = createFakeServer({ exp: 'a' });
  const { client, errors } = setup({ attributes: { plan: 'free' } }, server);
  await client.ready;
  client.identify(`user-${lone}`);
  client.identify('user-\u0000');
  client.identify('user-8', { plan: lone });
  client.identify('user-8', nested(6000));
  assert.equal(
    errors.map((e) => e.code),
    ['invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_argument'],
  );
  assert.match(errors[0]!.message, /^identify: user_id: contains an unpaired UTF-16 surrogate/);
  assert.match(errors[2]!.message, /^identify: attributes\/plan: contains/);
  assert.is(client.userId, 'u1');
  client.track('after');
  await client.refreshAssignments();
  await client.flush();
  assert.equal(
    sentEvents(server.requests).map((e) => e.user_id),
    ['u1'],
  );
  const assignment = server.requests.find((r) => r.path === '/v1/assignment')!;
  assert.equal(assignment.body, { user_id: 'u1', attributes: { plan: 'free' } });
});

test('createClient refuses a userId or attributes the server would refuse, naming the option', () => {
  const base = { baseUrl: 'https://ab.example.test', fetch: createFakeServer().fetch };
  assert.throws(() => createClient({ ...base, userId: `u${lone}` }), /`userId`/);
  assert.throws(() => createClient({ ...base, userId: 'u\u0000' }), /`userId`/);
  assert.throws(() => createClient({ ...base, attributes: { plan: lone } }), /`attributes`.*attributes\/plan/);
  assert.throws(() => createClient({ ...base, attributes: nested(6000) }), /`attributes`/);
});

test('a stored user id the server would refuse (from an older version) is replaced by a fresh anonymous id', async () => {
  const storage = createFakeStorage(new Map([['abcc:user', `user-${lone}`]]));
  const { client, server, errors } = setup({ userId: undefined }, createFakeServer(), storage);
  client.track('opened');
  await client.ready;
  assert.match(client.userId!, /^anon-/);
  await client.flush();
  assert.equal(
    sentEvents(server.requests).map((e) => e.user_id),
    [client.userId],
  );
  assert.equal(errors, []);
});

test('track never throws before ready either, nor after shutdown', async () => {
  const { client, server } = setup();
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.not.throws(() => client.track('cyclic', cycle));
  client.track('early');
  await client.shutdown(1000);
  assert.not.throws(() => client.track('late'));
  await client.flush();
  assert.equal(
    sentEvents(server.requests).map((e) => e.name),
    ['early', 'late'],
  );
});

test('queued events survive a simulated restart (no shutdown) and are delivered once', async () => {
  const clock = createFakeClock();
  const server = createFakeServer();
  server.down = true;
  const first = setup({ clock, flushAt: 10 }, server);
  await first.client.ready;
  for (let i = 0; i < 35; i++) first.client.track('offline', { i });
  await first.client.flush();
  // The app is killed here: no shutdown, timers abandoned. A new process starts on the same storage.
  server.down = false;
  const second = setup({ clock: createFakeClock(), flushAt: 10 }, server, createFakeStorage(first.storage.map));
  await second.client.ready;
  assert.is(second.client.stats().queued, 35);
  await second.client.flush();
  const delivered = [...server.stored.values()].map((e) => e.properties!.i);
  assert.equal(
    delivered,
    Array.from({ length: 35 }, (_, i) => i),
  );
  assert.is(second.client.stats().queued, 0);
});

test('an acknowledged batch whose removal was not yet persisted is re-sent and deduplicated after a restart', async () => {
  const server = createFakeServer();
  const storage = createFakeStorage();
  const first = setup({ flushAt: 1000 }, server, storage);
  await first.client.ready;
  for (let i = 0; i < 5; i++) first.client.track('e', { i });
  await settle();
  const persisted = new Map(storage.map);
  await first.client.flush();
  // Killed after the server stored the batch but before the removal reached storage.
  const second = setup({}, server, createFakeStorage(persisted));
  await second.client.flush();
  assert.is(server.stored.size, 5);
  assert.equal(second.client.stats(), { queued: 0, accepted: 0, duplicates: 5, rejected: 0, dropped: 0 });
});

test('beyond maxQueueSize the oldest events are dropped, counted and reported', async () => {
  const server = createFakeServer();
  server.down = true;
  const { client, errors } = setup({ maxQueueSize: 10, flushAt: 1000 }, server);
  await client.ready;
  for (let i = 0; i < 15; i++) client.track('e', { i });
  assert.equal(client.stats().dropped, 5);
  assert.is(client.stats().queued, 10);
  const full = errors.filter((e) => e.code === 'queue_full');
  assert.equal(
    full.flatMap((e) => e.events.map((x) => x.properties!.i)),
    [0, 1, 2, 3, 4],
  );
  server.down = false;
  await client.flush();
  assert.equal(
    [...server.stored.values()].map((e) => e.properties!.i),
    [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
  );
});

test('without userId an anonymous id is made, persisted, and kept across restarts', async () => {
  const storage = createFakeStorage();
  const server = createFakeServer();
  const first = setup({ userId: undefined }, server, storage);
  assert.is(first.client.userId, undefined);
  first.client.track('before-ready');
  await first.client.ready;
  const anonymous = first.client.userId!;
  assert.match(anonymous, /^anon-/);
  const second = setup({ userId: undefined }, server, createFakeStorage(storage.map));
  await second.client.ready;
  assert.is(second.client.userId, anonymous);
  await first.client.flush();
  assert.is(sentEvents(server.requests)[0]!.user_id, anonymous, 'events tracked before loading get the loaded id');
});

test('identify switches the user of later events and is remembered across restarts', async () => {
  const storage = createFakeStorage();
  const { client, server, errors } = setup({ userId: undefined }, createFakeServer(), storage);
  await client.ready;
  client.track('anonymous');
  client.identify('user-7');
  client.track('identified');
  client.identify('' as never);
  assert.equal(
    errors.map((e) => e.code),
    ['invalid_argument'],
  );
  await client.flush();
  const [a, b] = sentEvents(server.requests);
  assert.match(a!.user_id, /^anon-/);
  assert.is(b!.user_id, 'user-7');
  await settle();
  const restarted = setup({ userId: undefined }, server, createFakeStorage(storage.map));
  await restarted.client.ready;
  assert.is(restarted.client.userId, 'user-7');
});

test('createClient fails fast naming the bad option', () => {
  const base = {
    baseUrl: 'https://ab.example.test',
    fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => '' }),
  };
  assert.throws(() => createClient({ ...base, baseUrl: 'ab.example.test' }), /`baseUrl`/);
  assert.throws(() => createClient({ ...base, flushAt: 0 }), /`flushAt`/);
  assert.throws(() => createClient({ ...base, maxBatchSize: 1001 }), /`maxBatchSize`/);
  assert.throws(() => createClient({ ...base, maxQueueSize: 1.5 }), /`maxQueueSize`/);
  assert.throws(() => createClient({ ...base, userId: '' }), /`userId`/);
  assert.throws(() => createClient({ ...base, storage: {} as never }), /`storage`/);
  assert.throws(() => createClient({ ...base, bootstrap: [{ key: 'x' }] as never }), /`bootstrap`/);
  assert.throws(() => createClient({ ...base, retryBaseMs: 5000, retryMaxMs: 1000 }), /`retryMaxMs`/);
  assert.throws(
    () => createClient({ ...base, experimentKeys: Array.from({ length: 201 }, (_, i) => `k${i}`) }),
    /`experimentKeys`/,
  );
  assert.throws(() => createClient({ ...base, fetch: 'nope' as never }), /`fetch`/);
  assert.not.throws(() => createClient({ ...base, flushIntervalMs: 0, autoRefresh: false }).shutdown(0));
});

test('the global fetch fits FetchLike without a cast (typechecked by `pnpm typecheck`)', () => {
  const fetchLike: FetchLike = fetch;
  assert.type(fetchLike, 'function');
});

test.run();
