import * as assert from 'uvu/assert';
import type { ExperimentResults, PowerEstimate } from '@ab-calicritters/core';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { DASHBOARD_TOKEN } from './helpers/demo-server.js';

const { test, run } = browserSuite('experiment results: method and power lines in Chromium');

const realResults = async (baseUrl: string, query = '') => {
  const response = await fetch(`${baseUrl}/v1/metrics/experiments?window_days=7&experiment_key=paywall_copy${query}`, {
    headers: { 'x-dashboard-token': DASHBOARD_TOKEN },
  });
  return (await response.json()) as ExperimentResults;
};

test('under the results table: the method the server used and a power line per goal metric', async ({
  page,
  server,
}) => {
  const real = await realResults(server.baseUrl);
  assert.is(real.analysis?.method, 'sequential');
  await fixture(
    page,
    server,
    `<abc-experiment-results id="live" experiment-key="paywall_copy" token="${DASHBOARD_TOKEN}"></abc-experiment-results>`,
  );
  await page.locator('#live [data-field=method]').waitFor();
  const treatments = real.experiment.variants.length - 1;
  const adjustment =
    treatments > 1
      ? `p-values Holm-adjusted across ${treatments} variants`
      : 'one variant against control, no adjustment';
  assert.is(
    await text(page, '#live [data-field=method]'),
    `Sequential testing (always-valid, tuning 5,000); ${adjustment}.`,
  );
  const lines = await page.locator('#live [data-field=power] li').allTextContents();
  assert.ok(lines.length >= treatments, JSON.stringify(lines));
  assert.ok(
    lines.every((l) => /Detects ±\d/.test(l) || /Power unknown/.test(l)),
    JSON.stringify(lines),
  );
});

test('power sentences: days to power, already powered, out of reach, a fixed method asked for by the view', async ({
  page,
  server,
}) => {
  const real = await realResults(server.baseUrl, '&method=fixed');
  const power = (over: Partial<PowerEstimate>): PowerEstimate => ({
    method: 'fixed',
    mde_relative: 0.168,
    days_to_power: 6,
    target_effect: 0.05,
    target_source: 'stated',
    reason: null,
    ...over,
  });
  const [first] = real.metrics;
  assert.ok(first, 'the demo has metrics');
  const keys = first.conversion.variant_keys;
  const estimates = [
    power({}),
    power({ days_to_power: 0, target_effect: 0.3, target_source: 'observed', mde_relative: 0.04 }),
    power({ days_to_power: null }),
  ];
  const crafted: ExperimentResults = {
    ...real,
    metrics: real.metrics.map((m) => ({
      ...m,
      power: { conversion: keys.map((_, i) => estimates[i % 3]!), mean: keys.map(() => power({})) },
    })),
    catalog_metrics: [],
  };
  await fixture(
    page,
    server,
    `<abc-experiment-results id="crafted" experiment-key="paywall_copy" metric="${first.metric}"></abc-experiment-results>`,
  );
  await page.evaluate(`document.getElementById('crafted').api = {
    experiment() { return Promise.resolve(${JSON.stringify(crafted)}); },
  }`);
  await page.locator('#crafted [data-field=power] li').first().waitFor();
  assert.match(
    await text(page, '#crafted [data-field=method]'),
    /^Fixed-horizon test \(one planned look\); .* asked for by this view/,
  );
  const lines = await page.locator('#crafted [data-field=power] li').allTextContents();
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  assert.is(
    squash(lines[0]!),
    `${first.metric} ${keys[0]} Detects ±17% now; about 6 more days for 80 % power at the observed variance, for the +5.0% target.`,
  );
  if (keys.length > 1) {
    assert.is(
      squash(lines[1]!),
      `${first.metric} ${keys[1]} Detects ±4.0% now; already has 80 % power for the +30% observed effect.`,
    );
  }
  if (keys.length > 2) assert.match(lines[2]!, /out of reach at this traffic/);
});

run();
