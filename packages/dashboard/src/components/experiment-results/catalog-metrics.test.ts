import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import { catalogMetric, catalogVariant } from '../../../test/helpers/catalog-fixtures.js';
import { catalogRows, exposureLine } from './catalog-metrics.model.js';

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

it('the exposure line says how many assigned users were exposed; none without catalog metrics', () => {
  assert.is(exposureLine(results([])), 'control: 31 of 40 exposed · treat: 30 of 40 exposed');
  assert.is(exposureLine({} as ExperimentResults), null);
});

it.run();
