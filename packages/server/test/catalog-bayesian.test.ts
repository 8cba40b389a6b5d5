/**
 * The Bayesian side of catalog metric results: risk (direction-aware), the credible interval, the prior an
 * experiment's stored analysis chooses, and CUPED falling back to the plain test when it cannot adjust.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bayesianTest,
  DEFAULT_PROPER_PRIOR,
  frequentistTest,
  type CatalogVariantResult,
  type ExperimentResults,
  type MeanSummary,
} from '@ab-calicritters/core';
import type { EventRow } from '../src/storage/event-store.js';
import { catalogMetric, catalogResults, startCatalogExperiment } from './helpers/catalog-experiment.js';
import { eventRow as row } from './helpers/seed-rows.js';
import { admin, type TestServer } from './helpers/test-server.js';

const json = { 'content-type': 'application/json', ...admin };
const USERS = 30;
const it = suite<{ server: TestServer }>('catalog metrics: risk, credible interval, prior, CUPED fallback');

/** Per-user values of each arm, as the events below make them: what core is given in the checks. */
const revenue = (arm: 'c' | 't', i: number) => (arm === 'c' ? 10 : 11) + (i % 7);
const latency = (arm: 'c' | 't', i: number) => (arm === 'c' ? 100 : 130) + (i % 5);
const visits = (arm: 'c' | 't', i: number) => (arm === 'c' ? 1 : 2) + (i % 3);

function summary(value: (arm: 'c' | 't', i: number) => number, arm: 'c' | 't'): MeanSummary {
  const values = Array.from({ length: USERS }, (_, i) => value(arm, i));
  return { n: USERS, sum: values.reduce((a, b) => a + b, 0), sum_squares: values.reduce((a, b) => a + b * b, 0) };
}

const mean = (value: (arm: 'c' | 't', i: number) => number) =>
  ({ kind: 'mean', control: summary(value, 'c'), treatment: summary(value, 't') }) as const;

it.before(async (ctx) => {
  const arms = [
    { arm: 'c', key: 'control', weight: 0.5 },
    { arm: 't', key: 'fast', weight: 0.5 },
  ] as const;
  const roles = { revenue: 'goal', visits: 'goal', visits_plain: 'goal', latency: 'guardrail' };
  const assignments: Array<[string, string, string]> = [];
  const events: EventRow[] = [];
  for (let i = 0; i < USERS; i++) {
    for (const { arm, key: variant } of arms) {
      const user = `${arm}${i}`;
      assignments.push([user, variant, '2026-03-05T00:00:00Z']);
      events.push(row(user, '$exposure', '2026-03-05T01:00:00Z', { experiment_key: 'checkout', variant }));
      events.push(row(user, 'order', '2026-03-06T00:00:00Z', { value: revenue(arm, i) }));
      events.push(row(user, 'page', '2026-03-06T00:00:00Z', { ms: latency(arm, i) }));
      // Before exposure every treatment user visited once and no control user did: the pre-period differs only
      // between the arms, so CUPED has nothing to adjust by.
      if (arm === 't') events.push(row(user, 'visit', '2026-03-04T12:00:00Z'));
      for (let v = 0; v < visits(arm, i); v++) events.push(row(user, 'visit', '2026-03-06T00:00:00Z'));
    }
  }
  ctx.server = await startCatalogExperiment({
    metrics: [
      { key: 'revenue', kind: 'sum', event: 'order', cuped_lookback_days: 0 },
      { key: 'latency', kind: 'sum', event: 'page', property: 'ms', direction: 'lower', cuped_lookback_days: 0 },
      { key: 'visits', kind: 'count', event: 'visit' },
      { key: 'visits_plain', kind: 'count', event: 'visit', cuped_lookback_days: 0 },
    ],
    experiment: {
      key: 'checkout',
      variants: arms.map(({ key, weight }) => ({ key, weight })),
      metrics: Object.entries(roles).map(([key, role]) => ({ key, role })),
    },
    assignments,
    events,
  });
});
it.after(async (ctx) => ctx.server.close());

const results = (server: TestServer, query = '') => catalogResults(server, 'checkout', query);

const variantOf = (body: ExperimentResults, key: string): CatalogVariantResult => catalogMetric(body, key).variants[0]!;

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );

const setAnalysis = async (server: TestServer, analysis: unknown) =>
  server.send('PATCH', '/v1/admin/experiments/checkout', JSON.stringify({ analysis }), json);

it('risk is the expected loss of choosing the variant, read by the direction', async ({ server }) => {
  const body = await results(server);
  assert.is(body.analysis?.prior, 'flat');
  // Core's risk is [loss of keeping control, loss of choosing treatment] for a rise being good.
  const [, revenueLoss] = bayesianTest(mean(revenue)).risk!;
  close(variantOf(body, 'revenue').risk, revenueLoss, 'revenue risk');
  // Latency rose by ~25 %: for a `lower` metric that rise is what choosing the variant loses.
  const [latencyRise] = bayesianTest(mean(latency)).risk!;
  const slow = variantOf(body, 'latency');
  close(slow.risk, latencyRise, 'latency risk');
  assert.ok(slow.risk! > 0.2 && slow.risk! < 0.35, JSON.stringify(slow));
  assert.ok(slow.chance_to_win! < 0.01, JSON.stringify(slow));
});

it('the credible interval is the flat-prior posterior: the fixed interval with z in place of t', async ({ server }) => {
  const fast = variantOf(await results(server, '&method=fixed'), 'revenue');
  const bayes = bayesianTest(mean(revenue));
  close(fast.credible_interval?.[0], bayes.ci![0], 'lower bound');
  close(fast.credible_interval?.[1], bayes.ci![1], 'upper bound');
  // Same centre as the fixed-horizon interval, a little narrower (z₀.₉₇₅ < t₀.₉₇₅,₅₈).
  const width = (ci: [number, number]) => ci[1] - ci[0];
  close((fast.credible_interval![0] + fast.credible_interval![1]) / 2, fast.relative_effect!, 'centre');
  assert.ok(width(fast.credible_interval!) < width(fast.relative_ci!));
});

it("the experiment's stored prior: proper pulls the effect towards 0 and is reported", async ({ server }) => {
  const flat = variantOf(await results(server), 'revenue');
  const patched = await setAnalysis(server, { method: 'fixed', prior: 'proper' });
  assert.is(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.analysis, { method: 'fixed', prior: 'proper' });
  try {
    const body = await results(server);
    assert.equal(body.analysis, {
      method: 'fixed',
      alpha: 0.05,
      sequential_tuning: 5000,
      source: 'experiment',
      prior: 'proper',
    });
    const proper = variantOf(body, 'revenue');
    const expected = bayesianTest(mean(revenue), { prior: DEFAULT_PROPER_PRIOR });
    close(proper.chance_to_win, expected.chance_to_win!, 'chance to win');
    close(proper.risk, expected.risk![1], 'risk');
    close(proper.credible_interval?.[0], expected.ci![0], 'lower bound');
    const centre = (ci: [number, number]) => (ci[0] + ci[1]) / 2;
    assert.ok(centre(proper.credible_interval!) < centre(flat.credible_interval!), 'shrunk towards no change');
    // The frequentist statistics do not depend on the prior.
    assert.is(proper.relative_effect, flat.relative_effect);
    // A request that names the method keeps the stored prior.
    assert.is((await results(server, '&method=sequential')).analysis?.prior, 'proper');
  } finally {
    await setAnalysis(server, { method: 'sequential' });
  }
});

it('a prior other than flat or proper is a 400 naming analysis.prior', async ({ server }) => {
  for (const prior of ['informative', 0.09, null]) {
    const res = await setAnalysis(server, { method: 'fixed', prior });
    assert.is(res.status, 400, JSON.stringify(prior));
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
    assert.ok(fields.includes('/analysis/prior'), fields.join(', '));
  }
});

it('CUPED with a pre-period that varies only between the arms is the plain test, not an effect of 0', async ({
  server,
}) => {
  const body = await results(server, '&method=fixed');
  const cuped = variantOf(body, 'visits');
  const plain = variantOf(body, 'visits_plain');
  assert.is(cuped.reason, null);
  assert.is(cuped.cuped_variance_reduction, 0);
  const expected = frequentistTest(mean(visits), { method: 'fixed' });
  close(cuped.relative_effect, expected.effect!, 'effect');
  close(cuped.p_value, expected.p_value!, 'p-value');
  assert.ok(cuped.relative_effect! > 0.3 && cuped.p_value! < 0.05, JSON.stringify(cuped));
  close(cuped.relative_ci?.[0], plain.relative_ci![0], 'same interval as without CUPED');
});

it.run();
