import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_VARIANT_VALUE_BYTES } from '@ab-calicritters/core';
import { admin, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('experiment rules in the admin API');

const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'treatment', weight: 0.5 },
];

it.before(async (ctx) => {
  ctx.server = await startTestServer({ experimentCacheTtlMs: 0 });
});
it.after(async (ctx) => ctx.server.close());

const create = (server: TestServer, def: Record<string, unknown>) =>
  server.post('/v1/admin/experiments', { variants, ...def }, admin);
const patch = (server: TestServer, key: string, body: Record<string, unknown>) =>
  server.send('PATCH', `/v1/admin/experiments/${key}`, JSON.stringify(body), {
    ...admin,
    'content-type': 'application/json',
  });
const archive = (server: TestServer, key: string) =>
  server.send('DELETE', `/v1/admin/experiments/${key}`, undefined, admin);

it('a new experiment has no rules: no condition, hashed by id, no namespace, not released', async ({ server }) => {
  const res = await create(server, { key: 'plain' });
  assert.is(res.status, 201);
  assert.equal(
    {
      condition: res.body.condition,
      hash_attribute: res.body.hash_attribute,
      fallback_attribute: res.body.fallback_attribute,
      namespace: res.body.namespace,
      released_variant: res.body.released_variant,
      released_at: res.body.released_at,
    },
    {
      condition: null,
      hash_attribute: 'id',
      fallback_attribute: null,
      namespace: null,
      released_variant: null,
      released_at: null,
    },
  );
});

it('rules and payloads are stored and returned as sent', async ({ server }) => {
  const def = {
    key: 'ruled',
    condition: { country: { $in: ['CA', 'US'] }, 'app.version': { $vgte: '3.2.0' } },
    hash_attribute: 'device_id',
    fallback_attribute: 'anonymous_id',
    namespace: ['paywall', 0, 0.5],
    variants: [
      { key: 'control', weight: 0.5, value: { title: 'Go Pro', limits: [1, 2] } },
      { key: 'treatment', weight: 0.5, value: 'plain text' },
    ],
  };
  const res = await create(server, def);
  assert.is(res.status, 201, JSON.stringify(res.body));
  const stored = await server.get('/v1/admin/experiments/ruled', admin);
  for (const field of ['condition', 'hash_attribute', 'fallback_attribute', 'namespace', 'variants'] as const) {
    assert.equal(stored.body[field], def[field], field);
  }
  assert.is((await archive(server, 'ruled')).status, 200);
});

it('a bad condition is refused with the JSON path of the bad operator', async ({ server }) => {
  const cases: Array<[unknown, string]> = [
    [{ country: { $inn: ['CA'] } }, '/condition/country/$inn'],
    [{ $or: { country: 'CA' } }, '/condition/$or'],
    [{ age: { $gte: 18, $lt: 'abc', $size: -1 } }, '/condition/age/$size'],
    [{ tags: { $elemMatch: { a: { $regex: '(' } } } }, '/condition/tags/$elemMatch/a/$regex'],
    [{ id: { $inGroup: 'staff' } }, '/condition/id/$inGroup'],
    [{ 'a..b': 1 }, '/condition/a..b'],
  ];
  for (const [condition, field] of cases) {
    const res = await create(server, { key: 'bad_condition', condition });
    assert.is(res.status, 400, JSON.stringify(condition));
    assert.is(res.body.error.code, 'invalid_definition');
    assert.ok(
      res.body.error.details.some((d: { field: string }) => d.field === field),
      `${JSON.stringify(condition)}: ${JSON.stringify(res.body.error.details)}`,
    );
  }
  const notObject = await create(server, { key: 'bad_condition', condition: ['country'] });
  assert.is(notObject.status, 400);
  assert.is(notObject.body.error.details[0].field, '/condition');
  await create(server, { key: 'good_condition' });
  const patched = await patch(server, 'good_condition', { condition: { plan: { $foo: 1 } } });
  assert.is(patched.status, 400);
  assert.is(patched.body.error.details[0].field, '/condition/plan/$foo');
});

it('bad namespaces, attribute names and payloads are refused naming the field', async ({ server }) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ namespace: ['pay', 0.5, 0.2] }, '/namespace'],
    [{ namespace: ['', 0, 1] }, '/namespace/0'],
    [{ namespace: ['pay', 0, 2] }, '/namespace/2'],
    [{ namespace: ['pay', 0] }, '/namespace'],
    [{ namespace: ['x'.repeat(200), 0, 1] }, '/namespace/0'],
    [{ hash_attribute: '' }, '/hash_attribute'],
    [{ hash_attribute: 'a b' }, '/hash_attribute'],
    [{ hash_attribute: 'user.id' }, '/hash_attribute'],
    [{ fallback_attribute: 7 }, '/fallback_attribute'],
    [
      {
        variants: [
          { key: 'a', weight: 0.5 },
          { key: 'b', weight: 0.5, value: 'x'.repeat(MAX_VARIANT_VALUE_BYTES) },
        ],
      },
      '/variants/1/value',
    ],
    [
      {
        variants: [
          { key: 'a', weight: 0.5, value: { t: 'a\u0000' } },
          { key: 'b', weight: 0.5 },
        ],
      },
      '/variants/0/value/t',
    ],
  ];
  for (const [fields, field] of cases) {
    const res = await create(server, { key: 'bad_rules', ...fields });
    assert.is(res.status, 400, JSON.stringify(fields).slice(0, 100));
    assert.ok(
      res.body.error.details.some((d: { field: string }) => d.field === field),
      `${JSON.stringify(fields).slice(0, 100)}: ${JSON.stringify(res.body.error.details)}`,
    );
  }
  const fits = await create(server, {
    key: 'big_payload',
    variants: [
      { key: 'a', weight: 0.5, value: 'x'.repeat(MAX_VARIANT_VALUE_BYTES - 2) },
      { key: 'b', weight: 0.5, value: null },
    ],
  });
  assert.is(fits.status, 201, 'a payload of exactly the limit (with its quotes) is accepted');
});

it('seed, hash attribute and fallback change while draft, and are refused (409 naming the field) once started', async ({
  server,
}) => {
  await create(server, { key: 'fixed', status: 'draft' });
  const draft = await patch(server, 'fixed', { seed: 's2', hash_attribute: 'device_id', fallback_attribute: 'anon' });
  assert.is(draft.status, 200);
  assert.is((await patch(server, 'fixed', { status: 'running' })).status, 200);
  for (const [field, value] of [
    ['seed', 's3'],
    ['hash_attribute', 'id'],
    ['fallback_attribute', null],
  ] as const) {
    const res = await patch(server, 'fixed', { [field]: value });
    assert.is(res.status, 409, field);
    assert.is(res.body.error.code, 'conflict');
    assert.equal(
      res.body.error.details.map((d: { field: string }) => d.field),
      [`/${field}`],
    );
    assert.match(res.body.error.message, field);
  }
  const same = await patch(server, 'fixed', { seed: 's2', hash_attribute: 'device_id', coverage: 0.5 });
  assert.is(same.status, 200, 'sending the stored value again is not a change');
  for (const status of ['stopped', 'released'] as const) {
    const moved = await patch(
      server,
      'fixed',
      status === 'released' ? { status, released_variant: 'control' } : { status },
    );
    assert.is(moved.status, 200);
    assert.is((await patch(server, 'fixed', { seed: 'other' })).status, 409, status);
  }
  const toDraft = await patch(server, 'fixed', { status: 'draft' });
  assert.is(toDraft.status, 409);
  assert.is(toDraft.body.error.details[0].field, '/status');
  assert.is((await server.get('/v1/admin/experiments/fixed', admin)).body.seed, 's2');
});

it('release: needs a variant of the experiment, stamps released_at, and leaving it clears both', async ({ server }) => {
  await create(server, { key: 'shipping' });
  const missing = await patch(server, 'shipping', { status: 'released' });
  assert.is(missing.status, 400);
  assert.is(missing.body.error.details[0].field, '/released_variant');
  const unknown = await patch(server, 'shipping', { status: 'released', released_variant: 'nope' });
  assert.is(unknown.status, 400);
  assert.match(unknown.body.error.details[0].message, 'not one of the variants');
  const without = await patch(server, 'shipping', { released_variant: 'treatment' });
  assert.is(without.status, 400, 'released_variant only with the status released');

  const released = await patch(server, 'shipping', { status: 'released', released_variant: 'treatment' });
  assert.is(released.status, 200);
  assert.is(released.body.released_variant, 'treatment');
  assert.ok(!Number.isNaN(Date.parse(released.body.released_at)));
  const again = await patch(server, 'shipping', { released_variant: 'control' });
  assert.is(again.status, 200, 'another variant may be released');
  assert.is(again.body.released_at, released.body.released_at, 'released_at is the first release');
  const dropped = await patch(server, 'shipping', {
    variants: [
      { key: 'x', weight: 0.5 },
      { key: 'y', weight: 0.5 },
    ],
  });
  assert.is(dropped.status, 400, 'the released variant cannot be removed');

  const resumed = await patch(server, 'shipping', { status: 'running' });
  assert.is(resumed.status, 200);
  assert.is(resumed.body.released_variant, null);
  assert.is(resumed.body.released_at, null);

  await patch(server, 'shipping', { status: 'released', released_variant: 'control' });
  const archived = await archive(server, 'shipping');
  assert.is(archived.body.status, 'archived');
  assert.is(archived.body.released_variant, 'control', 'archiving keeps the release for the record');
});

it('overlapping namespace ranges are refused (409 naming the other experiment); archiving frees a range', async ({
  server,
}) => {
  assert.is((await create(server, { key: 'ns_left', namespace: ['checkout', 0, 0.4] })).status, 201);
  assert.is((await create(server, { key: 'ns_right', namespace: ['checkout', 0.4, 0.7] })).status, 201);
  assert.is((await create(server, { key: 'ns_elsewhere', namespace: ['onboarding', 0, 1] })).status, 201);

  const overlap = await create(server, { key: 'ns_middle', namespace: ['checkout', 0.3, 0.5] });
  assert.is(overlap.status, 409);
  const messages = overlap.body.error.details.map((d: { message: string }) => d.message).join(' | ');
  assert.match(messages, "'ns_left'");
  assert.match(messages, "'ns_right'");
  assert.equal(
    overlap.body.error.details.map((d: { field: string }) => d.field),
    ['/namespace', '/namespace'],
  );

  await create(server, { key: 'ns_mover', status: 'draft' });
  const moved = await patch(server, 'ns_mover', { namespace: ['checkout', 0.69, 0.8] });
  assert.is(moved.status, 409);
  assert.match(moved.body.error.message, 'ns_right');
  assert.is((await patch(server, 'ns_mover', { namespace: ['checkout', 0.7, 0.8] })).status, 200);
  assert.is(
    (await patch(server, 'ns_right', { namespace: ['checkout', 0.4, 0.7], coverage: 0.5 })).status,
    200,
    'its own claim is no overlap',
  );

  const listed = await server.get('/v1/admin/namespaces', admin);
  assert.is(listed.status, 200);
  assert.equal(listed.body.namespaces, [
    {
      name: 'checkout',
      used: [
        { experiment_key: 'ns_left', status: 'draft', start: 0, end: 0.4 },
        { experiment_key: 'ns_right', status: 'draft', start: 0.4, end: 0.7 },
        { experiment_key: 'ns_mover', status: 'draft', start: 0.7, end: 0.8 },
      ],
      free: [{ start: 0.8, end: 1 }],
    },
    {
      name: 'onboarding',
      used: [{ experiment_key: 'ns_elsewhere', status: 'draft', start: 0, end: 1 }],
      free: [],
    },
  ]);

  await archive(server, 'ns_left');
  assert.is((await create(server, { key: 'ns_middle', namespace: ['checkout', 0.1, 0.4] })).status, 201);
  const after = await server.get('/v1/admin/namespaces', admin);
  assert.equal(after.body.namespaces[0].free, [
    { start: 0, end: 0.1 },
    { start: 0.8, end: 1 },
  ]);
});

it('concurrent claims of one range: exactly one wins', async ({ server }) => {
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) => create(server, { key: `race_${i}`, namespace: ['raced', 0.2, 0.6] })),
  );
  assert.equal(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
});

it.run();
