/** Targeting attributes, variant payloads, getAssignment() and servers with and without `reason` and `value`. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateExperiment, type TargetedExperiment } from '@ab-calicritters/core';
import { EXPOSURE_EVENT } from './client.js';
import { createFakeFetch, createFakeServer, createFakeStorage, sentEvents, settle, setup } from './fakes.js';

const variants = [
  { key: 'control', weight: 0.5, value: 'Go premium' },
  { key: 'urgency', weight: 0.5, value: 'Last chance' },
];
const canada: TargetedExperiment = { key: 'paywall', variants, condition: { country: 'CA' } };

const assignmentBodies = (requests: { path: string; body: unknown }[]) =>
  requests.filter((r) => r.path === '/v1/assignment').map((r) => r.body);

test('an older server (no reason, no value): a variant reads as assigned, null as outside_coverage', async () => {
  const server = createFakeServer({ paywall: 'urgency', small: null });
  const { client } = setup({ experimentKeys: ['paywall', 'small', 'gone'] }, server);
  await client.refreshAssignments();
  assert.equal(client.getAssignment('paywall'), {
    variant: 'urgency',
    reason: 'assigned',
    value: null,
    source: 'server',
  });
  assert.equal(client.getAssignment('small'), {
    variant: null,
    reason: 'outside_coverage',
    value: null,
    source: 'server',
  });
  assert.is(client.getVariantValue('paywall', 'fallback'), 'fallback');
  assert.equal(client.getAssignment('gone'), { variant: null, reason: 'unknown', value: null, source: 'server' });
  assert.equal(client.getAssignment('never_asked'), { variant: null, reason: 'unknown', value: null, source: 'none' });
});

test("the server's reason and payload are kept and persisted; an unknown reason is read like a missing one", async () => {
  const storage = createFakeStorage();
  const server = createFakeServer({
    paywall: { variant: 'urgency', reason: 'assigned', value: { title: 'Last chance', discount: 20 } },
    onboarding: { variant: null, reason: 'not_targeted', value: null },
    future: { variant: 'b', reason: 'reason_from_the_future' },
  });
  const first = setup({}, server, storage);
  await first.client.refreshAssignments();
  const second = setup({ fetch: createFakeServer().fetch }, server, createFakeStorage(storage.map));
  await second.client.ready;
  for (const { client } of [first, second]) {
    assert.equal(client.getVariantValue('paywall', { title: '', discount: 0 }), { title: 'Last chance', discount: 20 });
    assert.is(client.getAssignment('onboarding').reason, 'not_targeted');
    assert.is(client.getAssignment('future').reason, 'assigned');
  }
});

test('answers persisted by an older SDK (variant only) are read as assigned / outside_coverage', async () => {
  const storage = createFakeStorage(new Map([['abcc:assignments:u1', '{"paywall":"urgency","small":null,"bad":7}']]));
  const { client } = setup({}, createFakeServer(), storage);
  await client.ready;
  assert.equal(client.getAssignment('paywall'), {
    variant: 'urgency',
    reason: 'assigned',
    value: null,
    source: 'server',
  });
  assert.is(client.getAssignment('small').reason, 'outside_coverage');
  assert.is(client.getAssignment('bad').source, 'none');
});

test('malformed entries in an answer are skipped, the well-formed ones kept', async () => {
  const { fetch } = createFakeFetch(() => ({
    body: {
      user_id: 'u1',
      assignments: [null, 7, { experiment_key: 'ok', variant: 'b' }, { experiment_key: 'bad', variant: 3 }],
      unknown_experiments: 'nope',
    },
  }));
  const { client } = setup({ fetch });
  assert.is(await client.refreshAssignments(), true);
  assert.is(client.getVariant('ok'), 'b');
  assert.is(client.getAssignment('bad').source, 'none');
});

test('getVariantValue returns the fallback when the payload is missing or of another JSON type', async () => {
  const server = createFakeServer({
    text: { variant: 'b', reason: 'assigned', value: 'hello' },
    list: { variant: 'b', reason: 'assigned', value: [1, 2] },
    none: { variant: 'b', reason: 'assigned', value: null },
    out: { variant: null, reason: 'holdout', value: null },
  });
  const { client } = setup({}, server);
  await client.refreshAssignments();
  assert.is(client.getVariantValue('text', 'fallback'), 'hello');
  assert.is(client.getVariantValue('text', 3), 3);
  assert.equal(client.getVariantValue('list', [0]), [1, 2]);
  assert.equal(client.getVariantValue('list', { a: 1 }), { a: 1 });
  assert.equal(client.getVariantValue<unknown>('list', null), [1, 2]);
  assert.is(client.getVariantValue('none', 'fallback'), 'fallback');
  assert.is(client.getVariantValue('out', 'fallback'), 'fallback');
  assert.is(client.getVariantValue('missing', 42), 42);
});

test('a payload read is an exposure, logged once with getVariant; getAssignment, forced and released log none', async () => {
  const server = createFakeServer({
    paywall: { variant: 'urgency', reason: 'assigned', value: 'x' },
    qa: { variant: 'b', reason: 'forced', value: 'y' },
    shipped: { variant: 'b', reason: 'released', value: 'z' },
    peek: { variant: 'b', reason: 'assigned', value: 'w' },
  });
  const { client } = setup({}, server);
  await client.refreshAssignments();
  client.getVariantValue('paywall', '');
  client.getVariant('paywall');
  client.getVariantValue('paywall', '');
  assert.is(client.getVariant('qa'), 'b');
  assert.is(client.getVariantValue('shipped', ''), 'z');
  client.getAssignment('peek');
  await client.flush();
  assert.equal(
    sentEvents(server.requests)
      .filter((e) => e.name === EXPOSURE_EVENT)
      .map((e) => e.properties),
    [{ experiment_key: 'paywall', variant: 'urgency' }],
  );
});

test('setAttributes validates: what the server could not store is refused with an error, never thrown', async () => {
  const { client, errors } = setup({ attributes: { country: 'CA' } });
  await client.ready;
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) deep = { deep };
  const bad = [
    { name: '🐱'.slice(0, 1) },
    { ['\u0000']: 1 },
    { n: Number.NaN },
    { f: () => 1 },
    deep,
    [] as never,
    null as never,
    'CA' as never,
    Object.defineProperty({}, 'toJSON', { value: () => ({ x: '\u0000' }), enumerable: false }),
  ];
  for (const attributes of bad) client.setAttributes(attributes);
  assert.is(errors.length, bad.length);
  assert.ok(errors.every((e) => e.code === 'invalid_argument'));
  assert.match(errors[0]!.message, /^setAttributes: attributes\/name: contains an unpaired UTF-16 surrogate/);
  assert.match(errors.at(-1)!.message, /^setAttributes: attributes\/x: contains a NUL/, 'checked again after toJSON');
  assert.equal(client.getAttributes(), { country: 'CA' });
  assert.throws(() => setup({ attributes: { bad: '\u0000' } }), /`attributes` must be an object the server can store/);
});

test('attributes are copied in and out, and sent with assignment requests', async () => {
  const server = createFakeServer({});
  const attributes = { platform: 'ios', app: { version: '3.4.1' } };
  const { client } = setup({}, server);
  client.setAttributes(attributes);
  attributes.app.version = '9';
  const out = client.getAttributes();
  (out.app as { version: string }).version = '8';
  assert.equal(client.getAttributes(), { platform: 'ios', app: { version: '3.4.1' } });
  await client.refreshAssignments();
  assert.equal(assignmentBodies(server.requests), [
    { user_id: 'u1', attributes: { platform: 'ios', app: { version: '3.4.1' } } },
  ]);
});

test('changed attributes: the next read refetches once, exclusions are not used meanwhile, sticky variants stay', async () => {
  const server = createFakeServer({
    paywall: { variant: null, reason: 'not_targeted', value: null },
    onboarding: { variant: 'b', reason: 'assigned', value: null },
  });
  const { client } = setup({ attributes: { country: 'US' }, autoRefresh: true }, server);
  await client.ready;
  await settle();
  assert.is(client.getAssignment('paywall').reason, 'not_targeted');
  client.setAttributes({ country: 'US' });
  client.getVariant('paywall');
  await settle();
  assert.is(assignmentBodies(server.requests).length, 1, 'the same attributes change nothing');

  client.setAttributes({ country: 'CA' });
  server.assignments.paywall = { variant: 'urgency', reason: 'assigned', value: 'Last chance' };
  assert.equal(client.getAssignment('paywall'), {
    variant: null,
    reason: 'not_targeted',
    value: null,
    source: 'server',
  });
  assert.is(client.getVariant('onboarding'), 'b', 'the sticky variant is kept');
  client.getVariant('paywall');
  await settle();
  assert.equal(
    assignmentBodies(server.requests).map((b) => (b as { attributes: unknown }).attributes),
    [{ country: 'US' }, { country: 'CA' }],
    'one refetch for any number of reads',
  );
  assert.equal(client.getAssignment('paywall'), {
    variant: 'urgency',
    reason: 'assigned',
    value: 'Last chance',
    source: 'server',
  });
});

test('without autoRefresh nothing is fetched; a stale exclusion gives way to the bootstrap definition', async () => {
  const server = createFakeServer({ paywall: { variant: null, reason: 'not_targeted', value: null } });
  const { client } = setup({ bootstrap: [canada], attributes: { country: 'US' } }, server);
  await client.refreshAssignments();
  assert.equal(client.getAssignment('paywall').source, 'server');
  client.setAttributes({ country: 'CA' });
  const local = evaluateExperiment({ attributes: { id: 'u1', country: 'CA' } }, canada);
  assert.equal(client.getAssignment('paywall'), {
    variant: local.variant,
    reason: 'assigned',
    value: variants[local.index]!.value,
    source: 'bootstrap',
  });
  await settle();
  assert.is(assignmentBodies(server.requests).length, 1);
});

test('after a restart with other attributes, persisted exclusions are stale until the server answers again', async () => {
  const storage = createFakeStorage();
  const server = createFakeServer({ paywall: { variant: null, reason: 'not_targeted', value: null } });
  const first = setup({ bootstrap: [canada], attributes: { country: 'US' } }, server, storage);
  await first.client.refreshAssignments();
  const same = setup({ bootstrap: [canada], attributes: { country: 'US' } }, server, createFakeStorage(storage.map));
  await same.client.ready;
  assert.is(same.client.getAssignment('paywall').source, 'server');
  const moved = setup({ bootstrap: [canada], attributes: { country: 'CA' } }, server, createFakeStorage(storage.map));
  await moved.client.ready;
  assert.is(moved.client.getAssignment('paywall').source, 'bootstrap');
});

test('identify with attributes validates them as setAttributes does and refreshes at once', async () => {
  const server = createFakeServer({});
  const { client, errors } = setup({ autoRefresh: true }, server);
  await client.ready;
  await settle();
  client.identify('u2', { plan: '\u0000' });
  assert.match(errors[0]!.message, /^identify: attributes\/plan: contains a NUL/);
  assert.is(client.userId, 'u1');
  client.identify('u2', { plan: 'pro' });
  await settle();
  client.getVariant('anything');
  await settle();
  assert.equal(assignmentBodies(server.requests), [
    { user_id: 'u1', attributes: {} },
    { user_id: 'u2', attributes: { plan: 'pro' } },
  ]);
});

test.run();
