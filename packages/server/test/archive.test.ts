/**
 * Archiving through `DELETE /v1/admin/experiments/:key` and `DELETE /v1/admin/funnels/:name`: nothing is deleted,
 * the definition stops assigning (or being rolled up) and leaves the lists unless `include_archived=true`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runRollup } from '../src/rollups/run-rollup.js';
import { insertEvents } from './helpers/seed-rows.js';
import { DASHBOARD_TOKEN, admin, startTestServer, type TestServer } from './helpers/test-server.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const dashboard = { 'x-dashboard-token': DASHBOARD_TOKEN };
const json = { 'content-type': 'application/json' };
const twoVariants = [
  { key: 'control', weight: 0.5 },
  { key: 'treat', weight: 0.5 },
];

const it = suite<{ server: TestServer }>('archiving experiments and funnels');
it.before(async (ctx) => {
  ctx.server = await startTestServer({ now: () => NOW });
  const { storage } = ctx.server.db;
  await storage.experiments.create({ key: 'old_paywall', status: 'running', variants: twoVariants });
  await storage.experiments.create({ key: 'new_paywall', status: 'running', variants: twoVariants });
  await storage.funnels.create({ name: 'old_journey', steps: ['app_open', 'purchase'] });
  await storage.funnels.create({ name: 'new_journey', steps: ['app_open', 'first_catch'] });
});
it.after(async (ctx) => ctx.server.close());

const del = (server: TestServer, path: string, headers: Record<string, string> = admin) =>
  server.send('DELETE', path, undefined, headers);
const patch = (server: TestServer, path: string, body: unknown) =>
  server.send('PATCH', path, JSON.stringify(body), { ...json, ...admin });
const assignmentRows = async (server: TestServer, key: string) =>
  Number(
    (
      await server.sql<{ n: string }>(
        'select count(*) as n from assignments a join experiments e on e.id = a.experiment_id where e.key = ?',
        [key],
      )
    )[0]?.n,
  );

it('archiving needs the admin token, answers 404 for an unknown key and 400 invalid_path for a bad one', async ({
  server,
}) => {
  assert.is((await del(server, '/v1/admin/experiments/old_paywall', {})).status, 401);
  assert.is((await del(server, '/v1/admin/funnels/old_journey', { 'x-admin-token': 'wrong-token!' })).status, 401);
  assert.is((await server.db.storage.experiments.get('old_paywall'))?.status, 'running');
  const missing = await del(server, '/v1/admin/experiments/ghost');
  assert.is(missing.status, 404);
  assert.is(missing.body.error.code, 'not_found');
  assert.is((await del(server, '/v1/admin/funnels/ghost')).status, 404);
  for (const path of ['/v1/admin/experiments/%20bad', '/v1/admin/funnels/%00']) {
    const bad = await del(server, path);
    assert.is(bad.status, 400, path);
    assert.is(bad.body.error.code, 'invalid_path', path);
  }
});

it('an archived experiment assigns nobody new; its sticky rows stay; archiving twice gives the same record', async ({
  server,
}) => {
  const first = await server.post('/v1/assignment', { user_id: 'u-before', experiment_keys: ['old_paywall'] });
  assert.is(first.status, 200);
  const variant = first.body.assignments[0].variant as string;
  assert.ok(['control', 'treat'].includes(variant));
  assert.is(await assignmentRows(server, 'old_paywall'), 1);

  const archived = await del(server, '/v1/admin/experiments/old_paywall');
  assert.is(archived.status, 200);
  assert.is(archived.body.key, 'old_paywall');
  assert.is(archived.body.status, 'archived');
  assert.equal(archived.body.variants, twoVariants);
  const again = await del(server, '/v1/admin/experiments/old_paywall');
  assert.is(again.status, 200);
  assert.equal(again.body, archived.body, 'idempotent: the same record, updated_at included');
  assert.equal((await server.get('/v1/admin/experiments/old_paywall', admin)).body, archived.body);

  for (const userId of ['u-before', 'u-after']) {
    const res = await server.post('/v1/assignment', { user_id: userId, experiment_keys: ['old_paywall'] });
    assert.equal(res.body.assignments, [
      { experiment_key: 'old_paywall', variant: null, reason: 'inactive', value: null, assigned_at: null, new: false },
    ]);
  }
  const all = await server.post('/v1/assignment', { user_id: 'u-after' });
  assert.equal(
    all.body.assignments.map((a: { experiment_key: string }) => a.experiment_key),
    ['new_paywall'],
  );
  assert.is(await assignmentRows(server, 'old_paywall'), 1, 'the sticky row is kept, no new one is written');
});

it('the experiment lists leave archived ones out unless include_archived=true', async ({ server }) => {
  const keys = (body: { experiments: Array<{ key: string }> }) => body.experiments.map((e) => e.key);
  assert.equal(keys((await server.get('/v1/admin/experiments', admin)).body), ['new_paywall']);
  assert.equal(keys((await server.get('/v1/admin/experiments?include_archived=false', admin)).body), ['new_paywall']);
  assert.equal(keys((await server.get('/v1/admin/experiments?include_archived=true', admin)).body), [
    'old_paywall',
    'new_paywall',
  ]);
  assert.equal(keys((await server.get('/v1/metrics/experiments', dashboard)).body), ['new_paywall']);
  const withArchived = await server.get('/v1/metrics/experiments?include_archived=true', dashboard);
  assert.equal(keys(withArchived.body), ['old_paywall', 'new_paywall']);
  assert.is(withArchived.body.experiments[0].status, 'archived');
  const results = await server.get('/v1/metrics/experiments?experiment_key=old_paywall', dashboard);
  assert.is(results.status, 200, 'the results of an archived experiment stay readable by key');
  const bad = await server.get('/v1/admin/experiments?include_archived=yes', admin);
  assert.is(bad.status, 400);
  assert.is(bad.body.error.code, 'invalid_query');
  assert.is(bad.body.error.details[0].field, 'include_archived');
});

it('PATCH refuses to change an archived experiment (409) and refuses status archived (400: use DELETE)', async ({
  server,
}) => {
  const before = (await server.get('/v1/admin/experiments/old_paywall', admin)).body;
  for (const body of [{ status: 'running' }, { name: 'revived' }, { coverage: 0.5 }]) {
    const res = await patch(server, '/v1/admin/experiments/old_paywall', body);
    assert.is(res.status, 409, JSON.stringify(body));
    assert.is(res.body.error.code, 'conflict');
    assert.match(res.body.error.message, /'old_paywall' is archived and cannot be changed/);
  }
  assert.equal((await server.get('/v1/admin/experiments/old_paywall', admin)).body, before);

  const viaPatch = await patch(server, '/v1/admin/experiments/new_paywall', { status: 'archived' });
  assert.is(viaPatch.status, 400);
  assert.is(viaPatch.body.error.code, 'invalid_definition');
  assert.is(viaPatch.body.error.details[0].field, '/status');
  assert.match(viaPatch.body.error.details[0].message, /DELETE \/v1\/admin\/experiments\/:key/);
  const viaPost = await server.post(
    '/v1/admin/experiments',
    { key: 'born_archived', status: 'archived', variants: twoVariants },
    admin,
  );
  assert.is(viaPost.status, 400);
  assert.is(viaPost.body.error.details[0].field, '/status');
  assert.is((await server.get('/v1/admin/experiments/new_paywall', admin)).body.status, 'running');
  const taken = await server.post('/v1/admin/experiments', { key: 'old_paywall', variants: twoVariants }, admin);
  assert.is(taken.status, 409, 'the key of an archived experiment stays taken');
});

it('funnels: archive (200, archived_at), twice the same, left out of the lists, PATCH 409', async ({ server }) => {
  const active = await server.get('/v1/admin/funnels/old_journey', admin);
  assert.is(active.body.archived_at, null);
  const archived = await del(server, '/v1/admin/funnels/old_journey');
  assert.is(archived.status, 200);
  assert.is(archived.body.name, 'old_journey');
  assert.type(archived.body.archived_at, 'string');
  assert.ok(!Number.isNaN(Date.parse(archived.body.archived_at)));
  const again = await del(server, '/v1/admin/funnels/old_journey');
  assert.is(again.status, 200);
  assert.equal(again.body, archived.body);
  assert.equal((await server.get('/v1/admin/funnels/old_journey', admin)).body, archived.body);

  const names = (body: { funnels: Array<{ name?: string; funnel?: { name: string } }> }) =>
    body.funnels.map((f) => f.name ?? f.funnel?.name);
  assert.equal(names((await server.get('/v1/admin/funnels', admin)).body), ['new_journey']);
  assert.equal(names((await server.get('/v1/admin/funnels?include_archived=true', admin)).body), [
    'new_journey',
    'old_journey',
  ]);
  assert.equal(names((await server.get('/v1/metrics/funnels', dashboard)).body), ['new_journey']);
  assert.equal(names((await server.get('/v1/metrics/funnels?include_archived=true', dashboard)).body), [
    'new_journey',
    'old_journey',
  ]);
  assert.is((await server.get('/v1/metrics/funnels?funnel_name=old_journey', dashboard)).status, 200);

  const res = await patch(server, '/v1/admin/funnels/old_journey', { conversion_window_hours: 48 });
  assert.is(res.status, 409);
  assert.is(res.body.error.code, 'conflict');
  assert.match(res.body.error.message, /funnel 'old_journey' is archived/);
  assert.is((await server.get('/v1/admin/funnels/old_journey', admin)).body.conversion_window_hours, 24);
});

it('the funnel rollup leaves an archived funnel out and keeps the rows it had', async ({ server }) => {
  const { storage } = server.db;
  await storage.funnels.create({ name: 'kept_journey', steps: ['app_open', 'purchase'] });
  await insertEvents(storage, [
    { user_id: 'f1', name: 'app_open', at: '2026-03-09T10:00:00Z' },
    { user_id: 'f1', name: 'purchase', at: '2026-03-09T11:00:00Z' },
  ]);
  await runRollup(storage, 'funnels', { windowDays: 7, now: NOW });
  const users = async (name: string) =>
    (await server.get(`/v1/metrics/funnels?funnel_name=${name}`, dashboard)).body.steps.map(
      (s: { users: number }) => s.users,
    );
  assert.equal(await users('kept_journey'), [1, 1]);
  assert.equal(await users('old_journey'), [0, 0], 'archived before this rollup: not computed');

  assert.is((await del(server, '/v1/admin/funnels/kept_journey')).status, 200);
  await insertEvents(storage, [
    { user_id: 'f2', name: 'app_open', at: '2026-03-09T12:00:00Z' },
    { user_id: 'f2', name: 'purchase', at: '2026-03-09T13:00:00Z' },
  ]);
  await runRollup(storage, 'funnels', { windowDays: 7, now: NOW });
  assert.equal(await users('kept_journey'), [1, 1], 'its rows are kept as they were when it was archived');
  assert.equal(await users('new_journey'), [2, 0], 'active funnels are recomputed');
});

it.run();
