import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import { catalogRows, exposureLine } from './catalog-metrics.model.js';

const it = suite('catalog metric rows');

const variant = (over: Partial<CatalogMetricResult['variants'][number]>): CatalogMetricResult['variants'][number] => ({
  variant: 'treat',
  exposed_users: 30,
  mean: 1,
  relative_effect: 0.1,
  relative_ci: [0.05, 0.15],
  absolute_effect: 0.1,
  absolute_ci: [0.05, 0.15],
  p_value: 0.001,
  adjusted_p_value: 0.001,
  goal_adjusted_p_value: 0.002,
  chance_to_win: 0.99,
  cuped_variance_reduction: null,
  guardrail_status: null,
  verdict: 'win',
  reason: null,
  ...over,
});

const metric = (over: Partial<CatalogMetricResult>): CatalogMetricResult => ({
  key: 'revenue',
  name: null,
  kind: 'sum',
  role: 'goal',
  direction: 'higher',
  cuped: false,
  control: { variant: 'control', exposed_users: 31, mean: 0.9 },
  variants: [variant({})],
  ...over,
});

const results = (catalog_metrics: CatalogMetricResult[]) =>
  ({
    catalog_users: [
      { variant: 'control', assigned_users: 40, exposed_users: 31 },
      { variant: 'treat', assigned_users: 40, exposed_users: 30 },
    ],
    catalog_metrics,
  }) as unknown as ExperimentResults;

it('goals first with their BH-adjusted p-value and verdict; guardrails after, by their status', () => {
  const rows = catalogRows(
    results([
      metric({
        key: 'latency',
        name: 'Latency',
        role: 'guardrail',
        direction: 'lower',
        variants: [variant({ guardrail_status: 'failing', verdict: 'loss' })],
      }),
      metric({ variants: [variant({ verdict: 'loss', relative_effect: -0.2 })] }),
    ]),
  );
  assert.equal(
    rows.map((r) => [r.metric, r.label, r.role, r.status, r.tone, r.pValue]),
    [
      ['revenue', 'revenue', 'goal', 'loss', 'negative', 0.002],
      ['latency', 'Latency', 'guardrail', 'failing', 'negative', 0.001],
    ],
  );
  const warning = catalogRows(
    results([metric({ role: 'guardrail', variants: [variant({ guardrail_status: 'warning' })] })]),
  );
  assert.equal([warning[0]?.status, warning[0]?.tone], ['warning', 'warning']);
});

it('the exposure line says how many assigned users were exposed; none without catalog metrics', () => {
  assert.is(exposureLine(results([])), 'control: 31 of 40 exposed · treat: 30 of 40 exposed');
  assert.is(exposureLine({} as ExperimentResults), null);
});

it.run();
