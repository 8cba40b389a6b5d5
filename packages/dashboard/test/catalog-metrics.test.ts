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

test('chance to win carries its risk, the credible interval is in its tooltip, and the prior is named under the table', async ({
  page,
  server,
}) => {
  const real = await fetchResults(server);
  assert.is(real.analysis?.prior, 'flat');
  const crafted: ExperimentResults = {
    ...real,
    catalog_metrics: [
      catalogMetric({
        variants: [catalogVariant({ chance_to_win: 0.97, risk: 0.004, credible_interval: [0.021, 0.18] })],
      }),
      // Lower is better and it rose 18 %: shipping it is expected to cost about that rise, and the chance is low.
      catalogMetric({
        key: 'paywall_load_ms',
        name: 'Paywall load time (ms)',
        role: 'guardrail',
        direction: 'lower',
        variants: [
          catalogVariant({
            relative_effect: 0.18,
            relative_ci: [0.1, 0.26],
            chance_to_win: 0.0004,
            risk: 0.1801,
            credible_interval: [0.11, 0.25],
            guardrail_status: 'failing',
            verdict: 'loss',
          }),
        ],
      }),
    ],
  };
  await resultsFixture(page, server, 'bayes', crafted);
  const row = (metric: string) => `#bayes tr[data-metric=${metric}]`;
  await page.locator(row('net_revenue')).waitFor();
  const chance = (metric: string) => page.locator(`${row(metric)} td[data-field=chance]`);
  assert.is(await text(page, `${row('net_revenue')} [data-field=risk]`), 'Risk 0.4%');
  assert.is(
    await chance('net_revenue').getAttribute('title'),
    `95% credible interval of the effect: +2.1% to +18%. Risk: shipping urgency costs on average 0.4% of ${real.control}'s mean (the expected fall)`,
  );
  assert.is(await text(page, `${row('net_revenue')} [data-field=credible]`), '95% credible interval +2.1% to +18%');
  assert.match(await text(page, `${row('paywall_load_ms')} td[data-field=chance]`), /^<1% Risk 18% /);
  assert.match(
    (await chance('paywall_load_ms').getAttribute('title')) ?? '',
    /costs on average 18% .*\(the expected rise\)$/,
  );
  assert.match(
    (await page.locator('#bayes p.footnote').last().textContent())?.replace(/\s+/g, ' ') ?? '',
    new RegExp(`its risk is what shipping the variant is expected to lose, as a share of ${real.control}'s mean`),
  );
  assert.is(
    await text(page, '#bayes [data-field=prior]'),
    'Bayesian chance to win, risk and credible interval: flat prior (the data alone).',
  );

  assert.match((await page.locator('#bayes table.catalog thead').textContent()) ?? '', /\(95% CI\)/);

  // A proper prior at alpha 0.1: the line names it, and the interval is a 90 % one.
  const analysis = { ...real.analysis!, prior: 'proper' as const, alpha: 0.1 };
  await resultsFixture(page, server, 'proper', { ...crafted, analysis });
  await page.locator('#proper [data-field=prior]').waitFor();
  assert.is(
    await text(page, '#proper [data-field=prior]'),
    "Bayesian chance to win, risk and credible interval: proper prior, N(0, 0.3²) on the relative effect (GrowthBook's default), which pulls small samples towards no change.",
  );
  assert.match(
    (await page.locator('#proper tr[data-metric=net_revenue] td[data-field=chance]').getAttribute('title')) ?? '',
    /^90% credible interval of the effect: \+2\.1% to \+18%\./,
  );
  // The effect's interval is at the same level: its column says so.
  assert.match((await page.locator('#proper table.catalog thead').textContent()) ?? '', /\(90% CI\)/);
});

test('results from an older server, without risk, interval or prior, show chance to win alone', async ({
  page,
  server,
}) => {
  const real = await fetchResults(server);
  const { prior: _prior, ...analysis } = real.analysis!;
  await resultsFixture(page, server, 'older', { ...real, analysis, catalog_metrics: [catalogMetric()] });
  await page.locator('#older tr[data-metric=net_revenue]').waitFor();
  assert.is(await text(page, '#older tr[data-metric=net_revenue] td[data-field=chance]'), '>99%');
  assert.is(await page.locator('#older tr[data-metric=net_revenue] td[data-field=chance]').getAttribute('title'), null);
  assert.is(await page.locator('#older [data-field=prior]').count(), 0);
  const footnote = ((await page.locator('#older p.footnote').last().textContent()) ?? '').replace(/\s+/g, ' ');
  assert.match(footnote, /chance to win reads the metric's direction; CUPED/);
  assert.not.match(footnote, /risk/);
});

run();
