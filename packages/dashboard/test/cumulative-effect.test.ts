import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import {
  SOCIAL_PROOF_SERIES,
  URGENCY_SERIES,
  catalogMetric,
  catalogMetricWithSeries,
  catalogVariant,
} from './helpers/catalog-fixtures.js';
import { browserSuite, fixture, resultsFixture, text } from './helpers/browser-suite.js';
import { fetchResults } from './helpers/demo-server.js';
// Types only (the page runs the bundle): the element's tag in querySelector, its chart and metric.
import type {} from '../src/components/cumulative-effect/cumulative-effect.js';

const { test, run } = browserSuite('cumulative effect chart in Chromium');

/** Places one chart with `metric` and the given attributes, and waits for it to render. */
async function chartOf(page: Page, metric: CatalogMetricResult, attributes = ''): Promise<void> {
  await page.evaluate(
    ([m, a]) => {
      document.body.innerHTML = `<abc-cumulative-effect id="chart" control="control" ${a}></abc-cumulative-effect>`;
      (document.getElementById('chart') as HTMLElement & { metric: unknown }).metric = m;
    },
    [metric, attributes] as const,
  );
  await page.locator('#chart figure').waitFor();
  await page.waitForFunction(() => {
    const element = document.querySelector('abc-cumulative-effect');
    return !element?.shadowRoot?.querySelector('canvas') || element.chart !== undefined;
  });
}

/** What the live chart holds: labels, each dataset's data and style, the y range. */
const drawn = (page: Page) =>
  page.evaluate(() => {
    const chart = document.querySelector('abc-cumulative-effect')!.chart!;
    const y = chart.options.scales!.y as { min: number; max: number };
    return {
      labels: chart.data.labels,
      y: [y.min, y.max],
      datasets: chart.data.datasets.map((d) => ({
        label: d.label,
        data: d.data,
        borderColor: d.borderColor,
        backgroundColor: d.backgroundColor,
        borderDash: (d as { borderDash?: number[] }).borderDash,
        fill: (d as { fill?: unknown }).fill,
      })),
    };
  });

const percents = (series: typeof URGENCY_SERIES, pick: (p: (typeof URGENCY_SERIES)[number]) => number | null) =>
  series.map((p) => {
    const x = pick(p);
    return x === null ? null : Number((x * 100).toPrecision(12));
  });

test('a line and a band per variant, in the variant colours, on a percent axis around zero', async ({
  page,
  server,
}) => {
  await fixture(page, server, '');
  await chartOf(page, catalogMetricWithSeries());
  const chart = await drawn(page);
  assert.equal(chart.labels, ['Nov 24', 'Nov 25', 'Nov 26', 'Nov 27', 'Nov 28']);
  assert.equal(
    chart.datasets.map((d) => d.label),
    [
      'urgency upper bound',
      'urgency lower bound',
      'urgency',
      'social_proof upper bound',
      'social_proof lower bound',
      'social_proof',
    ],
  );
  for (const [i, series] of [URGENCY_SERIES, SOCIAL_PROOF_SERIES].entries()) {
    const [upper, lower, line] = chart.datasets.slice(i * 3, i * 3 + 3);
    assert.equal(
      line?.data,
      percents(series, (p) => p.relative_effect),
    );
    assert.equal(
      upper?.data,
      percents(series, (p) => p.relative_ci?.[1] ?? null),
    );
    assert.equal(
      lower?.data,
      percents(series, (p) => p.relative_ci?.[0] ?? null),
    );
    // The band is the lower bound filled up to the upper one.
    assert.equal([upper?.fill, lower?.fill, line?.fill], [false, '-1', false]);
  }
  // The theme's chart colours by place in the definition: control indigo (1), urgency teal (2), social_proof amber (3).
  assert.equal(
    chart.datasets.map((d) => [d.borderColor, d.backgroundColor]),
    [
      ['transparent', undefined],
      ['transparent', 'rgba(30, 163, 184, 0.18)'],
      ['#1ea3b8', '#1ea3b8'],
      ['transparent', undefined],
      ['transparent', 'rgba(224, 138, 44, 0.18)'],
      ['#e08a2c', '#e08a2c'],
    ],
  );
  // Zero and the settled days fit; the second day's −150 % … +250 % runs past the edge, and the caption says so.
  assert.equal(chart.y, [-50, 100]);
  assert.equal(
    await page
      .locator('#chart .legend li')
      .allTextContents()
      .then((t) => t.map((s) => s.trim())),
    ['urgency', 'social_proof'],
  );
  const caption = await text(page, '#chart [data-field=caption]');
  assert.match(caption, /95 % always-valid interval \(sequential\)/);
  assert.match(caption, /The first days, on few users, run past the axis/);
  assert.not.match(caption, /below zero/);
  // The same figures as a table, for readers who cannot see the chart.
  assert.is(await page.locator('#chart table.days tbody tr').count(), 10);
});

test('the tooltip gives each variant its effect, interval and users so far', async ({ page, server }) => {
  await fixture(page, server, '');
  await chartOf(page, catalogMetricWithSeries());
  const tooltip = await page.evaluate(() => {
    const chart = document.querySelector('abc-cumulative-effect')!.chart!;
    const point = chart.getDatasetMeta(2).data[4]!;
    chart.tooltip!.setActiveElements(
      [
        { datasetIndex: 2, index: 4 },
        { datasetIndex: 5, index: 4 },
      ],
      { x: point.x, y: point.y },
    );
    chart.update();
    return { title: chart.tooltip!.title, lines: chart.tooltip!.body.flatMap((b) => b.lines) };
  });
  assert.equal(tooltip.title, ['Nov 28: users exposed so far']);
  assert.equal(
    tooltip.lines.map((l) => l.trim()),
    [
      'urgency: +20% (+10% to +30%)',
      '120 users vs 118 in control',
      'social_proof: +1.0% (−12% to +14%)',
      '115 users vs 118 in control',
    ],
  );
});

test('a fixed-horizon band is dashed and lighter, and the caption says it holds only at the planned end', async ({
  page,
  server,
}) => {
  await fixture(page, server, '');
  await chartOf(page, catalogMetricWithSeries({ direction: 'lower' }), 'method="fixed" alpha="0.1"');
  const chart = await drawn(page);
  assert.equal(chart.datasets[0]?.borderDash, [5, 4]);
  assert.equal(chart.datasets[1]?.backgroundColor, 'rgba(30, 163, 184, 0.08)');
  assert.equal(chart.datasets[2]?.borderDash, undefined, 'the effect line stays solid');
  const caption = await text(page, '#chart [data-field=band]');
  assert.match(caption, /90 % fixed-horizon interval — valid only at the planned end/);
  assert.match(await text(page, '#chart [data-field=direction]'), /below zero is an improvement/);
});

test('no series, no days or one day: a short message instead of a chart', async ({ page, server }) => {
  await fixture(page, server, '');
  const cases: Array<[CatalogMetricResult, string, RegExp]> = [
    [catalogMetric(), 'no-series', /does not send them/],
    [catalogMetric({ variants: [catalogVariant({ series: [] })] }), 'empty', /nobody has been exposed/],
    [
      catalogMetric({ variants: [catalogVariant({ series: URGENCY_SERIES.slice(4) })] }),
      'one-day',
      /at least two days/,
    ],
    [
      catalogMetric({
        variants: [
          catalogVariant({ series: URGENCY_SERIES.slice(0, 1).concat({ ...URGENCY_SERIES[0]!, day: '2026-11-25' }) }),
        ],
      }),
      'no-estimates',
      /Too few users/,
    ],
  ];
  for (const [metric, state, message] of cases) {
    await chartOf(page, metric);
    assert.is(await page.locator('#chart [data-state]').getAttribute('data-state'), state);
    assert.match(await text(page, '#chart .message'), message);
    assert.is(await page.locator('#chart canvas').count(), 0, state);
    assert.ok(await page.evaluate(() => document.querySelector('abc-cumulative-effect')!.chart === undefined), state);
  }
});

test('new data refills the same chart; leaving the page destroys it; coming back draws it again', async ({
  page,
  server,
}) => {
  await fixture(page, server, '');
  await chartOf(page, catalogMetricWithSeries());
  const shorter = catalogMetricWithSeries({
    variants: [catalogVariant({ series: URGENCY_SERIES.slice(2) })],
  });
  const refilled = await page.evaluate(async (metric) => {
    const element = document.querySelector('abc-cumulative-effect')!;
    const before = element.chart;
    element.metric = metric;
    await element.updateComplete;
    return {
      same: element.chart === before,
      labels: element.chart!.data.labels,
      sets: element.chart!.data.datasets.length,
    };
  }, shorter);
  assert.equal(refilled, { same: true, labels: ['Nov 26', 'Nov 27', 'Nov 28'], sets: 3 });
  const lifecycle = await page.evaluate(async () => {
    const element = document.querySelector('abc-cumulative-effect')!;
    const old = element.chart!;
    element.remove();
    const destroyed = old.canvas === null && element.chart === undefined;
    document.body.append(element);
    await element.updateComplete;
    return { destroyed, again: element.chart !== undefined && element.chart !== old };
  });
  assert.equal(lifecycle, { destroyed: true, again: true });
});

test('results page: Trend under a catalog metric fetches the series once and shows the chart', async ({
  page,
  server,
}) => {
  const real = await fetchResults(server);
  const withSeries: ExperimentResults = { ...real, method: 'sequential', catalog_metrics: [catalogMetricWithSeries()] };
  const without: ExperimentResults = { ...real, catalog_metrics: [catalogMetric()] };
  await fixture(
    page,
    server,
    `<abc-experiment-results id="page" experiment-key="paywall_copy"></abc-experiment-results>`,
  );
  await page.evaluate(
    ([a, b]) => {
      const calls: unknown[] = [];
      (window as unknown as { calls: unknown[] }).calls = calls;
      (document.getElementById('page') as HTMLElement & { api: unknown }).api = {
        experiment(_key: string, _days: number, _signal: AbortSignal, options: { series?: string } = {}) {
          calls.push(options.series ?? null);
          return Promise.resolve(options.series ? a : b);
        },
      };
    },
    [withSeries, without] as const,
  );
  await page.locator('#page table.catalog tbody tr').first().waitFor();
  const calls = () => page.evaluate(() => (window as unknown as { calls: unknown[] }).calls);
  assert.equal(await calls(), [null], 'no series until a trend is open');
  // The variant's dot in the table has the colour of its line.
  assert.is(
    await page.locator('#page tr[data-variant=urgency] .dot').evaluate((d) => getComputedStyle(d).backgroundColor),
    'rgb(30, 163, 184)',
  );
  await page.locator('#page [data-trend=net_revenue]').click();
  await page.locator('#page tr[data-trend-for=net_revenue] abc-cumulative-effect canvas').waitFor();
  assert.equal(await calls(), [null, 'cumulative']);
  assert.is(await page.locator('#page [data-trend=net_revenue]').getAttribute('aria-expanded'), 'true');
  // Closed and opened again: the results already carry the series, so no request.
  await page.locator('#page [data-trend=net_revenue]').click();
  assert.is(await page.locator('#page tr[data-trend-for]').count(), 0);
  await page.locator('#page [data-trend=net_revenue]').click();
  await page.locator('#page tr[data-trend-for=net_revenue] abc-cumulative-effect canvas').waitFor();
  assert.equal(await calls(), [null, 'cumulative']);
});

test('results page on a phone: the chart goes under the table at the card width, not into the scrolling table', async ({
  page,
  server,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const real = await fetchResults(server);
  const crafted: ExperimentResults = { ...real, catalog_metrics: [catalogMetricWithSeries()] };
  await resultsFixture(page, server, 'phone', crafted);
  await page.locator('#phone[narrow] [data-trend=net_revenue]').click();
  const canvas = page.locator('#phone .trend-block[data-trend-for=net_revenue] abc-cumulative-effect canvas');
  await canvas.waitFor();
  assert.is(await page.locator('#phone tr[data-trend-for]').count(), 0);
  const card = (await page.locator('#phone .card').boundingBox())!;
  const chart = (await canvas.boundingBox())!;
  assert.ok(chart.x >= card.x && chart.x + chart.width <= card.x + card.width, JSON.stringify({ card, chart }));
});

test('results page: a server that sends no series gets a note under the metric, no error', async ({ page, server }) => {
  const real = await fetchResults(server);
  const old: ExperimentResults = { ...real, catalog_metrics: [catalogMetric()] };
  await resultsFixture(page, server, 'live', old);
  await page.locator('#live [data-trend=net_revenue]').click();
  await page.locator('#live abc-cumulative-effect [data-state=no-series]').waitFor();
  assert.is(await page.locator('#live .state.error').count(), 0);
  assert.is(await page.locator('#live table.catalog tbody tr[data-metric]').count(), 1);
});

run();
