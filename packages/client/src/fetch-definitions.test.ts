/**
 * `fetchDefinitions()` and `definitionsRefreshMs`: definitions from `GET /v1/definitions` switch local evaluation on,
 * an ETag makes the next request conditional, a 304 keeps what is in use, failures are reported and keep it too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createFakeClock, createFakeFetch, setup, type FakeReply, type FakeRequest } from './fakes.js';
import type { TargetedExperiment } from './wire-types.js';

const variants = [
  { key: 'control', weight: 0.5, value: { title: 'Go premium' } },
  { key: 'urgency', weight: 0.5, value: { title: 'Last chance' } },
];
const shipped: TargetedExperiment = { key: 'paywall', variants, released: 'urgency' };
const targeted: TargetedExperiment = { key: 'paywall', variants, condition: { country: 'CA' } };

function definitionsServer(replies: FakeReply[]) {
  return createFakeFetch((request: FakeRequest, index) => {
    assert.is(request.method, 'GET');
    assert.is(request.path, '/v1/definitions');
    return replies[Math.min(index, replies.length - 1)]!;
  });
}

test('fetched definitions decide locally; the ETag makes the next fetch conditional and a 304 keeps them', async () => {
  const server = definitionsServer([
    { body: { experiments: [shipped] }, headers: { etag: '"v1"' } },
    { status: 304, headers: { etag: '"v1"' } },
  ]);
  const { client, errors } = setup({ autoExposure: false, fetch: server.fetch });
  assert.is(client.getAssignment('paywall').source, 'none');
  assert.ok(await client.fetchDefinitions());
  assert.equal(client.getAssignment('paywall'), {
    variant: 'urgency',
    reason: 'released',
    value: { title: 'Last chance' },
    source: 'definitions',
  });
  assert.is(server.requests[0]!.headers['if-none-match'], undefined, 'the first fetch is unconditional');
  assert.ok(await client.fetchDefinitions());
  assert.is(server.requests[1]!.headers['if-none-match'], '"v1"');
  assert.is(client.getAssignment('paywall').reason, 'released', 'a 304 keeps the definitions in use');
  assert.equal(errors, []);
});

test('setDefinitions() drops the ETag: the next fetch asks for the whole set again', async () => {
  const server = definitionsServer([{ body: { experiments: [shipped] }, headers: { etag: '"v1"' } }]);
  const { client } = setup({ fetch: server.fetch });
  await client.fetchDefinitions();
  client.setDefinitions([targeted]);
  await client.fetchDefinitions();
  assert.is(server.requests[1]!.headers['if-none-match'], undefined);
});

test('a failure, an error status or a body without definitions is reported and keeps the definitions in use', async () => {
  const server = definitionsServer([
    { body: { experiments: [shipped] }, headers: { etag: '"v1"' } },
    new Error('offline'),
    { status: 503, body: { error: { code: 'db_unavailable', message: 'database down' } } },
    { text: '<html>captive portal</html>' },
    { body: { experiments: [{ key: 'broken' }] } },
    { status: 304 },
  ]);
  const { client, errors } = setup({ autoExposure: false, fetch: server.fetch });
  assert.ok(await client.fetchDefinitions());
  client.setDefinitions([targeted]);
  for (let i = 0; i < 5; i++) assert.not.ok(await client.fetchDefinitions(), `reply ${i + 1}`);
  assert.equal(
    errors.map((e) => e.code),
    ['definitions', 'definitions', 'definitions', 'definitions', 'definitions'],
  );
  assert.match(errors[1]!.message, /503: database down/);
  assert.is(errors[1]!.status, 503);
  assert.match(errors[3]!.message, /variants: not an array/);
  assert.is(client.getAssignment('paywall').reason, 'not_targeted', 'the definitions in use stay');
});

test('fetched saved_groups feed $inGroup; a bad saved_groups is reported; an answer without them keeps them', async () => {
  const staffOnly: TargetedExperiment = { key: 'beta', variants, condition: { id: { $inGroup: 'staff' } } };
  const server = definitionsServer([
    { body: { experiments: [staffOnly], saved_groups: { staff: ['u1'] } } },
    { body: { experiments: [staffOnly], saved_groups: { staff: 'u1' } } },
    { body: { experiments: [staffOnly] } },
  ]);
  const { client, errors } = setup({ autoExposure: false, fetch: server.fetch });
  assert.ok(await client.fetchDefinitions());
  assert.is(client.getAssignment('beta').reason, 'assigned', 'u1 is in the fetched group');
  assert.not.ok(await client.fetchDefinitions());
  assert.match(String((errors[0] as Error | undefined)?.message), /saved_groups: staff: not an array/);
  assert.ok(await client.fetchDefinitions());
  assert.is(client.getAssignment('beta').reason, 'assigned', 'the groups in use stay');
});

test('definitionsRefreshMs fetches once loaded and then on that interval, until shutdown', async () => {
  const clock = createFakeClock();
  const server = definitionsServer([
    { body: { experiments: [targeted] }, headers: { etag: '"v1"' } },
    { status: 304 },
    { body: { experiments: [shipped] }, headers: { etag: '"v2"' } },
  ]);
  const { client } = setup({
    clock,
    fetch: server.fetch,
    definitionsRefreshMs: 60_000,
    flushIntervalMs: 0,
    autoExposure: false,
  });
  await client.ready;
  await clock.advance(0);
  assert.is(server.requests.length, 1);
  assert.is(client.getAssignment('paywall').reason, 'not_targeted');
  await clock.advance(60_000);
  assert.is(server.requests.length, 2);
  assert.is(server.requests[1]!.headers['if-none-match'], '"v1"');
  await clock.advance(60_000);
  assert.is(client.getAssignment('paywall').reason, 'released');
  await client.shutdown(10);
  await clock.advance(600_000);
  assert.is(server.requests.length, 3, 'no fetch after shutdown');
});

test('definitionsRefreshMs must be a whole number of ms ≥ 0', () => {
  assert.throws(() => setup({ definitionsRefreshMs: -1 }), /definitionsRefreshMs/);
  assert.throws(() => setup({ definitionsRefreshMs: 1.5 }), /definitionsRefreshMs/);
});

test.run();
