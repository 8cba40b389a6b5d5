import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { frequentistTest, powerEstimate } from '@ab-calicritters/core';
import { runRollup } from '../src/rollups/run-rollup.js';
import { insertAssignment, insertEvents, type TestEvent } from './helpers/seed-rows.js';
import { DASHBOARD_TOKEN, startTestServer, type TestServer } from './helpers/test-server.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const it = suite<{ server: TestServer }>('metrics endpoints (rollup tables)');
const auth = { 'x-dashboard-token': DASHBOARD_TOKEN };

it.before(async (ctx) => {
  ctx.server = await startTestServer({ now: () => NOW });
  const { storage } = ctx.server.db;
  await storage.funnels.create({
    name: 'core_journey',
    steps: ['app_open', 'first_catch', 'purchase'],
    conversion_window_hours: 48,
  });
  await storage.experiments.create({
    key: 'paywall',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'treat', weight: 0.5 },
    ],
  });
  const events: TestEvent[] = [];
  // 400 users per arm; control converts 20 % to purchase, treat 30 %.
  for (let i = 0; i < 800; i++) {
    const user = `u${i}`;
    const arm = i % 2 === 0 ? 'control' : 'treat';
    await insertAssignment(storage, 'paywall', user, arm, '2026-03-08T00:00:00Z');
    events.push({ user_id: user, name: 'app_open', at: '2026-03-08T10:00:00Z' });
    const converts = arm === 'control' ? [0, 2].includes(i % 20) : [1, 3, 5].includes(i % 20);
    if (converts) events.push({ user_id: user, name: 'purchase', at: '2026-03-08T12:00:00Z' });
  }
  await insertEvents(storage, events);
  for (const job of ['daily', 'experiments', 'funnels'] as const)
    await runRollup(storage, job, { windowDays: 7, now: NOW });
});
it.after(async (ctx) => ctx.server.close());

it('every metrics endpoint but the summary needs x-dashboard-token', async ({ server }) => {
  for (const path of ['/v1/metrics/daily', '/v1/metrics/experiments', '/v1/metrics/funnels']) {
    assert.is((await server.get(path)).status, 401, path);
    assert.is((await server.get(path, { 'x-dashboard-token': 'wrong-token!' })).status, 401, path);
  }
  const summary = await server.get('/v1/metrics/summary');
  assert.is(summary.status, 200);
  assert.ok(summary.body.last_rollup_at, 'last rollup time is reported');
});

it('window_days is validated 1..365 and named in the error', async ({ server }) => {
  for (const bad of ['0', '366', 'abc', '7.5', '-1']) {
    const res = await server.get(`/v1/metrics/daily?window_days=${bad}`, auth);
    assert.is(res.status, 400, bad);
    assert.is(res.body.error.details[0].field, 'window_days');
  }
});

it('daily: per-day totals and top events', async ({ server }) => {
  const res = await server.get('/v1/metrics/daily?window_days=7', auth);
  assert.is(res.status, 200);
  const day = res.body.days.find((d: { day: string }) => d.day === '2026-03-08');
  const purchases = res.body.events_by_name.find((r: { event_name: string }) => r.event_name === 'purchase').events;
  assert.equal(day, { day: '2026-03-08', events: 800 + purchases, unique_users: 800 });
  assert.is(res.body.top_events[0].event_name, 'app_open');
});

it('experiments: per-variant conversion with statistics, SRM verdict, 404 for unknown', async ({ server }) => {
  const res = await server.get('/v1/metrics/experiments?window_days=7&experiment_key=paywall', auth);
  assert.is(res.status, 200);
  assert.equal(
    res.body.assignments.map((e: { assigned_users: number }) => e.assigned_users),
    [400, 400],
  );
  assert.is(res.body.sample_ratio.srm, false);
  const purchase = res.body.metrics.find((m: { metric: string }) => m.metric === 'purchase');
  assert.is(purchase.conversion.metric_type, 'conversion');
  assert.is(purchase.conversion.control.estimate, 80 / 400);
  const treat = purchase.conversion.variants[0];
  assert.is(treat.estimate, 120 / 400);
  assert.ok(Math.abs(treat.lift - 0.5) < 1e-9);
  // The lift's test, 80/400 vs 120/400: Var = 0.3·0.7/400/0.2² + 0.3² · 0.2·0.8/400/0.2⁴ = 0.035625.
  assert.ok(Math.abs(treat.statistic - 0.5 / Math.sqrt(0.035625)) < 1e-9, String(treat.statistic));
  assert.ok(treat.chance_to_beat_control > 0.99);
  // Sequential by default (the dashboard reads these again and again); `method=fixed` for one planned look.
  assert.is(purchase.conversion.method, 'sequential');
  const fixed = await server.get('/v1/metrics/experiments?window_days=7&experiment_key=paywall&method=fixed', auth);
  const fixedTreat = fixed.body.metrics.find((m: { metric: string }) => m.metric === 'purchase').conversion.variants[0];
  const expected = frequentistTest({
    kind: 'proportion',
    control: { n: 400, sum: 80 },
    treatment: { n: 400, sum: 120 },
  });
  assert.ok(Math.abs(fixedTreat.p_value - (expected.p_value as number)) < 1e-12, String(fixedTreat.p_value));
  assert.ok(treat.p_value > fixedTreat.p_value, 'the sequential p-value is the larger');
  assert.ok(treat.lift_ci_lower < fixedTreat.lift_ci_lower, 'and its interval the wider');
  const badMethod = await server.get('/v1/metrics/experiments?experiment_key=paywall&method=bayes', auth);
  assert.is(badMethod.status, 400);
  assert.is(badMethod.body.error.details[0].field, 'method');
  assert.is((await server.get('/v1/metrics/experiments?experiment_key=nope', auth)).status, 404);
  const list = await server.get('/v1/metrics/experiments', auth);
  assert.equal(
    list.body.experiments.map((e: { key: string }) => e.key),
    ['paywall'],
  );
  assert.equal(
    list.body.experiments[0].assignments.map((e: { assigned_users: number }) => e.assigned_users),
    [400, 400],
  );
});

it('experiments: each comparison has its power, planned for the observed effect or for target_effect', async ({
  server,
}) => {
  const input = { kind: 'proportion', control: { n: 400, sum: 80 }, treatment: { n: 400, sum: 120 } } as const;
  // 800 users over the window so far: 2026-03-04T00:00 to now, 2026-03-10T12:00, is 6.5 days.
  const usersPerDay = 800 / 6.5;
  const res = await server.get('/v1/metrics/experiments?window_days=7&experiment_key=paywall', auth);
  const purchase = res.body.metrics.find((m: { metric: string }) => m.metric === 'purchase');
  const observed = powerEstimate(input, { method: 'sequential', users_per_day: usersPerDay });
  assert.equal(purchase.power.conversion, [observed]);
  assert.is(observed.target_source, 'observed');
  // The always-valid interval at 800 users (half-width ≈ 0.6) does not yet exclude 0 for a 50 % lift: more days.
  assert.ok(Number.isInteger(observed.days_to_power) && (observed.days_to_power as number) > 0);
  assert.ok((observed.mde_relative as number) > 0.5);
  const stated = await server.get(
    '/v1/metrics/experiments?window_days=7&experiment_key=paywall&method=fixed&target_effect=0.05',
    auth,
  );
  const plan = powerEstimate(input, { target_effect: 0.05, users_per_day: usersPerDay });
  const statedPurchase = stated.body.metrics.find((m: { metric: string }) => m.metric === 'purchase');
  assert.equal(statedPurchase.power.conversion, [plan]);
  assert.ok((plan.days_to_power as number) > 0 && plan.target_source === 'stated', JSON.stringify(plan));
  assert.is(statedPurchase.power.mean.length, 1);
  for (const bad of ['0', 'abc', '', '1e9']) {
    const res = await server.get(`/v1/metrics/experiments?experiment_key=paywall&target_effect=${bad}`, auth);
    assert.is(res.status, 400, bad);
    assert.is(res.body.error.details[0].field, 'target_effect');
  }
});

it('experiments: the deprecated experiment_id query parameter still selects by key; differing values are a 400', async ({
  server,
}) => {
  const byKey = await server.get('/v1/metrics/experiments?window_days=7&experiment_key=paywall', auth);
  const byAlias = await server.get('/v1/metrics/experiments?window_days=7&experiment_id=paywall', auth);
  assert.is(byAlias.status, 200);
  assert.equal(byAlias.body, byKey.body);
  assert.is((await server.get('/v1/metrics/experiments?experiment_id=nope', auth)).status, 404);
  const same = await server.get('/v1/metrics/experiments?experiment_key=paywall&experiment_id=paywall', auth);
  assert.is(same.status, 200);
  const both = await server.get('/v1/metrics/experiments?experiment_key=paywall&experiment_id=other', auth);
  assert.is(both.status, 400);
  assert.is(both.body.error.code, 'invalid_query');
  assert.equal(
    both.body.error.details.map((d: { field: string }) => d.field),
    ['experiment_key', 'experiment_id'],
  );
  assert.match(both.body.error.message, /experiment_key.*experiment_id/);
});

it('experiments: the deprecated exposures / exposed_users fields repeat the assigned-user counts', async ({
  server,
}) => {
  const res = await server.get('/v1/metrics/experiments?window_days=7&experiment_key=paywall', auth);
  assert.equal(
    res.body.exposures,
    res.body.assignments.map((a: { variant: string; assigned_users: number; expected_share: number }) => ({
      variant: a.variant,
      exposed_users: a.assigned_users,
      expected_share: a.expected_share,
    })),
  );
  for (const metric of res.body.metrics) {
    for (const t of metric.totals) assert.is(t.exposed_users, t.assigned_users, `${metric.metric}/${t.variant}`);
  }
  const list = await server.get('/v1/metrics/experiments?window_days=7', auth);
  assert.equal(list.body.experiments[0].exposures, res.body.exposures);
});

it('funnels: users per step and conversion between steps, 404 for unknown', async ({ server }) => {
  const res = await server.get('/v1/metrics/funnels?window_days=7&funnel_name=core_journey', auth);
  assert.is(res.status, 200);
  assert.equal(
    res.body.steps.map((s: { users: number }) => s.users),
    [800, 0, 0],
  );
  assert.is(res.body.steps[1].conversion_from_previous, 0);
  assert.is((await server.get('/v1/metrics/funnels?funnel_name=nope', auth)).status, 404);
});

it('experiments: computed_at is null only for a window the experiments job never computed, also without assigned users', async ({
  server,
}) => {
  // Rolled up over 7 days: the 1- and 7-day windows are computed; nobody in paywall was assigned today (window 1).
  await server.db.storage.experiments.create({
    key: 'nobody_yet',
    status: 'draft',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  });
  for (const days of [1, 7]) {
    const list = await server.get(`/v1/metrics/experiments?window_days=${days}`, auth);
    for (const e of list.body.experiments) assert.type(e.computed_at, 'string', `${e.key}, ${days} days: computed`);
    const one = await server.get(`/v1/metrics/experiments?window_days=${days}&experiment_key=nobody_yet`, auth);
    assert.type(one.body.computed_at, 'string', `nobody_yet, ${days} days`);
  }
  for (const days of [14, 30, 90]) {
    const list = await server.get(`/v1/metrics/experiments?window_days=${days}`, auth);
    for (const e of list.body.experiments) assert.is(e.computed_at, null, `${e.key}, ${days} days: never computed`);
    const one = await server.get(`/v1/metrics/experiments?window_days=${days}&experiment_key=paywall`, auth);
    assert.is(one.body.computed_at, null);
    assert.equal(one.body.metrics, []);
  }
});

it.run();
