/**
 * The analysis method stored per experiment: set through the admin API (validated, audited), and the results
 * endpoint's default unless a request names `method`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { frequentistTest } from '@ab-calicritters/core';
import { runRollup } from '../src/rollups/run-rollup.js';
import { insertAssignment, insertEvents, type TestEvent } from './helpers/seed-rows.js';
import { admin, DASHBOARD_TOKEN, startTestServer, type TestServer } from './helpers/test-server.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const it = suite<{ server: TestServer }>('experiment analysis method');
const json = { 'content-type': 'application/json', ...admin };
const dashboard = { 'x-dashboard-token': DASHBOARD_TOKEN };
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'treat', weight: 0.5 },
];

const send = (server: TestServer, method: string, path: string, body?: unknown) =>
  server.send(method, path, body === undefined ? undefined : JSON.stringify(body), json);

const fieldsOf = (body: { error: { details: Array<{ field: string }> } }) => body.error.details.map((d) => d.field);

it.before(async (ctx) => {
  ctx.server = await startTestServer({ now: () => NOW });
  const { storage } = ctx.server.db;
  // Funnel steps are the metrics of the experiments rollup.
  await storage.funnels.create({ name: 'buy', steps: ['app_open', 'purchase'], conversion_window_hours: 48 });
  await storage.experiments.create({ key: 'stored', status: 'running', variants });
  const events: TestEvent[] = [];
  // 300 users per arm; control converts 20 %, treat 26 %.
  for (let i = 0; i < 600; i++) {
    const user = `u${i}`;
    const arm = i % 2 === 0 ? 'control' : 'treat';
    await insertAssignment(storage, 'stored', user, arm, '2026-03-08T00:00:00Z');
    const converts = arm === 'control' ? i % 10 === 0 : i % 50 < 13 && i % 2 === 1;
    if (converts) events.push({ user_id: user, name: 'purchase', at: '2026-03-08T12:00:00Z' });
  }
  await insertEvents(storage, events);
  await runRollup(storage, 'experiments', { windowDays: 7, now: NOW });
});
it.after(async (ctx) => ctx.server.close());

it('a new experiment is analysed sequentially unless its definition says otherwise', async ({ server }) => {
  const plain = await send(server, 'POST', '/v1/admin/experiments', { key: 'plain', variants });
  assert.is(plain.status, 201);
  assert.equal(plain.body.analysis, { method: 'sequential' });
  const fixed = await send(server, 'POST', '/v1/admin/experiments', {
    key: 'planned',
    variants,
    analysis: { method: 'fixed', alpha: 0.01 },
  });
  assert.is(fixed.status, 201, JSON.stringify(fixed.body));
  assert.equal(fixed.body.analysis, { method: 'fixed', alpha: 0.01 });
  assert.equal((await server.get('/v1/admin/experiments/planned', admin)).body.analysis, fixed.body.analysis);
});

it('bad analysis values are a 400 naming the field', async ({ server }) => {
  const cases: Array<[unknown, string]> = [
    [{ method: 'bayes' }, '/analysis/method'],
    [{ method: 'fixed', alpha: 0 }, '/analysis/alpha'],
    [{ method: 'fixed', alpha: 0.9 }, '/analysis/alpha'],
    [{ method: 'sequential', sequential_tuning: 0 }, '/analysis/sequential_tuning'],
    [{ method: 'sequential', sequential_tuning: 12.5 }, '/analysis/sequential_tuning'],
    [{ alpha: 0.05 }, '/analysis'],
    [{ method: 'fixed', prior: 1 }, '/analysis'],
    ['fixed', '/analysis'],
  ];
  for (const [analysis, field] of cases) {
    const created = await send(server, 'POST', '/v1/admin/experiments', { key: 'bad', variants, analysis });
    assert.is(created.status, 400, JSON.stringify(analysis));
    assert.ok(
      fieldsOf(created.body).some((f) => f.startsWith(field)),
      `${fieldsOf(created.body)} for ${field}`,
    );
    const patched = await send(server, 'PATCH', '/v1/admin/experiments/plain', { analysis });
    assert.is(patched.status, 400, JSON.stringify(analysis));
    assert.ok(
      fieldsOf(patched.body).some((f) => f.startsWith(field)),
      `${fieldsOf(patched.body)} for ${field}`,
    );
  }
  assert.is((await server.get('/v1/admin/experiments/bad', admin)).status, 404);
});

it('the results use the stored method unless the request names one, and say which', async ({ server }) => {
  const results = (query = '') =>
    server.get(`/v1/metrics/experiments?window_days=7&experiment_key=stored${query}`, dashboard);
  const purchaseOf = (body: any) => body.metrics.find((m: { metric: string }) => m.metric === 'purchase');
  const before = await results();
  assert.is(before.body.method, 'sequential');
  assert.equal(before.body.analysis, {
    method: 'sequential',
    alpha: 0.05,
    sequential_tuning: 5000,
    source: 'experiment',
    prior: 'flat',
  });

  const patched = await send(server, 'PATCH', '/v1/admin/experiments/stored', {
    analysis: { method: 'fixed', alpha: 0.1 },
  });
  assert.is(patched.status, 200, JSON.stringify(patched.body));
  const after = await results();
  assert.is(after.body.method, 'fixed');
  assert.equal(after.body.analysis, {
    method: 'fixed',
    alpha: 0.1,
    sequential_tuning: 5000,
    source: 'experiment',
    prior: 'flat',
  });
  const purchase = purchaseOf(after.body);
  assert.is(purchase.conversion.method, 'fixed');
  const arms = purchase.totals.map((t: { assigned_users: number; converted_users: number }) => ({
    n: t.assigned_users,
    sum: t.converted_users,
  }));
  const expected = frequentistTest({ kind: 'proportion', control: arms[0], treatment: arms[1] }, { alpha: 0.1 });
  // The stored alpha sets the lift's interval (90 % here) and the power's significance level.
  assert.ok(Math.abs(purchase.conversion.variants[0].lift_ci_lower - expected.ci![0]) < 1e-12);
  assert.is(purchase.power.conversion[0].method, 'fixed');

  const overridden = await results('&method=sequential');
  assert.is(overridden.body.method, 'sequential');
  assert.is(overridden.body.analysis.source, 'request');
  assert.is(purchaseOf(overridden.body).conversion.method, 'sequential');

  const tuned = await send(server, 'PATCH', '/v1/admin/experiments/stored', {
    analysis: { method: 'sequential', sequential_tuning: 600 },
  });
  assert.equal(tuned.body.analysis, { method: 'sequential', sequential_tuning: 600 });
  const tunedResults = await results();
  assert.is(tunedResults.body.analysis.sequential_tuning, 600);
  const sequential = frequentistTest(
    { kind: 'proportion', control: arms[0], treatment: arms[1] },
    { method: 'sequential', sequential_tuning: 600 },
  );
  assert.ok(Math.abs(purchaseOf(tunedResults.body).conversion.variants[0].p_value - sequential.p_value!) < 1e-12);
});

it('a change of the analysis is audited with its diff', async ({ server }) => {
  await send(server, 'PATCH', '/v1/admin/experiments/plain', { analysis: { method: 'fixed' } });
  const audit = await server.get('/v1/admin/audit?entity_kind=experiment&entity_key=plain', admin);
  const [update] = audit.body.entries;
  assert.is(update.action, 'update');
  assert.equal(update.before.analysis, { method: 'sequential' });
  assert.equal(update.after.analysis, { method: 'fixed' });
  assert.ok(
    update.diff.some((d: { path: string }) => d.path.startsWith('/analysis')),
    JSON.stringify(update.diff),
  );
});

it.run();
