/**
 * Holdout analysis end to end: holdout rows and events in the database, the experiments rollup, then
 * GET /v1/holdouts/:key/results with the counts and sums of held-out against exposed users, the SRM check against
 * the share, and the endpoint's refusals.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { powerEstimate, type PowerEstimate } from '@ab-calicritters/core';
import { runRollup } from '../src/rollups/run-rollup.js';
import { insertAssignment, insertEvents, insertHoldoutAssignment, type TestEvent } from './helpers/seed-rows.js';
import { admin, createExperiment, DASHBOARD_TOKEN, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('holdout results');
const dashboard = { 'x-dashboard-token': DASHBOARD_TOKEN };
const NOW = new Date();
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();

it.before(async (ctx) => {
  ctx.server = await startTestServer({ now: () => NOW });
  const { server } = ctx;
  const variants = [
    { key: 'control', weight: 0.5 },
    { key: 'urgency', weight: 0.5 },
  ];
  await createExperiment(server, { key: 'paywall', variants });
  const funnel = await server.post('/v1/admin/funnels', { name: 'buy', steps: ['open', 'purchase'] }, admin);
  assert.is(funnel.status, 201);
  const holdout = await server.post('/v1/admin/holdouts', { key: 'h1', share: 0.25, all_experiments: true }, admin);
  assert.is(holdout.status, 201);
  const { storage } = server.db;
  // Three held-out users, five exposed ones (two of them bucketed in paywall), all met the holdout 10 hours ago.
  const held = ['h-a', 'h-b', 'h-c'];
  const exposed = ['e-a', 'e-b', 'e-c', 'e-d', 'e-e'];
  for (const user of held) await insertHoldoutAssignment(storage, 'h1', user, 'holdout', at(10));
  for (const user of exposed) await insertHoldoutAssignment(storage, 'h1', user, 'exposed', at(10));
  await insertAssignment(storage, 'paywall', 'e-a', 'urgency', at(10));
  await insertAssignment(storage, 'paywall', 'e-b', 'control', at(10));
  const events: TestEvent[] = [
    { user_id: 'h-a', name: 'purchase', at: at(5), value: 4 },
    { user_id: 'h-a', name: 'purchase', at: at(4), value: 1 },
    // Before the user met the holdout: not counted.
    { user_id: 'h-b', name: 'purchase', at: at(12), value: 50 },
    { user_id: 'e-a', name: 'purchase', at: at(3), value: 10 },
    { user_id: 'e-b', name: 'purchase', at: at(3), value: 2 },
    { user_id: 'e-c', name: 'purchase', at: at(2) },
    { user_id: 'e-c', name: 'open', at: at(2) },
    // Nobody's row: no arm.
    { user_id: 'stranger', name: 'purchase', at: at(2), value: 99 },
  ];
  await insertEvents(storage, events);
  await runRollup(storage, 'experiments', { windowDays: 7, now: NOW });
});
it.after(async (ctx) => ctx.server.close());

interface Totals {
  variant: string;
  assigned_users: number;
  converted_users: number;
  value_sum: number;
}

it('held-out users are the control, exposed users the treatment, with their counts and sums', async ({ server }) => {
  const res = await server.get('/v1/holdouts/h1/results?window_days=7', dashboard);
  assert.is(res.status, 200, JSON.stringify(res.body));
  const body = res.body;
  assert.equal(body.holdout, {
    key: 'h1',
    name: null,
    status: 'active',
    share: 0.25,
    experiment_keys: [],
    all_experiments: true,
  });
  assert.is(body.control, 'holdout');
  assert.is(body.window_days, 7);
  assert.ok(body.computed_at);
  assert.equal(body.assignments, [
    { variant: 'holdout', assigned_users: 3, expected_share: 0.25 },
    { variant: 'exposed', assigned_users: 5, expected_share: 0.75 },
  ]);
  assert.is(body.sample_ratio.srm, false);
  assert.equal(
    body.metrics.map((m: { metric: string }) => m.metric),
    ['open', 'purchase'],
  );
  const purchase = body.metrics.find((m: { metric: string }) => m.metric === 'purchase');
  const totals = purchase.totals.map(({ variant, assigned_users, converted_users, value_sum }: Totals) => ({
    variant,
    assigned_users,
    converted_users,
    value_sum,
  }));
  assert.equal(totals, [
    { variant: 'holdout', assigned_users: 3, converted_users: 1, value_sum: 5 },
    { variant: 'exposed', assigned_users: 5, converted_users: 3, value_sum: 13 },
  ]);
  assert.equal(purchase.conversion.variant_keys, ['exposed']);
  assert.is(purchase.mean.variants.length, 1);
});

it("the experiments' own results are unchanged by the holdout's rows", async ({ server }) => {
  const res = await server.get('/v1/metrics/experiments?experiment_key=paywall&window_days=7', dashboard);
  assert.is(res.status, 200);
  assert.equal(
    res.body.assignments.map((a: { assigned_users: number }) => a.assigned_users),
    [1, 1],
  );
  const list = await server.get('/v1/metrics/experiments?window_days=7', dashboard);
  assert.equal(
    list.body.experiments.map((e: { key: string }) => e.key),
    ['paywall'],
  );
});

it('every comparison has its power, with the method and target of the request, as for experiments', async ({
  server,
}) => {
  const purchaseOf = (body: { metrics: Array<{ metric: string }> }) =>
    body.metrics.find((m) => m.metric === 'purchase') as unknown as {
      totals: Totals[];
      power: { conversion: PowerEstimate[]; mean: PowerEstimate[] };
    };
  const plain = await server.get('/v1/holdouts/h1/results?window_days=7', dashboard);
  assert.is(plain.body.method, 'sequential');
  assert.equal(plain.body.analysis, { method: 'sequential', alpha: 0.05, sequential_tuning: 5000, source: 'default' });
  const purchase = purchaseOf(plain.body);
  const [held, exposed] = purchase.totals;
  const input = {
    kind: 'proportion',
    control: { n: held!.assigned_users, sum: held!.converted_users },
    treatment: { n: exposed!.assigned_users, sum: exposed!.converted_users },
  } as const;
  const [conversion] = purchase.power.conversion;
  assert.is(purchase.power.mean.length, 1);
  assert.is(conversion!.method, 'sequential');
  assert.is(conversion!.mde_relative, powerEstimate(input, { method: 'sequential' }).mde_relative);
  assert.is(conversion!.target_source, 'observed');

  const planned = await server.get('/v1/holdouts/h1/results?window_days=7&method=fixed&target_effect=0.2', dashboard);
  assert.is(planned.status, 200, JSON.stringify(planned.body));
  assert.is(planned.body.analysis.source, 'request');
  assert.is(planned.body.analysis.method, 'fixed');
  const fixed = purchaseOf(planned.body).power.conversion[0]!;
  assert.equal([fixed.method, fixed.target_effect, fixed.target_source], ['fixed', 0.2, 'stated']);
  assert.is(fixed.mde_relative, powerEstimate(input, { method: 'fixed' }).mde_relative);
  assert.ok(fixed.mde_relative! < conversion!.mde_relative!, 'the fixed-horizon test detects smaller effects');
});

it('the sample-ratio check is against the share', async ({ server }) => {
  // The same 3 : 5 split against a share of 0.9 is a mismatch once there are enough users; here, a clear one.
  const { storage } = server.db;
  for (let i = 0; i < 200; i++) await insertHoldoutAssignment(storage, 'h1', `more-${i}`, 'exposed', at(1));
  await runRollup(storage, 'experiments', { windowDays: 7, now: NOW });
  const res = await server.get('/v1/holdouts/h1/results?window_days=7', dashboard);
  assert.equal(
    res.body.assignments.map((a: { assigned_users: number }) => a.assigned_users),
    [3, 205],
  );
  assert.is(res.body.sample_ratio.srm, true, 'about 1 % held out where 25 % were expected');
});

it('an unknown holdout is 404, a bad window, method or target 400 naming the field, no token 401', async ({
  server,
}) => {
  const missing = await server.get('/v1/holdouts/nope/results', dashboard);
  assert.is(missing.status, 404);
  for (const [query, field] of <Array<[string, string]>>[
    ['window_days=0', 'window_days'],
    ['window_days=x', 'window_days'],
    ['method=bayes', 'method'],
    ['target_effect=0', 'target_effect'],
    ['target_effect=x', 'target_effect'],
    ['target_effect=101', 'target_effect'],
  ]) {
    const res = await server.get(`/v1/holdouts/h1/results?${query}`, dashboard);
    assert.is(res.status, 400, query);
    assert.ok(JSON.stringify(res.body.error).includes(field), `${query}: ${JSON.stringify(res.body)}`);
  }
  assert.is((await server.get('/v1/holdouts/h1/results')).status, 401);
  assert.is((await server.get('/v1/holdouts/h1/results', admin)).status, 401);
});

it('a holdout not rolled up yet answers empty arms and computed_at null until the job runs', async ({ server }) => {
  const made = await server.post('/v1/admin/holdouts', { key: 'fresh', share: 0.1, all_experiments: true }, admin);
  assert.is(made.status, 201);
  const res = await server.get('/v1/holdouts/fresh/results?window_days=3', dashboard);
  assert.is(res.status, 200);
  assert.is(res.body.computed_at, null);
  assert.equal(
    res.body.assignments.map((a: { assigned_users: number }) => a.assigned_users),
    [0, 0],
  );
  assert.equal(res.body.metrics, []);
});

it.run();
