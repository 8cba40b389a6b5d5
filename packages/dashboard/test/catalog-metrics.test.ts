import * as assert from 'uvu/assert';
import type { ExperimentResults } from '@ab-calicritters/core';
import { catalogMetric, catalogVariant } from './helpers/catalog-fixtures.js';
import { browserSuite, resultsFixture, text } from './helpers/browser-suite.js';
import { fetchResults } from './helpers/demo-server.js';

const { test, run } = browserSuite('experiment results: catalog metrics in Chromium');

test('catalog metrics: exposed counts, goals then guardrails, verdicts and guardrail status as chips', async ({
  page,
  server,
}) => {
  const real = await fetchResults(server);
  const crafted: ExperimentResults = {
    ...real,
    catalog_users: [
      { variant: 'control', assigned_users: 200, exposed_users: 118 },
      { variant: 'urgency', assigned_users: 190, exposed_users: 120 },
    ],
    catalog_metrics: [
      catalogMetric({
        key: 'paywall_load_ms',
        name: 'Paywall load time (ms)',
        role: 'guardrail',
        direction: 'lower',
        variants: [catalogVariant({ relative_effect: 0.18, guardrail_status: 'failing', verdict: 'loss' })],
      }),
      catalogMetric({ cuped: true }),
    ],
  };
  await resultsFixture(page, server, 'crafted', crafted);
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
