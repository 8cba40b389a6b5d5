/**
 * The admin audit log over HTTP: creates, updates and archives of experiments and funnels are recorded with the
 * actor, the state before and after and their diff; failed changes are not; `GET /v1/admin/audit` pages and filters,
 * and refuses bad query parameters and bad `x-admin-actor` headers with a 400 naming them.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, startTestServer, type TestServer } from './helpers/test-server.js';

const json = { 'content-type': 'application/json' };
const as = (actor: string) => ({ ...admin, 'x-admin-actor': actor });
const twoVariants = [
  { key: 'control', weight: 0.5 },
  { key: 'treat', weight: 0.5 },
];

const it = suite<{ server: TestServer }>('admin audit log');
it.before(async (ctx) => {
  ctx.server = await startTestServer();
});
it.after(async (ctx) => ctx.server.close());

const send = (
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = as('ana'),
) => server.send(method, path, body === undefined ? undefined : JSON.stringify(body), { ...json, ...headers });

async function audit(server: TestServer, query = '') {
  const res = await server.get(`/v1/admin/audit${query}`, admin);
  assert.is(res.status, 200, JSON.stringify(res.body));
  return res.body as { entries: Array<Record<string, any>>; next_before_id: number | null };
}

it('creating, updating and archiving an experiment are logged with actor, before, after and diff', async ({
  server,
}) => {
  const created = await send(server, 'POST', '/v1/admin/experiments', { key: 'paywall', variants: twoVariants });
  assert.is(created.status, 201);
  const updated = await send(
    server,
    'PATCH',
    '/v1/admin/experiments/paywall',
    { coverage: 0.5, status: 'running' },
    {
      ...as('Zo%C3%AB'),
      'x-request-id': 'req-42',
    },
  );
  assert.is(updated.status, 200);
  assert.is((await send(server, 'DELETE', '/v1/admin/experiments/paywall')).status, 200);

  const { entries } = await audit(server, '?entity_kind=experiment&entity_key=paywall');
  assert.equal(
    entries.map((e) => [e.action, e.actor, e.method]),
    [
      ['archive', 'ana', 'DELETE'],
      ['update', 'Zoë', 'PATCH'],
      ['create', 'ana', 'POST'],
    ],
  );
  const [archive, update, create] = entries;
  assert.is(create!.before, null);
  assert.is(create!.after.key, 'paywall');
  assert.is(create!.after.status, 'draft');
  assert.is(create!.path, '/v1/admin/experiments');
  assert.ok(create!.diff.some((d: any) => d.path === '/variants' && d.op === 'added'));
  assert.is(update!.before.coverage, 1);
  assert.is(update!.after.coverage, 0.5);
  assert.is(update!.request_id, 'req-42');
  assert.is(update!.path, '/v1/admin/experiments/paywall');
  const changed = update!.diff.filter((d: any) => d.path !== '/updated_at');
  assert.equal(changed, [
    { path: '/coverage', op: 'changed', before: 1, after: 0.5 },
    { path: '/status', op: 'changed', before: 'draft', after: 'running' },
  ]);
  assert.equal(
    archive!.diff.filter((d: any) => d.path === '/status'),
    [{ path: '/status', op: 'changed', before: 'running', after: 'archived' }],
  );
  assert.match(archive!.at, /^\d{4}-\d{2}-\d{2}T/);
  assert.type(archive!.id, 'number');
});

it('funnel changes are logged; a change without x-admin-actor is recorded as unknown', async ({ server }) => {
  const body = { name: 'journey', steps: ['app_open', 'purchase'] };
  assert.is((await send(server, 'POST', '/v1/admin/funnels', body, admin)).status, 201);
  assert.is(
    (await send(server, 'PATCH', '/v1/admin/funnels/journey', { steps: ['app_open', 'cart', 'purchase'] })).status,
    200,
  );
  assert.is((await send(server, 'DELETE', '/v1/admin/funnels/journey')).status, 200);
  const { entries } = await audit(server, '?entity_kind=funnel');
  assert.equal(
    entries.map((e) => [e.action, e.actor, e.entity_key]),
    [
      ['archive', 'ana', 'journey'],
      ['update', 'ana', 'journey'],
      ['create', 'unknown', 'journey'],
    ],
  );
  assert.equal(
    entries[1]!.diff.filter((d: any) => d.path.startsWith('/steps')),
    [
      { path: '/steps/1', op: 'changed', before: 'purchase', after: 'cart' },
      { path: '/steps/2', op: 'added', after: 'purchase' },
    ],
  );
  assert.is(entries[0]!.before.archived_at, null);
  assert.type(entries[0]!.after.archived_at, 'string');
});

it('QA overrides are logged under their experiment; holdouts with their state before and after', async ({ server }) => {
  assert.is(
    (await send(server, 'POST', '/v1/admin/experiments', { key: 'qa_exp', variants: twoVariants })).status,
    201,
  );
  const path = '/v1/admin/experiments/qa_exp/overrides/qa-phone-1';
  assert.is((await send(server, 'PUT', path, { variant: 'treat' })).status, 201);
  assert.is((await send(server, 'PUT', path, { variant: 'control' })).status, 200);
  assert.is((await send(server, 'DELETE', path)).status, 200);
  const overrides = (await audit(server, '?entity_kind=override&entity_key=qa_exp')).entries;
  assert.equal(
    overrides.map((e) => [e.action, e.path, e.before?.variant ?? null, e.after?.variant ?? null]),
    [
      ['delete', path, 'control', null],
      ['update', path, null, 'control'],
      ['create', path, null, 'treat'],
    ],
  );
  const both = await audit(server, '?entity_kind=experiment,override&entity_key=qa_exp');
  assert.equal(
    both.entries.map((e) => e.entity_kind),
    ['override', 'override', 'override', 'experiment'],
  );

  const created = await send(server, 'POST', '/v1/admin/holdouts', { key: 'h1', share: 0.05, all_experiments: true });
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.is((await send(server, 'PATCH', '/v1/admin/holdouts/h1', { share: 0.1, all_experiments: true })).status, 200);
  assert.is((await send(server, 'DELETE', '/v1/admin/holdouts/h1')).status, 200);
  const holdouts = (await audit(server, '?entity_kind=holdout')).entries;
  assert.equal(
    holdouts.map((e) => [e.action, e.entity_key]),
    [
      ['archive', 'h1'],
      ['update', 'h1'],
      ['create', 'h1'],
    ],
  );
  assert.ok(holdouts[1]!.diff.some((d: any) => d.path === '/share' && d.before === 0.05 && d.after === 0.1));
});

it('failed changes are not logged: invalid bodies, unknown keys, conflicts, archived definitions, refused tokens', async ({
  server,
}) => {
  const before = (await audit(server, '?limit=200')).entries.length;
  const attempts = [
    await send(server, 'POST', '/v1/admin/experiments', { key: 'bad', variants: [] }),
    await send(server, 'POST', '/v1/admin/experiments', { key: 'paywall', variants: twoVariants }),
    await send(server, 'PATCH', '/v1/admin/experiments/ghost', { coverage: 0.2 }),
    await send(server, 'PATCH', '/v1/admin/experiments/paywall', { coverage: 0.2 }),
    await send(server, 'DELETE', '/v1/admin/funnels/ghost'),
    await send(server, 'DELETE', '/v1/admin/experiments/%20bad'),
    await send(server, 'PATCH', '/v1/admin/funnels/journey', { steps: ['a', 'b'] }),
    await send(
      server,
      'POST',
      '/v1/admin/experiments',
      { key: 'x1', variants: twoVariants },
      { 'x-admin-actor': 'eve' },
    ),
  ];
  assert.equal(
    attempts.map((a) => a.status),
    [400, 409, 404, 409, 404, 400, 409, 401],
  );
  assert.is((await audit(server, '?limit=200')).entries.length, before);
});

it('x-admin-actor is checked before anything changes: 400 naming the header', async ({ server }) => {
  const bad = ['%E0%A4', 'a'.repeat(129), '%00', 'tab%09here', '%20%20', '100%', '%ED%A0%BD'];
  for (const actor of bad) {
    const res = await send(server, 'POST', '/v1/admin/experiments', { key: 'never', variants: twoVariants }, as(actor));
    assert.is(res.status, 400, actor);
    assert.is(res.body.error.code, 'invalid_header', actor);
    assert.is(res.body.error.details[0].field, 'x-admin-actor', actor);
  }
  // Raw bytes outside ASCII (here Latin-1 'é') must come percent-encoded.
  const raw = await fetch(`${server.baseUrl}/v1/admin/experiments`, {
    method: 'POST',
    headers: { ...json, ...admin, 'x-admin-actor': 'Jos\u00e9' },
    body: JSON.stringify({ key: 'never', variants: twoVariants }),
  });
  assert.is(raw.status, 400);
  assert.is(await server.db.storage.experiments.get('never'), null);
  const longest = 'é'.repeat(128);
  const ok = await send(
    server,
    'POST',
    '/v1/admin/experiments',
    { key: 'named', variants: twoVariants },
    as(encodeURIComponent(longest)),
  );
  assert.is(ok.status, 201);
  assert.is((await audit(server, '?entity_key=named')).entries[0]!.actor, longest);
});

it('a rollup run and a route without a reader are recorded as actions with the response as after', async ({
  server,
}) => {
  const res = await send(server, 'POST', '/v1/admin/rollups', { job: 'daily', window_days: 1 });
  assert.is(res.status, 202);
  const [entry] = (await audit(server, '?entity_kind=rollup')).entries;
  assert.is(entry!.action, 'run');
  assert.is(entry!.entity_key, null);
  assert.is(entry!.before, null);
  assert.equal(entry!.after.jobs, ['daily']);
});

it('pages newest first with limit and before_id, and filters by actor, kind list, key and time', async ({ server }) => {
  for (let i = 0; i < 5; i++)
    assert.is(
      (await send(server, 'PATCH', '/v1/admin/experiments/named', { coverage: 0.1 * (i + 1) }, as('pager'))).status,
      200,
    );
  const first = await audit(server, '?actor=pager&limit=2');
  assert.is(first.entries.length, 2);
  assert.ok(first.entries[0]!.id > first.entries[1]!.id);
  assert.is(first.next_before_id, first.entries[1]!.id);
  const second = await audit(server, `?actor=pager&limit=2&before_id=${first.next_before_id}`);
  const third = await audit(server, `?actor=pager&limit=2&before_id=${second.next_before_id}`);
  assert.is(third.entries.length, 1);
  assert.is(third.next_before_id, null);
  const ids = [...first.entries, ...second.entries, ...third.entries].map((e) => e.id);
  assert.is(new Set(ids).size, 5);
  assert.equal(
    ids,
    [...ids].sort((a, b) => b - a),
  );

  const kinds = await audit(server, '?entity_kind=funnel,rollup&limit=200');
  assert.equal([...new Set(kinds.entries.map((e) => e.entity_kind))].sort(), ['funnel', 'rollup']);
  const future = await audit(server, '?since=2999-01-01');
  assert.is(future.entries.length, 0);
  const past = await audit(server, '?until=2000-01-01T00:00:00Z');
  assert.is(past.entries.length, 0);
  const now = await audit(server, `?since=2000-01-01&until=2999-01-01T00:00:00%2B02:00&actor=pager`);
  assert.is(now.entries.length, 5);
  assert.is((await audit(server, '?actor=nobody')).entries.length, 0);
});

it('bad query parameters are a 400 naming the parameter', async ({ server }) => {
  const cases: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['before_id=0', 'before_id'],
    ['before_id=-1', 'before_id'],
    ['before_id=1e3', 'before_id'],
    ['before_id=99999999999999999999', 'before_id'],
    ['entity_kind=Experiment', 'entity_kind'],
    ['entity_kind=experiment,,funnel', 'entity_kind'],
    ['entity_key=%00', 'entity_key'],
    [`entity_key=${'k'.repeat(257)}`, 'entity_key'],
    ['actor=%00', 'actor'],
    ['actor=%20', 'actor'],
    [`actor=${'a'.repeat(129)}`, 'actor'],
    ['since=yesterday', 'since'],
    ['since=2026-13-01', 'since'],
    ['until=2026-01-01T10:00', 'until'],
    ['since=2026-02-01&until=2026-01-01', 'until'],
  ];
  for (const [query, field] of cases) {
    const res = await server.get(`/v1/admin/audit?${query}`, admin);
    assert.is(res.status, 400, query);
    assert.is(res.body.error.code, 'invalid_query', query);
    assert.is(res.body.error.details[0].field, field, query);
  }
  assert.is((await server.get('/v1/admin/audit')).status, 401);
});

it('a change whose audit entry cannot be written is applied, logged with the entry, and answered 500 audit_failed', async ({
  server,
}) => {
  await server.sql('alter table admin_audit_log rename to admin_audit_log_away');
  try {
    const res = await send(server, 'PATCH', '/v1/admin/experiments/named', { coverage: 0.75 });
    assert.is(res.status, 500);
    assert.is(res.body.error.code, 'audit_failed');
    assert.match(res.body.error.message, /applied/);
    assert.is((await server.db.storage.experiments.get('named'))?.coverage, 0.75);
    const logged = server.errors.find((e) => (e as { audit_entry?: unknown }).audit_entry) as {
      audit_entry?: { actor: string; after: { coverage: number } };
    };
    assert.is(logged.audit_entry?.actor, 'ana');
    assert.is(logged.audit_entry?.after.coverage, 0.75);
  } finally {
    await server.sql('alter table admin_audit_log_away rename to admin_audit_log');
  }
});

it.run();
