import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExperimentResults } from '@ab-calicritters/core';
import type { EventRow } from '../src/storage/event-store.js';
import {
  catalogMetric as metricOf,
  catalogResults,
  dashboard,
  startCatalogExperiment,
} from './helpers/catalog-experiment.js';
import { eventRow as row } from './helpers/seed-rows.js';
import { admin, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('catalog metrics in the experiment results');
const USERS = 40;

it.before(async (ctx) => {
  const assignments: Array<[string, string, string]> = [];
  const events: EventRow[] = [];
  for (let i = 0; i < USERS; i++) {
    for (const [arm, variant] of [
      ['c', 'control'],
      ['t', 'strict'],
    ] as const) {
      const user = `${arm}${i}`;
      assignments.push([user, variant, '2026-03-05T00:00:00Z']);
      // A quarter of the assigned users never see the experiment.
      if (i % 4 === 3) continue;
      events.push(row(user, '$exposure', '2026-03-05T01:00:00Z', { experiment_key: 'refunds', variant }));
      // Each user's own level, before and after exposure: CUPED takes it out. The stricter policy refunds 2 more.
      const level = -10 + ((i * 7) % 11) - 5;
      const noise = (((i * 3) % 5) - 2) / 2;
      events.push(row(user, 'order', '2026-03-04T00:00:00Z', { value: level }));
      events.push(row(user, 'order', '2026-03-06T00:00:00Z', { value: (arm === 'c' ? level : level - 2) + noise }));
      events.push(row(user, 'page', '2026-03-06T00:00:00Z', { ms: (arm === 'c' ? 100 : 140) + (i % 5) }));
    }
  }
  ctx.server = await startCatalogExperiment({
    metrics: [
      // Net revenue per user: refunds make it negative in both arms.
      { key: 'net_revenue', kind: 'sum', event: 'order' },
      { key: 'net_revenue_plain', kind: 'sum', event: 'order', cuped_lookback_days: 0 },
      { key: 'latency', kind: 'sum', event: 'page', property: 'ms', direction: 'lower', cuped_lookback_days: 0 },
      { key: 'orders', kind: 'count', event: 'order', cuped_lookback_days: 0 },
    ],
    experiment: {
      key: 'refunds',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'strict', weight: 0.5 },
      ],
      metrics: [
        { key: 'net_revenue', role: 'goal' },
        { key: 'net_revenue_plain', role: 'goal' },
        { key: 'orders', role: 'goal' },
        { key: 'latency', role: 'guardrail' },
      ],
    },
    assignments,
    events,
  });
});
it.after(async (ctx) => ctx.server.close());

const results = (server: TestServer) => catalogResults(server, 'refunds', '&method=fixed');

it('assigned and exposed users per variant: only exposed users are analysed', async ({ server }) => {
  const body = await results(server);
  assert.equal(body.catalog_users, [
    { variant: 'control', assigned_users: USERS, exposed_users: 30 },
    { variant: 'strict', assigned_users: USERS, exposed_users: 30 },
  ]);
  assert.equal(
    body.catalog_metrics?.map((m) => [m.key, m.role, m.direction, m.cuped]),
    [
      ['net_revenue', 'goal', 'higher', true],
      ['net_revenue_plain', 'goal', 'higher', false],
      ['orders', 'goal', 'higher', false],
      ['latency', 'guardrail', 'lower', false],
    ],
  );
});

it('more refunds on negative revenue read as a loss: negative lift, low chance to win, verdict loss', async ({
  server,
}) => {
  const plain = metricOf(await results(server), 'net_revenue_plain');
  const [strict] = plain.variants;
  assert.ok(plain.control.mean! < 0 && strict!.mean! < plain.control.mean!, JSON.stringify(plain));
  // (μB − μA) / |μA| with both means negative: a loss is negative.
  assert.ok(strict!.relative_effect! < 0, JSON.stringify(strict));
  assert.ok(Math.abs(strict!.absolute_effect! - -2) < 0.5, JSON.stringify(strict));
  assert.ok(strict!.chance_to_win! < 0.5, JSON.stringify(strict));
  assert.is(strict!.guardrail_status, null);
});

it('CUPED removes the users own level: narrower interval, a significant loss, variance reduction reported', async ({
  server,
}) => {
  const body = await results(server);
  const cuped = metricOf(body, 'net_revenue').variants[0]!;
  const plain = metricOf(body, 'net_revenue_plain').variants[0]!;
  assert.ok(cuped.cuped_variance_reduction! > 0.9, JSON.stringify(cuped));
  assert.is(plain.cuped_variance_reduction, null);
  const width = (ci: [number, number] | null) => ci![1] - ci![0];
  assert.ok(width(cuped.relative_ci) < width(plain.relative_ci), `${cuped.relative_ci} vs ${plain.relative_ci}`);
  assert.ok(cuped.p_value !== null && cuped.p_value < 0.001, JSON.stringify(cuped));
  assert.is(cuped.verdict, 'loss', JSON.stringify(cuped));
  assert.ok(cuped.chance_to_win! < 0.01);
  // Benjamini–Hochberg over the three goals' p-values: never below the raw p-value.
  for (const key of ['net_revenue', 'net_revenue_plain', 'orders']) {
    const v = metricOf(body, key).variants[0]!;
    if (v.p_value !== null) assert.ok(v.goal_adjusted_p_value! >= v.p_value, key);
  }
});

it('a guardrail where lower is better fails when the variant is significantly higher', async ({ server }) => {
  const latency = metricOf(await results(server), 'latency').variants[0]!;
  assert.ok(latency.relative_effect! > 0.3, JSON.stringify(latency));
  assert.is(latency.guardrail_status, 'failing');
  assert.is(latency.verdict, 'loss');
  assert.ok(latency.chance_to_win! < 0.01);
  assert.is(latency.goal_adjusted_p_value, null);
});

it('catalog metrics carry their power: CUPED lowers the minimum detectable effect, the target is the observed effect', async ({
  server,
}) => {
  const body = await results(server);
  const cuped = metricOf(body, 'net_revenue').variants[0]!;
  const plain = metricOf(body, 'net_revenue_plain').variants[0]!;
  assert.ok(cuped.power && plain.power, JSON.stringify(cuped));
  assert.is(cuped.power.method, 'fixed');
  assert.ok(
    cuped.power.mde_relative! < plain.power.mde_relative!,
    `${cuped.power.mde_relative} vs ${plain.power.mde_relative}`,
  );
  // A fixed-horizon MDE is (z₀.₉₇₅ + z₀.₈) se; the interval is Welch's t, whose t₀.₉₇₅ at 30 users per arm (≈ 2.00
  // at 58 df) is 2 % above z₀.₉₇₅, so se from the half-width over z₀.₉₇₅ runs up to 2 % high.
  const se = (plain.relative_ci![1] - plain.relative_ci![0]) / 2 / 1.959964;
  const ratio = plain.power.mde_relative! / (2.801585 * se);
  assert.ok(ratio < 1 && ratio > 0.97, JSON.stringify(plain.power));
  assert.is(cuped.power.target_source, 'observed');
  assert.is(cuped.power.target_effect, cuped.relative_effect);
  const stated = await server.get(
    '/v1/metrics/experiments?experiment_key=refunds&window_days=7&target_effect=0.5',
    dashboard,
  );
  const latency = (stated.body as ExperimentResults).catalog_metrics!.find((m) => m.key === 'latency')!.variants[0]!;
  assert.is(latency.power?.method, 'sequential');
  assert.is(latency.power?.target_effect, 0.5);
  assert.is(latency.power?.target_source, 'stated');
});

it('experiments without catalog metrics have no catalog fields', async ({ server }) => {
  await server.post(
    '/v1/admin/experiments',
    {
      key: 'plain',
      status: 'running',
      variants: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
    },
    admin,
  );
  const res = await server.get('/v1/metrics/experiments?experiment_key=plain', dashboard);
  assert.is(res.status, 200);
  assert.is('catalog_metrics' in res.body, false);
});

it.run();
