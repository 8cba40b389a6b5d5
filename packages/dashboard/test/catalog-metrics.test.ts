import * as assert from 'uvu/assert';
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { DASHBOARD_TOKEN } from './helpers/demo-server.js';

const { test, run } = browserSuite('experiment results: catalog metrics in Chromium');

const variant = (over: Partial<CatalogMetricResult['variants'][number]>): CatalogMetricResult['variants'][number] => ({
  variant: 'urgency',
  exposed_users: 120,
  mean: 1.2,
  relative_effect: 0.2,
  relative_ci: [0.1, 0.3],
  absolute_effect: 0.2,
  absolute_ci: [0.1, 0.3],
  p_value: 0.001,
  adjusted_p_value: 0.001,
  goal_adjusted_p_value: 0.002,
  chance_to_win: 0.999,
  cuped_variance_reduction: 0.42,
  guardrail_status: null,
  verdict: 'win',
  reason: null,
  ...over,
});

test('catalog metrics: exposed counts, goals then guardrails, verdicts and guardrail status as chips', async ({
  page,
  server,
}) => {
  const response = await fetch(`${server.baseUrl}/v1/metrics/experiments?window_days=7&experiment_key=paywall_copy`, {
    headers: { 'x-dashboard-token': DASHBOARD_TOKEN },
  });
  const real = (await response.json()) as ExperimentResults;
  const control = { variant: 'control', exposed_users: 118, mean: 1 };
  const crafted: ExperimentResults = {
    ...real,
    catalog_users: [
      { variant: 'control', assigned_users: 200, exposed_users: 118 },
      { variant: 'urgency', assigned_users: 190, exposed_users: 120 },
    ],
    catalog_metrics: [
      {
        key: 'paywall_load_ms',
        name: 'Paywall load time (ms)',
        kind: 'sum',
        role: 'guardrail',
        direction: 'lower',
        cuped: false,
        control,
        variants: [variant({ relative_effect: 0.18, guardrail_status: 'failing', verdict: 'loss' })],
      },
      {
        key: 'net_revenue',
        name: null,
        kind: 'sum',
        role: 'goal',
        direction: 'higher',
        cuped: true,
        control,
        variants: [variant({})],
      },
    ],
  };
  await fixture(
    page,
    server,
    `<abc-experiment-results id="crafted" experiment-key="paywall_copy"></abc-experiment-results>`,
  );
  await page.evaluate(`document.getElementById('crafted').api = {
    experiment() { return Promise.resolve(${JSON.stringify(crafted)}); },
  }`);
  await page.locator('#crafted table.catalog tbody tr').first().waitFor();
  assert.is(
    await text(page, '#crafted [data-field=exposure]'),
    'control: 118 of 200 exposed · urgency: 120 of 190 exposed',
  );
  const rows = await page
    .locator('#crafted table.catalog tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-metric'), tr.getAttribute('data-status')]));
  assert.equal(rows, [
    ['net_revenue', 'win'],
    ['paywall_load_ms', 'failing'],
  ]);
  assert.match(await text(page, '#crafted tr[data-metric=paywall_load_ms] th'), /lower is better/);
  const chip = await page.locator('#crafted tr[data-metric=paywall_load_ms] td:last-child .chip').getAttribute('class');
  assert.match(chip ?? '', /negative/);
});

run();
