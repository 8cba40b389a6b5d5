import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('admin API');
const json = { 'content-type': 'application/json' };
const experiment = {
  key: 'paywall_copy',
  name: 'Paywall copy',
  variants: [
    { key: 'control', weight: 0.5 },
    { key: 'urgency', weight: 0.5 },
  ],
  status: 'running',
};

it.before(async (ctx) => {
  ctx.server = await startTestServer();
});
it.after(async (ctx) => ctx.server.close());

it('missing or wrong x-admin-token gets 401 and changes nothing', async ({ server }) => {
  const missing = await server.post('/v1/admin/experiments', experiment);
  assert.is(missing.status, 401);
  assert.is(missing.body.error.code, 'unauthorized');
  const wrong = await server.post('/v1/admin/experiments', experiment, { 'x-admin-token': 'nope-nope-nope' });
  assert.is(wrong.status, 401);
  assert.is((await server.get('/v1/admin/experiments')).status, 401);
  const list = await server.get('/v1/admin/experiments', admin);
  assert.equal(list.body, { experiments: [] });
});

it('creates an experiment (201) with defaults filled in, and refuses the same key again (409)', async ({ server }) => {
  const res = await server.post('/v1/admin/experiments', experiment, admin);
  assert.is(res.status, 201);
  assert.is(res.headers.get('location'), '/v1/admin/experiments/paywall_copy');
  assert.is(res.body.seed, 'paywall_copy');
  assert.is(res.body.coverage, 1);
  assert.is(res.body.status, 'running');
  const again = await server.post('/v1/admin/experiments', experiment, admin);
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'conflict');
  const got = await server.get('/v1/admin/experiments/paywall_copy', admin);
  assert.equal(got.body.variants, experiment.variants);
});

it('bad definitions get 400 naming the field', async ({ server }) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [
      {
        ...experiment,
        key: 'w',
        variants: [
          { key: 'a', weight: 0.5 },
          { key: 'b', weight: 0.3 },
        ],
      },
      '/variants',
    ],
    [
      {
        ...experiment,
        key: 'd',
        variants: [
          { key: 'a', weight: 0.5 },
          { key: 'a', weight: 0.5 },
        ],
      },
      '/variants/1/key',
    ],
    [{ ...experiment, key: 'one', variants: [{ key: 'a', weight: 1 }] }, '/variants'],
    [{ ...experiment, key: 'u', colour: 'red' }, '/colour'],
    [{ ...experiment, key: 'c', coverage: 1.5 }, '/coverage'],
    [{ ...experiment, key: 's', status: 'paused' }, '/status'],
    [{ ...experiment, key: 'has space' }, '/key'],
    [{ ...experiment, key: undefined }, '/key'],
  ];
  for (const [body, field] of cases) {
    const res = await server.post('/v1/admin/experiments', body, admin);
    assert.is(res.status, 400, JSON.stringify(body));
    assert.is(res.body.error.code, 'invalid_definition');
    assert.ok(
      res.body.error.details.some((d: { field: string }) => d.field === field),
      `${field} in ${JSON.stringify(res.body)}`,
    );
  }
});

it('a definition with four problems names all four, and the allowed statuses', async ({ server }) => {
  const res = await server.post(
    '/v1/admin/experiments',
    { ...experiment, key: 'has space', coverage: 1.5, status: 'paused', colour: 'red' },
    admin,
  );
  assert.is(res.status, 400);
  const details: Array<{ field: string; message: string }> = res.body.error.details;
  assert.equal(details.map((d) => d.field).sort(), ['/colour', '/coverage', '/key', '/status']);
  assert.is(
    details.find((d) => d.field === '/status')?.message,
    "must be one of 'draft', 'running', 'stopped', 'released', 'archived' (got 'paused')",
  );
  assert.match(res.body.error.message, '/key');
  assert.match(res.body.error.message, '/colour');
});

it('an answer lists at most 20 problems and says how many more there were', async ({ server }) => {
  const extra = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`extra_${i}`, i]));
  const res = await server.post('/v1/admin/experiments', { ...experiment, key: 'many', ...extra }, admin);
  assert.is(res.status, 400);
  assert.is(res.body.error.details.length, 20);
  assert.match(res.body.error.message, '25 problems');
  assert.match(res.body.error.message, '…and 5 more');
});

it('PATCH updates weights and status; the key cannot change; unknown key is 404', async ({ server }) => {
  const body = JSON.stringify({
    variants: [
      { key: 'control', weight: 0.2 },
      { key: 'urgency', weight: 0.8 },
    ],
    status: 'stopped',
  });
  const res = await server.send('PATCH', '/v1/admin/experiments/paywall_copy', body, { ...admin, ...json });
  assert.is(res.status, 200);
  assert.is(res.body.status, 'stopped');
  assert.is(res.body.variants[1].weight, 0.8);
  const rename = await server.send('PATCH', '/v1/admin/experiments/paywall_copy', '{"key":"x"}', { ...admin, ...json });
  assert.is(rename.status, 400);
  assert.is(rename.body.error.details[0].field, '/key');
  const bad = await server.send(
    'PATCH',
    '/v1/admin/experiments/paywall_copy',
    '{"variants":[{"key":"a","weight":0.9},{"key":"b","weight":0.9}]}',
    { ...admin, ...json },
  );
  assert.is(bad.status, 400);
  const missing = await server.send('PATCH', '/v1/admin/experiments/ghost', '{"status":"running"}', {
    ...admin,
    ...json,
  });
  assert.is(missing.status, 404);
  assert.is((await server.get('/v1/admin/experiments/ghost', admin)).status, 404);
});

it('funnels: create, conflict, validation, get, patch', async ({ server }) => {
  const funnel = {
    name: 'core_journey',
    steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
    conversion_window_hours: 72,
  };
  const res = await server.post('/v1/admin/funnels', funnel, admin);
  assert.is(res.status, 201);
  assert.equal(res.body.steps, funnel.steps);
  assert.is((await server.post('/v1/admin/funnels', funnel, admin)).status, 409);
  const oneStep = await server.post('/v1/admin/funnels', { name: 'short', steps: ['a'] }, admin);
  assert.is(oneStep.status, 400);
  assert.is(oneStep.body.error.details[0].field, '/steps');
  const zeroWindow = await server.post(
    '/v1/admin/funnels',
    { name: 'zero', steps: ['a', 'b'], conversion_window_hours: 0 },
    admin,
  );
  assert.is(zeroWindow.body.error.details[0].field, '/conversion_window_hours');
  const defaults = await server.post('/v1/admin/funnels', { name: 'defaults', steps: ['a', 'b'] }, admin);
  assert.is(defaults.body.conversion_window_hours, 24);
  const patched = await server.send('PATCH', '/v1/admin/funnels/core_journey', '{"conversion_window_hours":48}', {
    ...admin,
    ...json,
  });
  assert.is(patched.body.conversion_window_hours, 48);
  const list = await server.get('/v1/admin/funnels', admin);
  assert.equal(
    list.body.funnels.map((f: { name: string }) => f.name),
    ['core_journey', 'defaults'],
  );
  assert.is((await server.get('/v1/admin/funnels/nope', admin)).status, 404);
});

it('a name, seed or step PostgreSQL cannot store is refused naming the field, so what is stored is what was sent', async ({
  server,
}) => {
  const lone = '🐱'.slice(0, 1);
  const variants = [
    { key: 'a', weight: 0.5 },
    { key: 'b', weight: 0.5 },
  ];
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/v1/admin/experiments', { key: 'lone_name', name: `x${lone}`, variants }, '/name'],
    ['POST', '/v1/admin/experiments', { key: 'lone_seed', seed: `s${lone}`, variants }, '/seed'],
    ['PATCH', '/v1/admin/experiments/paywall_copy', { name: `${lone} ` }, '/name'],
    ['POST', '/v1/admin/funnels', { name: 'lone_steps', steps: ['open', `buy${lone}`] }, '/steps/1'],
    ['PATCH', '/v1/admin/funnels/core_journey', { steps: ['a\u0000', 'b'] }, '/steps/0'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await server.send(method, path, JSON.stringify(body), { ...admin, ...json });
    assert.is(res.status, 400, `${method} ${path}`);
    assert.is(res.body.error.code, 'invalid_definition');
    assert.is(res.body.error.details[0].field, field);
  }
  assert.is(await server.db.storage.experiments.get('lone_name'), null);
  assert.is((await server.db.storage.experiments.get('paywall_copy'))?.name, 'Paywall copy');
});

it.run();
