import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import { catalogMetric, catalogVariant } from '../../../test/helpers/catalog-fixtures.js';
import { catalogRows, exposureLine, formatRisk } from './catalog-metrics.model.js';

const it = suite('catalog metric rows');

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
      catalogMetric({
        key: 'latency',
        name: 'Latency',
        role: 'guardrail',
        direction: 'lower',
        variants: [catalogVariant({ guardrail_status: 'failing', verdict: 'loss' })],
      }),
      catalogMetric({ key: 'revenue', variants: [catalogVariant({ verdict: 'loss', relative_effect: -0.2 })] }),
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
    results([catalogMetric({ role: 'guardrail', variants: [catalogVariant({ guardrail_status: 'warning' })] })]),
  );
  assert.equal([warning[0]?.status, warning[0]?.tone], ['warning', 'warning']);
});

it('rows carry the risk and credible interval the server sent; older servers send neither', () => {
  const [row] = catalogRows(
    results([catalogMetric({ variants: [catalogVariant({ risk: 0.004, credible_interval: [0.021, 0.18] })] })]),
  );
  assert.equal([row?.risk, row?.credibleInterval], [0.004, [0.021, 0.18]]);
  const [old] = catalogRows(results([catalogMetric()]));
  assert.equal([old?.risk, old?.credibleInterval], [null, null]);
});

it('a risk reads as a share of control: finer below 1 %, never a false zero', () => {
  assert.equal([0.004, 0.0004, 0.00004, 0, 0.123, 0.067, null].map(formatRisk), [
    '0.4%',
    '0.04%',
    '<0.01%',
    '0%',
    '12%',
    '6.7%',
    '–',
  ]);
});

it('the exposure line says how many assigned users were exposed; none without catalog metrics', () => {
  assert.is(exposureLine(results([])), 'control: 31 of 40 exposed · treat: 30 of 40 exposed');
  assert.is(exposureLine({} as ExperimentResults), null);
});

it.run();
