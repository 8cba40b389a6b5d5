import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('metric catalog');
const json = { 'content-type': 'application/json', ...admin };
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'beta', weight: 0.5 },
];

it.before(async (ctx) => {
  ctx.server = await startTestServer();
});
it.after(async (ctx) => ctx.server.close());

const send = (server: TestServer, method: string, path: string, body?: unknown) =>
  server.send(method, path, body === undefined ? undefined : JSON.stringify(body), json);

const fieldsOf = (body: { error: { details: Array<{ field: string }> } }) => body.error.details.map((d) => d.field);

it('create (201, Location) with defaults filled in, get, list, replace, archive; duplicates 409, unknown 404', async ({
  server,
}) => {
  const res = await send(server, 'POST', '/v1/admin/metrics', {
    key: 'revenue',
    name: 'Revenue',
    kind: 'sum',
    event: 'purchase',
    capping: { type: 'percentile', value: 0.99 },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.headers.get('location'), '/v1/admin/metrics/revenue');
  const { created_at, updated_at, ...rest } = res.body;
  assert.ok(created_at && updated_at);
  assert.equal(rest, {
    key: 'revenue',
    name: 'Revenue',
    description: null,
    kind: 'sum',
    event: 'purchase',
    filter: null,
    property: 'value',
    numerator: null,
    denominator: null,
    window_hours: null,
    capping: { type: 'percentile', value: 0.99 },
    direction: 'higher',
    cuped_lookback_days: 14,
    status: 'active',
    archived_at: null,
  });
  assert.is(
    (await send(server, 'POST', '/v1/admin/metrics', { key: 'revenue', kind: 'count', event: 'x' })).status,
    409,
  );
  assert.equal((await server.get('/v1/admin/metrics/revenue', admin)).body, res.body);

  const replaced = await send(server, 'PUT', '/v1/admin/metrics/revenue', {
    kind: 'sum',
    event: 'purchase',
    property: 'amount',
    window_hours: 72,
  });
  assert.is(replaced.status, 200, JSON.stringify(replaced.body));
  assert.equal(
    [replaced.body.property, replaced.body.window_hours, replaced.body.capping, replaced.body.name],
    ['amount', 72, null, null],
  );
  const pro = await send(server, 'POST', '/v1/admin/metrics', {
    key: 'pro_signup',
    kind: 'conversion',
    event: 'signup',
    filter: { property: 'plan', equals: 'pro' },
  });
  assert.is(pro.status, 201, JSON.stringify(pro.body));
  assert.equal(pro.body.filter, { property: 'plan', equals: 'pro' });

  const list = await server.get('/v1/admin/metrics', admin);
  assert.equal(
    list.body.metrics.map((m: { key: string }) => m.key),
    ['pro_signup', 'revenue'],
  );
  const archived = await send(server, 'DELETE', '/v1/admin/metrics/pro_signup');
  assert.is(archived.status, 200);
  assert.is(archived.body.status, 'archived');
  assert.is((await send(server, 'DELETE', '/v1/admin/metrics/pro_signup')).body.archived_at, archived.body.archived_at);
  assert.equal(
    (await server.get('/v1/admin/metrics', admin)).body.metrics.map((m: { key: string }) => m.key),
    ['revenue'],
  );
  assert.is((await server.get('/v1/admin/metrics?include_archived=true', admin)).body.metrics.length, 2);
  const again = await send(server, 'PUT', '/v1/admin/metrics/pro_signup', { kind: 'count', event: 'signup' });
  assert.is(again.status, 409, 'an archived metric no longer changes');

  assert.is((await server.get('/v1/admin/metrics/nope', admin)).status, 404);
  assert.is((await send(server, 'PUT', '/v1/admin/metrics/nope', { kind: 'count', event: 'x' })).status, 404);
  assert.is((await send(server, 'DELETE', '/v1/admin/metrics/nope')).status, 404);
  assert.is((await server.get('/v1/admin/metrics')).status, 401);
});

it('a ratio names active count or sum metrics; a metric a ratio uses stays a count or sum', async ({ server }) => {
  await send(server, 'POST', '/v1/admin/metrics', { key: 'sessions', kind: 'count', event: 'session_start' });
  await send(server, 'POST', '/v1/admin/metrics', { key: 'orders', kind: 'sum', event: 'order' });
  await send(server, 'POST', '/v1/admin/metrics', { key: 'converted', kind: 'conversion', event: 'order' });
  const ratio = await send(server, 'POST', '/v1/admin/metrics', {
    key: 'orders_per_session',
    kind: 'ratio',
    numerator: 'orders',
    denominator: 'sessions',
  });
  assert.is(ratio.status, 201, JSON.stringify(ratio.body));
  assert.equal([ratio.body.event, ratio.body.cuped_lookback_days], [null, 0]);

  const bad = await send(server, 'POST', '/v1/admin/metrics', {
    key: 'r2',
    kind: 'ratio',
    numerator: 'converted',
    denominator: 'missing',
  });
  assert.is(bad.status, 400);
  assert.equal(fieldsOf(bad.body), ['/numerator', '/denominator']);

  const change = await send(server, 'PUT', '/v1/admin/metrics/sessions', {
    kind: 'conversion',
    event: 'session_start',
  });
  assert.is(change.status, 409, JSON.stringify(change.body));
  assert.match(change.body.error.message, /orders_per_session/);
});

it('bad metrics get 400 naming the field', async ({ server }) => {
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count' }, '/event'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'mean', event: 'e' }, '/kind'],
    ['POST', '/v1/admin/metrics', { key: 'm', event: 'e' }, '/kind'],
    ['POST', '/v1/admin/metrics', { key: 'bad key', kind: 'count', event: 'e' }, '/key'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count', event: 'e', extra: 1 }, '/extra'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count', event: 'e', property: 'value' }, '/property'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count', event: 'e', window_hours: 0 }, '/window_hours'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count', event: 'e', window_hours: 1.5 }, '/window_hours'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count', event: 'e', direction: 'up' }, '/direction'],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'count', event: 'e', cuped_lookback_days: 91 },
      '/cuped_lookback_days',
    ],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'count', event: 'e', filter: { property: 'plan' } },
      '/filter/equals',
    ],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'count', event: 'e', filter: { property: 'plan', equals: ['pro'] } },
      '/filter/equals',
    ],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'sum', event: 'e', capping: { type: 'percentile', value: 99 } },
      '/capping/value',
    ],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'sum', event: 'e', capping: { type: 'top', value: 9 } },
      '/capping/type',
    ],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'conversion', event: 'e', capping: { type: 'absolute', value: 1 } },
      '/capping',
    ],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'ratio', numerator: 'revenue' }, '/denominator'],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'ratio', numerator: 'a', denominator: 'a' }, '/denominator'],
    [
      'POST',
      '/v1/admin/metrics',
      { key: 'm', kind: 'ratio', numerator: 'orders', denominator: 'sessions', event: 'e' },
      '/event',
    ],
    ['POST', '/v1/admin/metrics', { key: 'm', kind: 'count', event: 'a\u0000b' }, '/event'],
    ['PUT', '/v1/admin/metrics/revenue', { key: 'other', kind: 'count', event: 'e' }, '/key'],
    ['PUT', '/v1/admin/metrics/revenue', { kind: 'count' }, '/event'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await send(server, method, path, body);
    assert.is(res.status, 400, `${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.ok(
      fieldsOf(res.body).includes(field),
      `${JSON.stringify(body).slice(0, 80)} names ${field}: ${JSON.stringify(fieldsOf(res.body))}`,
    );
  }
});

it('experiments name catalog metrics with a role: each must exist, be active and appear once', async ({ server }) => {
  await send(server, 'POST', '/v1/admin/metrics', { key: 'latency', kind: 'sum', event: 'page', direction: 'lower' });
  const created = await send(server, 'POST', '/v1/admin/experiments', {
    key: 'checkout',
    variants,
    metrics: [
      { key: 'revenue', role: 'goal' },
      { key: 'latency', role: 'guardrail' },
    ],
  });
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.metrics, [
    { key: 'revenue', role: 'goal' },
    { key: 'latency', role: 'guardrail' },
  ]);
  const plain = await send(server, 'POST', '/v1/admin/experiments', { key: 'plain', variants });
  assert.equal(plain.body.metrics, []);

  const cases: Array<[string, string, unknown, string]> = [
    [
      'POST',
      '/v1/admin/experiments',
      { key: 'e1', variants, metrics: [{ key: 'nope', role: 'goal' }] },
      '/metrics/0/key',
    ],
    [
      'POST',
      '/v1/admin/experiments',
      { key: 'e1', variants, metrics: [{ key: 'revenue', role: 'primary' }] },
      '/metrics/0/role',
    ],
    [
      'PATCH',
      '/v1/admin/experiments/checkout',
      {
        metrics: [
          { key: 'revenue', role: 'goal' },
          { key: 'revenue', role: 'guardrail' },
        ],
      },
      '/metrics/1/key',
    ],
    ['PATCH', '/v1/admin/experiments/checkout', { metrics: [{ key: 'pro_signup', role: 'goal' }] }, '/metrics/0/key'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await send(server, method, path, body);
    assert.is(res.status, 400, `${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.ok(
      fieldsOf(res.body).includes(field),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body)}`,
    );
  }
  const patched = await send(server, 'PATCH', '/v1/admin/experiments/checkout', {
    metrics: [{ key: 'latency', role: 'goal' }],
  });
  assert.is(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.metrics, [{ key: 'latency', role: 'goal' }]);

  const audit = await server.get('/v1/admin/audit?entity_type=experiment&entity_key=checkout', admin);
  assert.is(audit.status, 200, JSON.stringify(audit.body));
  const update = audit.body.entries.find((e: { action: string }) => e.action === 'update');
  assert.equal(
    update?.after?.metrics,
    [{ key: 'latency', role: 'goal' }],
    'the metrics are audited with the experiment',
  );
  const metricAudit = await server.get('/v1/admin/audit?entity_type=metric&entity_key=pro_signup', admin);
  const actions = metricAudit.body.entries.map((e: { action: string }) => e.action);
  assert.equal([actions[0], actions.at(-1)], ['archive', 'create'], JSON.stringify(actions));
});

it.run();
