import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventsRequest } from '@ab-calicritters/core';
import {
  createFakeClock,
  createFakeFetch,
  createFakeServer,
  createFakeStorage,
  settle,
  setup,
  type FakeReply,
} from './fakes.js';

const ok = (request: { body: unknown }): FakeReply => ({
  body: { accepted: (request.body as EventsRequest).events.length, duplicates: 0, rejected: [] },
});

test('flushes once flushAt events are queued, with sent_at from the clock', async () => {
  const { client, clock, server } = setup({ flushAt: 5 });
  await client.ready;
  for (let i = 0; i < 4; i++) client.track('step', { i });
  await settle();
  assert.is(server.requests.length, 0);
  client.track('step', { i: 4 });
  await settle();
  assert.is(server.requests.length, 1);
  const body = server.requests[0]!.body as EventsRequest;
  assert.is(body.events.length, 5);
  assert.is(body.sent_at, new Date(clock.now()).toISOString());
  assert.equal(client.stats().queued, 0);
});

test('flushes queued events every flushIntervalMs through the injected clock', async () => {
  const { client, clock, server } = setup({ flushIntervalMs: 10_000 });
  await client.ready;
  client.track('opened');
  await clock.advance(9_999);
  assert.is(server.requests.length, 0);
  await clock.advance(1);
  assert.is(server.stored.size, 1);
  await clock.advance(30_000);
  assert.is(server.requests.length, 1, 'an empty queue sends nothing');
});

test('events left over from a previous run are sent at start, without waiting for the interval', async () => {
  const server = createFakeServer();
  server.down = true;
  const first = setup({ flushIntervalMs: 0 }, server);
  for (let i = 0; i < 3; i++) first.client.track('left-over');
  await first.client.flush();
  server.down = false;
  const second = setup({ flushIntervalMs: 60_000 }, server, createFakeStorage(first.storage.map));
  await second.client.ready;
  await settle();
  assert.is(server.stored.size, 3);
});

test('retries 5xx with capped exponential backoff and full jitter, then resets after a success', async () => {
  const clock = createFakeClock();
  const times: number[] = [];
  let failures = 6;
  const { fetch } = createFakeFetch((request) => {
    times.push(clock.now());
    return failures-- > 0 ? { status: 503 } : ok(request);
  });
  const { client, errors } = setup({ clock, fetch, flushIntervalMs: 0, retryBaseMs: 1000, retryMaxMs: 8000 });
  client.track('a');
  await client.flush();
  await clock.advance(60_000);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  // random() = 0.5 of the ceiling: 1000, 2000, 4000, 8000, 8000 (capped), 8000.
  assert.equal(gaps, [500, 1000, 2000, 4000, 4000, 4000]);
  assert.is(client.stats().accepted, 1);
  assert.is(errors.length, 6);
  assert.ok(errors.every((e) => e.code === 'http' && e.status === 503));
  failures = 1;
  client.track('b');
  await client.flush();
  await clock.advance(500);
  assert.is(client.stats().accepted, 2, 'the backoff restarted from the base');
});

test('retries network errors, 408 and 429, and times out a request that never answers', async () => {
  const clock = createFakeClock();
  const replies: (FakeReply | 'hang')[] = [new Error('offline'), { status: 408 }, { status: 429 }, 'hang'];
  const { fetch, requests } = createFakeFetch((request) => {
    const reply = replies.shift();
    if (reply === 'hang') return new Promise<FakeReply>(() => {});
    return reply ?? ok(request);
  });
  const { client, errors } = setup({ clock, fetch, flushIntervalMs: 0, requestTimeoutMs: 5000 });
  client.track('a');
  await client.flush();
  await clock.advance(120_000);
  assert.is(requests.length, 5);
  assert.equal(
    errors.map((e) => e.code),
    ['network', 'http', 'http', 'network'],
  );
  assert.match(errors[3]!.message, /5000 ms/);
  assert.is(client.stats().accepted, 1);
});

for (const status of [429, 503]) {
  test(`honours a ${status} Retry-After in seconds, even against an explicit flush()`, async () => {
    const clock = createFakeClock();
    const times: number[] = [];
    let first = true;
    const { fetch } = createFakeFetch((request) => {
      times.push(clock.now());
      if (first) return ((first = false), { status, headers: { 'Retry-After': '30' } });
      return ok(request);
    });
    const { client } = setup({ clock, fetch, flushIntervalMs: 0 });
    client.track('a');
    await client.flush();
    await clock.advance(10_000);
    await client.flush();
    await client.onBackground();
    assert.is(times.length, 1, 'nothing is sent before Retry-After has passed');
    await clock.advance(20_000);
    assert.equal(
      times.map((t) => t - times[0]!),
      [0, 30_000],
    );
    assert.is(client.stats().accepted, 1);
  });

  test(`honours a ${status} Retry-After as an HTTP date`, async () => {
    const clock = createFakeClock();
    const times: number[] = [];
    const { fetch } = createFakeFetch((request) => {
      times.push(clock.now());
      if (times.length > 1) return ok(request);
      return { status, headers: { 'retry-after': new Date(clock.now() + 45_000).toUTCString() } };
    });
    const { client } = setup({ clock, fetch, flushIntervalMs: 0 });
    client.track('a');
    await client.flush();
    await clock.advance(44_999);
    assert.is(times.length, 1);
    await clock.advance(1);
    assert.equal(
      times.map((t) => t - times[0]!),
      [0, 45_000],
    );
  });
}

test('on 413 the batch is halved until the server takes it', async () => {
  const sizes: number[] = [];
  const { fetch } = createFakeFetch((request) => {
    const n = (request.body as EventsRequest).events.length;
    sizes.push(n);
    return n > 25 ? { status: 413, body: { error: { code: 'payload_too_large', message: 'too large' } } } : ok(request);
  });
  const { client, errors } = setup({ fetch, maxBatchSize: 100, flushAt: 1000 });
  await client.ready;
  for (let i = 0; i < 100; i++) client.track('e', { i });
  await client.flush();
  assert.equal(sizes, [100, 50, 25, 25, 25, 25]);
  assert.is(client.stats().accepted, 100);
  assert.equal(errors, []);
});

test('one event too large on its own (413) is dropped and reported; the rest are delivered', async () => {
  const server = createFakeServer();
  const { fetch, requests } = createFakeFetch((request) => {
    const events = (request.body as EventsRequest).events;
    if (events.some((e) => e.name === 'huge')) return { status: 413 };
    return server
      .fetch('https://x/v1/events', { method: 'POST', headers: {}, body: JSON.stringify(request.body) })
      .then(async (r) => ({ status: r.status, body: JSON.parse(await r.text()) }));
  });
  const { client, errors } = setup({ fetch, flushAt: 1000 });
  await client.ready;
  client.track('small');
  client.track('huge');
  client.track('small');
  await client.flush();
  assert.equal(
    requests.map((r) => (r.body as EventsRequest).events.map((e) => e.name)),
    [['small', 'huge', 'small'], ['small'], ['huge'], ['small']],
  );
  assert.is(server.stored.size, 2);
  assert.is(errors.length, 1);
  assert.is(errors[0]!.code, 'too_large');
  assert.is(errors[0]!.events[0]!.name, 'huge');
  assert.is(client.stats().rejected, 1);
});

test('events the server rejects as invalid are dropped, reported with reasons, and never retried', async () => {
  const { fetch, requests } = createFakeFetch(() => ({
    body: { accepted: 2, duplicates: 0, rejected: [{ index: 1, errors: ['/properties: must be object'] }] },
  }));
  const { client, errors, flushes } = setup({ fetch, flushAt: 1000 });
  await client.ready;
  client.track('a');
  client.track('poison');
  client.track('c');
  await client.flush();
  await client.flush();
  assert.is(requests.length, 1);
  assert.is(errors.length, 1);
  assert.is(errors[0]!.code, 'rejected');
  assert.equal(
    errors[0]!.events.map((e) => e.name),
    ['poison'],
  );
  assert.equal(errors[0]!.reasons, [['/properties: must be object']]);
  assert.equal(client.stats(), { queued: 0, accepted: 2, duplicates: 0, rejected: 1, dropped: 0 });
  assert.equal(flushes, [{ accepted: 2, duplicates: 0, rejected: 1, remaining: 0 }]);
});

test('a 400 for the whole envelope drops that batch after reporting, and delivery goes on', async () => {
  let calls = 0;
  const { fetch } = createFakeFetch((request) =>
    calls++ === 0
      ? { status: 400, body: { error: { code: 'invalid_body', message: 'events must be an array' } } }
      : ok(request),
  );
  const { client, errors } = setup({ fetch, maxBatchSize: 2, flushAt: 1000 });
  await client.ready;
  for (const name of ['a', 'b', 'c']) client.track(name);
  await client.flush();
  assert.is(calls, 2);
  assert.is(errors.length, 1);
  assert.is(errors[0]!.code, 'bad_request');
  assert.is(errors[0]!.status, 400);
  assert.match(errors[0]!.message, /events must be an array/);
  assert.equal(
    errors[0]!.events.map((e) => e.name),
    ['a', 'b'],
  );
  assert.equal(client.stats(), { queued: 0, accepted: 1, duplicates: 0, rejected: 2, dropped: 0 });
});

for (const status of [401, 403, 404, 409, 415, 422]) {
  test(`a whole batch answered ${status} is dropped with a bad_request error, never retried, and delivery goes on`, async () => {
    const clock = createFakeClock();
    const server = createFakeServer();
    let calls = 0;
    const { fetch, requests } = createFakeFetch((request) =>
      calls++ === 0
        ? { status, body: { error: { code: 'refused', message: 'not here' } } }
        : server
            .fetch('https://x/v1/events', {
              method: 'POST',
              headers: {},
              body: JSON.stringify(request.body),
            })
            .then(async (r) => ({ status: r.status, body: JSON.parse(await r.text()) })),
    );
    const { client, errors } = setup({ clock, fetch, maxBatchSize: 2, flushAt: 1000, flushIntervalMs: 1000 });
    await client.ready;
    for (const name of ['a', 'b', 'c']) client.track(name);
    await client.flush();
    await clock.advance(600_000);
    assert.is(requests.length, 2, 'the refused batch is not sent again');
    assert.equal(
      errors.map((e) => [e.code, e.status]),
      [['bad_request', status]],
    );
    assert.match(errors[0]!.message, new RegExp(`${status}: not here`));
    assert.equal(
      errors[0]!.events.map((e) => e.name),
      ['a', 'b'],
    );
    assert.equal(
      [...server.stored.values()].map((e) => e.name),
      ['c'],
    );
    assert.equal(client.stats(), { queued: 0, accepted: 1, duplicates: 0, rejected: 2, dropped: 0 });
  });
}

const notAnAnswer: [string, FakeReply][] = [
  [
    'a captive portal page (200 HTML)',
    {
      status: 200,
      text: '<!doctype html><title>Sign in to CafeWiFi</title>',
      headers: { 'content-type': 'text/html' },
    },
  ],
  ['200 with {}', { status: 200, body: {} }],
  ['an empty 204', { status: 204 }],
  ['an empty 200', { status: 200 }],
  ['200 with string counts', { status: 200, body: { accepted: '1', duplicates: '0', rejected: [] } }],
  ['200 with rejected not an array', { status: 200, body: { accepted: 1, duplicates: 0, rejected: 'none' } }],
  ['200 with a rejected entry without index', { status: 200, body: { accepted: 1, duplicates: 0, rejected: [null] } }],
  ['202 with JSON null', { status: 202, text: 'null' }],
];
for (const [what, reply] of notAnAnswer) {
  test(`${what} is not a delivery: the events are kept, reported as bad_response, and delivered once the server answers`, async () => {
    const clock = createFakeClock();
    const server = createFakeServer();
    let intercepting = true;
    const { fetch, requests } = createFakeFetch((request) =>
      intercepting
        ? reply
        : server
            .fetch('https://x/v1/events', { method: 'POST', headers: {}, body: JSON.stringify(request.body) })
            .then(async (r) => ({ status: r.status, body: JSON.parse(await r.text()) })),
    );
    const { client, errors, flushes } = setup({
      clock,
      fetch,
      flushIntervalMs: 0,
      retryBaseMs: 1000,
      retryMaxMs: 1000,
    });
    await client.ready;
    client.track('a');
    client.track('b');
    await client.flush();
    await clock.advance(5_000);
    assert.ok(requests.length >= 3, 'retried with backoff');
    assert.equal(client.stats(), { queued: 2, accepted: 0, duplicates: 0, rejected: 0, dropped: 0 });
    assert.equal(flushes, []);
    assert.ok(
      errors.length >= 3 &&
        errors.every((e) => e.code === 'bad_response' && e.status === (reply as { status: number }).status),
    );
    assert.match(errors[0]!.message, /accepted/);
    intercepting = false;
    await clock.advance(1_000);
    assert.equal(
      [...server.stored.values()].map((e) => e.name),
      ['a', 'b'],
    );
    assert.equal(client.stats(), { queued: 0, accepted: 2, duplicates: 0, rejected: 0, dropped: 0 });
  });
}

test('concurrent flush() calls share one in-flight flush', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { fetch, requests } = createFakeFetch(async (request) => (await gate, ok(request)));
  const { client } = setup({ fetch, flushAt: 1000 });
  await client.ready;
  client.track('a');
  let resolved = 0;
  const flushes = [client.flush(), client.flush(), client.onBackground(), client.flush()].map((p) =>
    p.then(() => resolved++),
  );
  await settle();
  assert.is(requests.length, 1);
  assert.is(resolved, 0);
  client.track('b');
  release();
  await Promise.all(flushes);
  assert.is(resolved, 4);
  assert.is(requests.length, 2, 'the in-flight flush also sent what was tracked meanwhile');
  assert.is(client.stats().queued, 0);
});

test('automatic triggers wait for a scheduled retry; onBackground() and flush() try at once', async () => {
  const clock = createFakeClock();
  const server = createFakeServer();
  server.down = true;
  const { client } = setup(
    { clock, flushAt: 2, flushIntervalMs: 1000, retryBaseMs: 60_000, retryMaxMs: 60_000 },
    server,
  );
  await client.ready;
  client.track('a');
  client.track('b');
  await settle();
  assert.is(server.requests.length, 1);
  for (let i = 0; i < 10; i++) client.track('more');
  await clock.advance(5_000);
  assert.is(server.requests.length, 1, 'neither flushAt nor the interval hammer a failing server');
  server.down = false;
  await client.onBackground();
  assert.is(server.requests.length, 2);
  assert.is(server.stored.size, 12);
});

test('an event re-sent after a lost answer is stored once (event_id dedupe)', async () => {
  const clock = createFakeClock();
  const server = createFakeServer();
  let loseAnswer = true;
  const { fetch } = createFakeFetch(async (request) => {
    const response = await server.fetch('https://x/v1/events', {
      method: 'POST',
      headers: {},
      body: JSON.stringify(request.body),
    });
    const body = JSON.parse(await response.text());
    if (loseAnswer) return ((loseAnswer = false), new Error('connection reset after the server stored the batch'));
    return { body };
  });
  const { client } = setup({ clock, fetch, flushIntervalMs: 0 });
  client.track('once');
  await client.flush();
  await clock.advance(1000);
  assert.is(server.stored.size, 1);
  assert.equal(client.stats(), { queued: 0, accepted: 0, duplicates: 1, rejected: 0, dropped: 0 });
});

test('shutdown(timeout) makes a final flush and never waits past the timeout', async () => {
  const clock = createFakeClock();
  const hanging = createFakeFetch(() => new Promise<FakeReply>(() => {}));
  const { client, storage } = setup({ clock, fetch: hanging.fetch, requestTimeoutMs: 60_000 });
  client.track('a');
  let done = false;
  const shutdown = client.shutdown(2000).then(() => (done = true));
  await clock.advance(1999);
  assert.is(done, false);
  await clock.advance(1);
  await shutdown;
  assert.is(hanging.requests.length, 1);
  assert.ok([...storage.map.keys()].includes('abcc:queue:0'), 'the unsent event stays persisted');

  const ok2 = setup({ clock: createFakeClock() });
  ok2.client.track('b');
  await ok2.client.shutdown(1000);
  assert.is(ok2.server.stored.size, 1);
  assert.equal(ok2.clock.pending(), [], 'no timers left behind');
});

test.run();
