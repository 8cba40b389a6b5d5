import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assign, type AssignableExperiment } from '@ab-calicritters/core';
import { EXPOSURE_EVENT } from './client.js';
import { createFakeFetch, createFakeServer, createFakeStorage, sentEvents, settle, setup } from './fakes.js';

const paywall: AssignableExperiment = {
  key: 'paywall_copy',
  variants: [
    { key: 'control', weight: 0.5 },
    { key: 'urgency', weight: 0.5 },
  ],
};
const local = assign(paywall, 'u1')!;
const other = local === 'control' ? 'urgency' : 'control';

test('before the first server answer the variant is computed locally from the bootstrap definitions', async () => {
  const { client } = setup({ bootstrap: [paywall] });
  assert.is(client.getVariant('paywall_copy'), local);
  await client.ready;
  assert.is(client.getVariant('paywall_copy'), local);
  assert.is(client.getVariant('not_bootstrapped'), null);
});

test("refreshAssignments asks for the bootstrap keys with attributes; the server's sticky value then wins", async () => {
  const server = createFakeServer({ paywall_copy: other });
  const { client } = setup({ bootstrap: [paywall], attributes: { country: 'NL' } }, server);
  assert.is(await client.refreshAssignments(), true);
  assert.equal(server.requests[0]!.body, {
    user_id: 'u1',
    experiment_keys: ['paywall_copy'],
    attributes: { country: 'NL' },
  });
  assert.is(client.getVariant('paywall_copy'), other);
});

test('the server answer is persisted: after a restart offline the sticky value is still used', async () => {
  const storage = createFakeStorage();
  const first = setup({ bootstrap: [paywall] }, createFakeServer({ paywall_copy: other }), storage);
  await first.client.refreshAssignments();
  const offline = createFakeFetch(() => new Error('offline'));
  const second = setup(
    { bootstrap: [paywall], fetch: offline.fetch, autoRefresh: true },
    undefined,
    createFakeStorage(storage.map),
  );
  await second.client.ready;
  assert.is(second.client.getVariant('paywall_copy'), other);
  await settle();
  assert.equal(
    second.errors.map((e) => e.code),
    ['assignment'],
    'the failed refresh is reported',
  );
  assert.is(second.client.getVariant('paywall_copy'), other);
});

test('a null variant (outside coverage) and unknown experiments from the server read as null', async () => {
  const server = createFakeServer({ paywall_copy: null });
  const { client } = setup({ bootstrap: [paywall, { ...paywall, key: 'deleted' }] }, server);
  await client.refreshAssignments();
  assert.is(client.getVariant('paywall_copy'), null);
  assert.is(client.getVariant('deleted'), null);
});

test('without bootstrap or experimentKeys, refresh asks for every experiment', async () => {
  const server = createFakeServer({ a: 'x', b: 'y' });
  const { client } = setup({}, server);
  await client.refreshAssignments();
  assert.equal(server.requests[0]!.body, { user_id: 'u1', attributes: {} });
  assert.is(client.getVariant('b'), 'y');
});

test('a failed refresh resolves false, reports an assignment error and keeps local assignment', async () => {
  const { fetch } = createFakeFetch(() => ({
    status: 503,
    body: { error: { code: 'db_unavailable', message: 'database down' } },
  }));
  const { client, errors } = setup({ bootstrap: [paywall], fetch });
  assert.is(await client.refreshAssignments(), false);
  assert.is(errors[0]!.code, 'assignment');
  assert.is(errors[0]!.status, 503);
  assert.match(errors[0]!.message, /database down/);
  assert.is(client.getVariant('paywall_copy'), local);
});

test('an answer for a user who logged out meanwhile is not applied to the new user', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const server = createFakeServer({ paywall_copy: other });
  const { fetch } = createFakeFetch(async (request) => {
    await gate;
    const response = await server.fetch('https://x/v1/assignment', {
      method: 'POST',
      headers: {},
      body: JSON.stringify(request.body),
    });
    return { body: JSON.parse(await response.text()) };
  });
  const { client } = setup({ bootstrap: [paywall], fetch });
  await client.ready;
  const refresh = client.refreshAssignments();
  await settle();
  client.identify('u2');
  release();
  assert.is(await refresh, false);
  assert.is(client.getVariant('paywall_copy'), assign(paywall, 'u2'));
});

test('one $exposure per user and experiment, only for a non-null variant', async () => {
  const server = createFakeServer({ paywall_copy: other, outside: null });
  const { client } = setup({ bootstrap: [paywall] }, server);
  await client.refreshAssignments();
  for (let i = 0; i < 5; i++) client.getVariant('paywall_copy');
  client.getVariant('outside');
  client.getVariant('unknown');
  client.identify('u2');
  client.getVariant('paywall_copy');
  await client.flush();
  const exposures = sentEvents(server.requests).filter((e) => e.name === EXPOSURE_EVENT);
  assert.equal(
    exposures.map((e) => [e.user_id, e.properties]),
    [
      ['u1', { experiment_key: 'paywall_copy', variant: other }],
      ['u2', { experiment_key: 'paywall_copy', variant: assign(paywall, 'u2') }],
    ],
  );
});

test('exposures are deduplicated across restarts, also for getVariant before the restarted client is ready', async () => {
  const server = createFakeServer();
  const storage = createFakeStorage();
  const first = setup({ bootstrap: [paywall] }, server, storage);
  first.client.getVariant('paywall_copy');
  first.client.getVariant('paywall_copy');
  await first.client.ready;
  await first.client.onBackground();
  const second = setup({ bootstrap: [paywall, { ...paywall, key: 'second' }] }, server, createFakeStorage(storage.map));
  second.client.getVariant('paywall_copy');
  second.client.getVariant('second');
  await second.client.ready;
  second.client.getVariant('paywall_copy');
  await second.client.flush();
  const exposures = sentEvents(server.requests).filter((e) => e.name === EXPOSURE_EVENT);
  assert.equal(
    exposures.map((e) => e.properties!.experiment_key),
    ['paywall_copy', 'second'],
  );
});

test('a malformed bootstrap definition fails createClient, naming the option', () => {
  assert.throws(
    () => setup({ bootstrap: [{ key: 'broken', variants: [null, null] as never }] }),
    /`bootstrap` must be an array of \{ key, variants: \[\{ key, weight \}\] \} \(\[0\]\.variants\[0\]/,
  );
  assert.throws(() => setup({ bootstrap: [paywall, paywall] }), /given twice/);
});

test('a definition whose rules throw makes getVariant return null and report, never throw', async () => {
  const broken = { ...paywall };
  Object.defineProperty(broken, 'condition', {
    get() {
      throw new Error('hostile getter');
    },
  });
  const { client, errors } = setup({ bootstrap: [broken] });
  await client.ready;
  assert.is(client.getVariant('paywall_copy'), null);
  assert.is(client.getVariantValue('paywall_copy', 'fallback'), 'fallback');
  assert.equal(
    errors.map((e) => e.code),
    ['invalid_argument', 'invalid_argument'],
  );
});

test('autoExposure: false logs nothing', async () => {
  const { client, server } = setup({ bootstrap: [paywall], autoExposure: false });
  await client.ready;
  client.getVariant('paywall_copy');
  await client.flush();
  assert.is(server.requests.length, 0);
});

test('autoRefresh asks the server once loaded and again after identify', async () => {
  const server = createFakeServer({ paywall_copy: other });
  const { client } = setup({ bootstrap: [paywall], autoRefresh: true }, server);
  await client.ready;
  await settle();
  assert.is(client.getVariant('paywall_copy'), other);
  client.identify('u9', { plan: 'pro' });
  await settle();
  const bodies = server.requests.filter((r) => r.path === '/v1/assignment').map((r) => r.body);
  assert.equal(bodies, [
    { user_id: 'u1', experiment_keys: ['paywall_copy'], attributes: {} },
    { user_id: 'u9', experiment_keys: ['paywall_copy'], attributes: { plan: 'pro' } },
  ]);
});

test('a repeated read follows a new server answer, another user, new attributes and new definitions', async () => {
  const answers: Record<string, { variant: string | null; reason?: string }> = {
    paywall_copy: { variant: 'control', reason: 'assigned' },
  };
  const server = createFakeServer(answers);
  const { client } = setup({ bootstrap: [paywall] }, server);
  await client.refreshAssignments();
  for (let i = 0; i < 3; i++) assert.is(client.getVariant('paywall_copy'), 'control');
  answers.paywall_copy = { variant: 'urgency', reason: 'forced' };
  await client.refreshAssignments();
  assert.equal(client.getAssignment('paywall_copy'), {
    variant: 'urgency',
    reason: 'forced',
    value: null,
    source: 'server',
  });
  answers.paywall_copy = { variant: null, reason: 'not_targeted' };
  await client.refreshAssignments();
  assert.is(client.getVariant('paywall_copy'), null);
  client.setAttributes({ country: 'CA' }); // the exclusion was computed with other attributes: bootstrap decides
  assert.is(client.getAssignment('paywall_copy').source, 'bootstrap');
  client.identify('u2');
  assert.is(client.getVariant('paywall_copy'), assign(paywall, 'u2'));
  client.setDefinitions([
    {
      ...paywall,
      variants: [
        { key: 'only', weight: 1 },
        { key: 'never', weight: 0 },
      ],
    },
  ]);
  assert.is(client.getVariant('paywall_copy'), 'only');
  client.setDefinitions(null);
  assert.is(client.getAssignment('unknown_key').source, 'none');
  client.setDefinitions([{ ...paywall, key: 'unknown_key' }]);
  assert.is(client.getAssignment('unknown_key').source, 'definitions');
});

test.run();
