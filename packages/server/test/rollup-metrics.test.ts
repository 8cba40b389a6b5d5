import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { runRollup } from '../src/rollups/run-rollup.js';
import { createMetricAdmin } from '../src/services/metric-admin.js';
import { createTestStorage, testSql, type TestDatabase } from '../src/testing.js';
import { insertAssignment } from './helpers/seed-rows.js';

const NOW = new Date('2026-03-10T12:00:00Z'); // 7-day window [03-04, 03-11)
const it = suite<{ db: TestDatabase }>('metrics rollup (catalog metrics, exposed users)');

const at = (dayHour: string) => `2026-03-${dayHour}:00Z`; // '05T10:00' → 2026-03-05T10:00:00Z

interface Row {
  variant: string;
  metric_key: string;
  exposed_users: string;
  value_sum: string;
  value_sum_squares: string;
  den_sum: string;
  den_sum_squares: string;
  value_den_sum_of_products: string;
  pre_sum: string;
  pre_sum_squares: string;
  value_pre_sum_of_products: string;
}

async function event(db: TestDatabase, user: string, name: string, when: string, properties = {}) {
  await db.storage.events.insertBatch([
    { event_id: randomUUID(), user_id: user, name, client_timestamp: at(when), occurred_at: at(when), properties },
  ]);
}

const exposure = (db: TestDatabase, user: string, variant: string, when: string) =>
  event(db, user, '$exposure', when, { experiment_key: 'checkout', variant });

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  const { storage } = ctx.db;
  const catalog = createMetricAdmin(storage);
  await catalog.create({ key: 'purchases_24h', kind: 'count', event: 'purchase', window_hours: 24 });
  await catalog.create({ key: 'revenue', kind: 'sum', event: 'purchase' });
  await catalog.create({
    key: 'revenue_capped',
    kind: 'sum',
    event: 'purchase',
    capping: { type: 'absolute', value: 50 },
  });
  await catalog.create({
    key: 'revenue_median_cap',
    kind: 'sum',
    event: 'purchase',
    capping: { type: 'percentile', value: 0.5 },
  });
  await catalog.create({ key: 'sessions', kind: 'count', event: 'session' });
  await catalog.create({ key: 'revenue_per_session', kind: 'ratio', numerator: 'revenue', denominator: 'sessions' });
  await catalog.create({
    key: 'pro_signup',
    kind: 'conversion',
    event: 'signup',
    filter: { property: 'plan', equals: 'pro' },
  });
  const goals = ['purchases_24h', 'revenue', 'revenue_capped', 'revenue_median_cap', 'revenue_per_session'];
  await storage.experiments.create({
    key: 'checkout',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'treat', weight: 0.5 },
    ],
    metrics: [
      ...goals.map((key) => ({ key, role: 'goal' as const })),
      { key: 'pro_signup', role: 'guardrail' as const },
    ],
  });
  for (const [user, variant] of [
    ['c1', 'control'],
    ['c2', 'control'],
    ['c3', 'control'],
    ['t1', 'treat'],
    ['t3', 'treat'],
    ['t4', 'treat'],
    ['t5', 'treat'],
  ] as const) {
    await insertAssignment(storage, 'checkout', user, variant, at('05T00:00'));
  }
  const db = ctx.db;
  // c1: exposed, a purchase within 24 h of exposure and one after; one before exposure (CUPED's pre-period).
  await exposure(db, 'c1', 'control', '05T01:00');
  await event(db, 'c1', 'purchase', '04T00:00', { value: 20 });
  await event(db, 'c1', 'purchase', '05T02:00', { value: 30 });
  await event(db, 'c1', 'purchase', '07T00:00', { value: 100 });
  await event(db, 'c1', 'session', '05T03:00');
  await event(db, 'c1', 'session', '06T03:00');
  // c2: assigned, never exposed: not counted, however much it buys.
  await event(db, 'c2', 'purchase', '06T00:00', { value: 500 });
  // c3: a refund only.
  await exposure(db, 'c3', 'control', '06T00:00');
  await event(db, 'c3', 'purchase', '06T01:00', { value: -40 });
  await event(db, 'c3', 'session', '06T02:00');
  // t1: a purchase and a bigger refund; a pro signup.
  await exposure(db, 't1', 'treat', '06T00:30');
  await event(db, 't1', 'purchase', '06T01:00', { value: 10 });
  await event(db, 't1', 'purchase', '06T02:00', { value: -30 });
  await event(db, 't1', 'session', '06T03:00');
  await event(db, 't1', 'session', '06T04:00');
  await event(db, 't1', 'signup', '06T05:00', { plan: 'pro' });
  await exposure(db, 't3', 'treat', '06T00:00');
  await event(db, 't3', 'purchase', '06T05:00', { value: 80 });
  await event(db, 't3', 'signup', '06T05:00', { plan: 'free' });
  // t4: exposed twice; the first exposure counts.
  await exposure(db, 't4', 'treat', '05T00:00');
  await exposure(db, 't4', 'treat', '08T00:00');
  await event(db, 't4', 'purchase', '05T10:00', { value: 5 });
  // t5: its exposure names another variant than its sticky one (a QA override): not counted.
  await exposure(db, 't5', 'control', '06T00:00');
  await event(db, 't5', 'purchase', '06T01:00', { value: 1000 });
  // f1: forced (no sticky row), exposed: not counted.
  await exposure(db, 'f1', 'treat', '06T00:00');
  await event(db, 'f1', 'purchase', '06T01:00', { value: 1000 });
});
it.after(async (ctx) => ctx.db.close());

async function rows(db: TestDatabase): Promise<Map<string, Row>> {
  const all = await testSql<Row>(
    db.storage,
    `select variant, metric_key, exposed_users::text, value_sum::text, value_sum_squares::text, den_sum::text,
            den_sum_squares::text, value_den_sum_of_products::text, pre_sum::text, pre_sum_squares::text,
            value_pre_sum_of_products::text
       from experiment_catalog_rollups where experiment_key = 'checkout' and window_days = 7`,
  );
  return new Map(all.map((r) => [`${r.metric_key}/${r.variant}`, r]));
}

const sums = (r: Row | undefined) => r && [Number(r.exposed_users), Number(r.value_sum), Number(r.value_sum_squares)];

it('counts exposed users only, from first exposure, within each metric window, with capping and ratios', async ({
  db,
}) => {
  const run = await runRollup(db.storage, 'metrics', { windowDays: 7, now: NOW });
  assert.is(run.mode, 'full');
  const r = await rows(db);
  // Exposed: c1, c3 | t1, t3, t4. Never-exposed c2, mismatched t5 and forced f1 are not counted.
  assert.equal(sums(r.get('$exposure/control')), [2, 0, 0]);
  assert.equal(sums(r.get('$exposure/treat')), [3, 0, 0]);
  // 24 h after exposure: c1's purchase two days later is out.
  assert.equal(sums(r.get('purchases_24h/control')), [2, 2, 2]);
  assert.equal(sums(r.get('purchases_24h/treat')), [3, 4, 6]);
  // No window: everything after exposure; refunds are negative values.
  assert.equal(sums(r.get('revenue/control')), [2, 90, 130 * 130 + 40 * 40]);
  assert.equal(sums(r.get('revenue/treat')), [3, 65, 400 + 6400 + 25]);
  // CUPED: c1's purchase before exposure is its pre-period value.
  const pre = r.get('revenue/control')!;
  assert.equal([pre.pre_sum, pre.pre_sum_squares, pre.value_pre_sum_of_products].map(Number), [20, 400, 2600]);
  // Absolute cap 50 from above; negative values stay.
  assert.equal(sums(r.get('revenue_capped/control')), [2, 10, 2500 + 1600]);
  assert.equal(sums(r.get('revenue_capped/treat')), [3, 35, 400 + 2500 + 25]);
  // Median of all exposed users' values (-40, -20, 5, 80, 130) is 5: one cap for both arms.
  assert.equal(sums(r.get('revenue_median_cap/control')), [2, -35, 25 + 1600]);
  assert.equal(sums(r.get('revenue_median_cap/treat')), [3, -10, 400 + 25 + 25]);
  // The ratio: revenue over sessions, with their cross products per user.
  const ratio = r.get('revenue_per_session/control')!;
  assert.equal([ratio.value_sum, ratio.den_sum, ratio.den_sum_squares, ratio.value_den_sum_of_products].map(Number), [
    90,
    3,
    5,
    130 * 2 - 40,
  ]);
  const treatRatio = r.get('revenue_per_session/treat')!;
  assert.equal([treatRatio.den_sum, treatRatio.value_den_sum_of_products].map(Number), [2, -40]);
  // A filtered conversion: only t1's signup was on the pro plan.
  assert.equal(sums(r.get('pro_signup/treat')), [3, 1, 1]);
  assert.equal(sums(r.get('pro_signup/control')), [2, 0, 0]);
});

it('a second run writes the same rows', async ({ db }) => {
  const before = await rows(db);
  await runRollup(db.storage, 'metrics', { windowDays: 7, now: NOW });
  assert.equal([...(await rows(db)).entries()], [...before.entries()]);
});

it.run();
