/**
 * The components in real headless Chromium against a real server with known data: every view shows the figures
 * the data implies, tabs work by mouse and keyboard, and a wrong token or an unreachable server says so.
 */
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { compareVariants, type ExperimentResults } from '@ab-calicritters/core';
import { formatCount, formatLift, formatPValue, formatPercent } from '../src/shared/format.js';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { expectedDaily, expectedExperiment, expectedFunnel } from './helpers/demo-data.js';
import { DASHBOARD_TOKEN } from './helpers/demo-server.js';

const { test, run } = browserSuite('dashboard in Chromium');

/** Per variant of the results shown in `host`: the verdict's outcome, the lift cell's colour and the interval bar's. */
async function outcomesAndColours(page: Page, host: string) {
  const variants = await page
    .locator(`${host} .verdict`)
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-variant')!));
  const seen: Array<{ variant: string; verdict: string | null; row: string | null; cell: string; bar: string }> = [];
  const tone = (classes: string | null) =>
    (classes ?? '')
      .split(/\s+/)
      .filter((c) => c === 'positive' || c === 'negative')
      .join(' ');
  for (const variant of variants) {
    seen.push({
      variant,
      verdict: await page.locator(`${host} .verdict[data-variant="${variant}"]`).getAttribute('data-outcome'),
      row: await page.locator(`${host} tr[data-variant="${variant}"]`).getAttribute('data-outcome'),
      cell: tone(
        await page
          .locator(`${host} tr[data-variant="${variant}"] [data-field=lift] > span`)
          .first()
          .getAttribute('class'),
      ),
      bar: tone(await page.locator(`${host} tr[data-variant="${variant}"] .ci-bar .range`).getAttribute('class')),
    });
  }
  return seen;
}

/** Fails unless every lift is coloured as its verdict says: positive for better, negative for worse, else none. */
function assertColoursMatchVerdicts(seen: Awaited<ReturnType<typeof outcomesAndColours>>): void {
  const expected = { better: 'positive', worse: 'negative', inconclusive: '', no_data: '' } as Record<string, string>;
  assert.ok(seen.length > 0, 'verdicts are shown');
  for (const s of seen) {
    assert.is(s.row, s.verdict, `${s.variant}: the row and the verdict carry one outcome`);
    assert.is(s.cell, expected[s.verdict!], `${s.variant}: lift cell coloured as the verdict (${s.verdict}) says`);
    assert.is(s.bar, expected[s.verdict!], `${s.variant}: interval bar coloured as the verdict (${s.verdict}) says`);
  }
}

test('the page asks for the token, sends a wrong one back with a 401 note, then shows the overview', async ({
  page,
  server,
}) => {
  await page.goto(`${server.baseUrl}/dashboard`);
  await page.locator('#token-form').waitFor();
  assert.ok(await page.locator('abc-dashboard').isHidden(), 'no dashboard before a token');
  await page.fill('#token-input', 'not-the-right-token');
  await page.click('#token-form button[type=submit]');
  await page.locator('#token-error').filter({ hasText: '401' }).waitFor();
  assert.ok(await page.locator('#token-form').isVisible());
  assert.is(
    await page.evaluate(() => sessionStorage.getItem('abc-dashboard-token')),
    null,
    'a refused token is not kept',
  );

  await page.fill('#token-input', DASHBOARD_TOKEN);
  await page.click('#token-form button[type=submit]');
  await page.locator('abc-daily-metrics [data-kpi=events]').waitFor();
  assert.is(await page.evaluate(() => sessionStorage.getItem('abc-dashboard-token')), DASHBOARD_TOKEN);
  await page.reload();
  await page.locator('abc-daily-metrics [data-kpi=events]').waitFor();
  assert.ok(await page.locator('#token-form').isHidden(), 'the token survives a reload of the tab');
});

test('daily metrics show the events and unique users of every day, and the top events', async ({ page, server }) => {
  await fixture(page, server, `<abc-daily-metrics token="${DASHBOARD_TOKEN}" window-days="7"></abc-daily-metrics>`);
  await page.locator('abc-daily-metrics table.days tbody tr').first().waitFor({ state: 'attached' });
  const expected = expectedDaily(server.data);
  assert.is(expected.size, 7);
  for (const [day, figures] of expected) {
    assert.is(
      await text(page, `abc-daily-metrics tr[data-day="${day}"] [data-field=events]`),
      formatCount(figures.events),
      `events on ${day}`,
    );
    assert.is(
      await text(page, `abc-daily-metrics tr[data-day="${day}"] [data-field=unique-users]`),
      formatCount(figures.users),
      `users on ${day}`,
    );
  }
  const total = [...expected.values()].reduce((sum, d) => sum + d.events, 0);
  assert.is(await text(page, 'abc-daily-metrics [data-kpi=events]'), formatCount(total));
  const catches = server.data.events.filter((e) => e.name === 'catch_attempt').length;
  assert.is(await text(page, 'abc-daily-metrics table.top-events tbody tr:first-child td'), 'catch_attempt');
  assert.is(
    await text(page, 'abc-daily-metrics tr[data-event=catch_attempt] [data-field=events]'),
    formatCount(catches),
  );
  const drawn = await page.evaluate(() => {
    const canvas = document.querySelector('abc-daily-metrics')!.shadowRoot!.querySelector('canvas')!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, inked: pixels.some((v, i) => i % 4 === 3 && v > 0) };
  });
  assert.ok(drawn.width > 100 && drawn.inked, 'the line chart is drawn');

  // Moved in the page: the chart is destroyed on disconnect and made again on the same canvas, without errors.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.evaluate(
    `(() => { const el = document.querySelector('abc-daily-metrics'); el.remove(); document.body.prepend(el); })()`,
  );
  await page.waitForTimeout(100);
  const redrawn = await page.evaluate(`(() => {
    const canvas = document.querySelector('abc-daily-metrics').shadowRoot.querySelector('canvas');
    return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.some((v, i) => i % 4 === 3 && v > 0);
  })()`);
  assert.ok(redrawn, 'drawn again after being moved');
  assert.equal(errors, []);
});

test('experiment results: assigned users, conversion, lift verdict with CI and p-value per variant', async ({
  page,
  server,
}) => {
  await fixture(
    page,
    server,
    `<abc-experiment-results experiment-key="paywall_copy" token="${DASHBOARD_TOKEN}"></abc-experiment-results>`,
  );
  await page.locator('abc-experiment-results .verdict').first().waitFor();
  const expected = expectedExperiment(server.data, 'paywall_copy', 'purchase');
  for (const [variant, e] of expected) {
    assert.is(
      await text(page, `abc-experiment-results tr[data-variant=${variant}] [data-field=assigned]`),
      formatCount(e.assigned),
      `${variant} assigned`,
    );
    assert.is(
      await text(page, `abc-experiment-results tr[data-variant=${variant}] [data-field=converted]`),
      formatCount(e.converted),
    );
    assert.ok(
      (await text(page, `abc-experiment-results tr[data-variant=${variant}] [data-field=estimate]`)).startsWith(
        formatPercent(e.converted / e.assigned),
      ),
    );
  }
  const arm = (v: string) => ({ users: expected.get(v)!.assigned, conversions: expected.get(v)!.converted });
  // As the server computes them: sequential (the default for results read again and again), every variant.
  const stats = compareVariants({
    metric_type: 'conversion',
    control: arm('control'),
    variants: [arm('urgency'), arm('social_proof')],
    weights: [0.34, 0.33, 0.33],
    method: 'sequential',
  }).variants[0]!;
  assert.ok(stats.adjusted_p_value! < 0.05, 'the demo data has a significant lift, even adjusted and sequential');
  const verdict = await text(page, 'abc-experiment-results .verdict[data-variant=urgency]');
  assert.ok(
    verdict.includes(
      `urgency beats control on purchase: ${formatLift(stats.lift)} (95% CI ${formatLift(stats.lift_ci_lower)} to ${formatLift(stats.lift_ci_upper)}), p = ${formatPValue(stats.p_value)} (${formatPValue(stats.adjusted_p_value)} adjusted for 2 variants)`,
    ),
    verdict,
  );
  assert.match(verdict, /\d+% chance to beat control$/);
  assert.is(
    await text(page, 'abc-experiment-results tr[data-variant=urgency] [data-field=p-value]'),
    formatPValue(stats.p_value),
  );
  assert.is(await page.locator('abc-experiment-results [data-srm]').count(), 0, 'no SRM banner for a fair split');
  const colours = await outcomesAndColours(page, 'abc-experiment-results');
  assert.is(colours.find((c) => c.variant === 'urgency')?.cell, 'positive');
  assertColoursMatchVerdicts(colours);

  // Another metric, picked in the component, is shown without a new request.
  await page.locator('abc-experiment-results select#metric').selectOption('tutorial_complete');
  await page.locator('abc-experiment-results .verdict').filter({ hasText: 'tutorial_complete' }).first().waitFor();
});

test('experiment results: a lift significant alone but not once adjusted for the other variants is neither green nor a win', async ({
  page,
  server,
}) => {
  // The real response, with the purchase comparison replaced by figures where urgency's lift interval sits above zero
  // and p < 0.05, but its p-value adjusted for the two variants is over 0.05: with more arms one of them looks good by
  // chance more often, so the verdict is "No significant difference yet" and the cell is not coloured positive.
  const response = await fetch(`${server.baseUrl}/v1/metrics/experiments?window_days=7&experiment_key=paywall_copy`, {
    headers: { 'x-dashboard-token': DASHBOARD_TOKEN },
  });
  const real = (await response.json()) as ExperimentResults;
  const purchase = real.metrics.find((m) => m.metric === 'purchase')!;
  const conversion = {
    ...compareVariants({
      metric_type: 'conversion',
      control: { users: 1000, conversions: 100 },
      variants: [
        { users: 1000, conversions: 135 },
        { users: 1000, conversions: 98 },
      ],
    }),
    variant_keys: ['urgency', 'social_proof'],
  };
  const urgency = conversion.variants[0]!;
  assert.ok(
    urgency.p_value! < 0.05 && urgency.lift_ci_lower! > 0 && urgency.adjusted_p_value! >= 0.05,
    'the case under test',
  );
  const crafted: ExperimentResults = { ...real, metrics: [{ ...purchase, conversion }] };
  await fixture(
    page,
    server,
    `<abc-experiment-results id="crafted" experiment-key="paywall_copy"></abc-experiment-results>`,
  );
  await page.evaluate(`document.getElementById('crafted').api = {
    experiment() { return Promise.resolve(${JSON.stringify(crafted)}); },
  }`);
  await page.locator('#crafted .verdict').first().waitFor();
  assert.match(
    await text(page, '#crafted .verdict[data-variant=urgency]'),
    /No significant difference yet between urgency and control on purchase/,
  );
  const colours = await outcomesAndColours(page, '#crafted');
  assert.equal(
    colours.map((c) => [c.variant, c.verdict, c.cell]),
    [
      ['urgency', 'inconclusive', ''],
      ['social_proof', 'inconclusive', ''],
    ],
  );
  assertColoursMatchVerdicts(colours);
});

test('experiment results: an SRM banner when the split is off, an empty state without assigned users', async ({
  page,
  server,
}) => {
  await fixture(
    page,
    server,
    `<abc-experiment-results experiment-key="icon_refresh" token="${DASHBOARD_TOKEN}"></abc-experiment-results>
     <abc-experiment-results experiment-key="checkout_redesign" token="${DASHBOARD_TOKEN}"></abc-experiment-results>`,
  );
  const banner = page.locator('abc-experiment-results[experiment-key=icon_refresh] [data-srm]');
  await banner.waitFor();
  assert.match((await banner.textContent()) ?? '', /Sample ratio mismatch/);
  await page.locator('abc-experiment-results[experiment-key=checkout_redesign] .state.empty').waitFor();
  assert.match(
    await text(page, 'abc-experiment-results[experiment-key=checkout_redesign] .state.empty'),
    /No data yet/,
  );
});

test('experiment results: the deprecated experiment-id attribute and experimentId property still pick the experiment by key', async ({
  page,
  server,
}) => {
  await fixture(
    page,
    server,
    `<abc-experiment-results id="old" experiment-id="paywall_copy" token="${DASHBOARD_TOKEN}"></abc-experiment-results>`,
  );
  await page.locator('#old .verdict').first().waitFor();
  assert.is(await page.evaluate(`document.getElementById('old').experimentKey`), 'paywall_copy');
  const expected = expectedExperiment(server.data, 'paywall_copy', 'purchase');
  assert.is(
    await text(page, '#old tr[data-variant=control] [data-field=assigned]'),
    formatCount(expected.get('control')!.assigned),
  );
  assert.match(await text(page, '#old .subtitle'), /users assigned in the/);

  await page.evaluate(`document.getElementById('old').experimentId = 'icon_refresh'`);
  await page.locator('#old [data-srm]').waitFor();
  assert.is(await page.evaluate(`document.getElementById('old').experimentKey`), 'icon_refresh');
  await page.evaluate(`document.getElementById('old').setAttribute('experiment-id', 'checkout_redesign')`);
  await page.locator('#old .state.empty').waitFor();
  assert.is(await page.evaluate(`document.getElementById('old').experimentId`), 'checkout_redesign');
});

test('the dashboard opens the experiment named by experiment-key (or the deprecated experiment-id) and reports picks under both names', async ({
  page,
  server,
}) => {
  await fixture(
    page,
    server,
    `<abc-dashboard id="new" tab="experiments" experiment-key="icon_refresh" token="${DASHBOARD_TOKEN}"></abc-dashboard>
     <abc-dashboard id="old" tab="experiments" experiment-id="icon_refresh" token="${DASHBOARD_TOKEN}"></abc-dashboard>`,
  );
  for (const id of ['new', 'old']) {
    await page.locator(`#${id} abc-experiment-results[experiment-key=icon_refresh] [data-srm]`).waitFor();
    assert.is(await page.evaluate(`document.getElementById('${id}').experimentKey`), 'icon_refresh', id);
  }
  const picked = page.evaluate(
    `new Promise((resolve) => document.getElementById('new').addEventListener('abc-experiment-select', (e) => resolve(e.detail), { once: true }))`,
  );
  await page.locator('#new button[data-experiment=paywall_copy]').click();
  assert.equal(await picked, { experimentKey: 'paywall_copy', experimentId: 'paywall_copy' });
  await page.locator('#new abc-experiment-results[experiment-key=paywall_copy] .verdict').first().waitFor();
  assert.is(await page.evaluate(`document.getElementById('new').experimentId`), 'paywall_copy');
});

test('funnel: users at every step and the conversion between steps', async ({ page, server }) => {
  await fixture(page, server, `<abc-funnel funnel-name="core_journey" token="${DASHBOARD_TOKEN}"></abc-funnel>`);
  await page.locator('abc-funnel table.funnel-table tbody tr').first().waitFor({ state: 'attached' });
  const users = expectedFunnel(server.data);
  for (const [i, n] of users.entries()) {
    assert.is(await text(page, `abc-funnel li.step[data-step="${i}"] [data-field=users]`), formatCount(n), `step ${i}`);
    if (i > 0) {
      assert.is(
        await text(page, `abc-funnel tr[data-step="${i}"] [data-field=from-previous]`),
        formatPercent(n / users[i - 1]!),
      );
      assert.is(
        await text(page, `abc-funnel tr[data-step="${i}"] [data-field=dropped]`),
        formatCount(users[i - 1]! - n),
      );
    }
  }
  assert.match(
    await text(page, 'abc-funnel [data-field=overall]'),
    new RegExp(`^${formatPercent(users[3]! / users[0]!).replace('.', '\\.')}`),
  );
});

test('benchmarks: baseline against post-mitigation per endpoint, data-check changes, run history', async ({
  page,
  server,
}) => {
  await fixture(page, server, `<abc-benchmarks token="${DASHBOARD_TOKEN}"></abc-benchmarks>`);
  await page.locator('abc-benchmarks table.endpoints tbody tr').first().waitFor();
  const rps = await text(page, 'abc-benchmarks tr[data-endpoint="POST /v1/events"] [data-field=rps]');
  assert.match(rps, /^1,415 to 2,480 \+75%$/, rps);
  assert.match(
    await text(page, 'abc-benchmarks tr[data-endpoint="POST /v1/events"] [data-field=p99]'),
    /^95\.4 ms to 38\.2 ms −57\.2 ms \(−60%\)$/,
  );
  assert.match(
    await text(page, 'abc-benchmarks tr[data-endpoint="POST /v1/events"] [data-field=error-rate]'),
    /^0\.40% to 0\.00% −0\.40 pp$/,
  );
  assert.is(await text(page, 'abc-benchmarks tr[data-check=sticky_conflicts] [data-field=change]'), 'fixed');
  assert.is(await text(page, 'abc-benchmarks tr[data-check=duplicate_event_ids] [data-field=change]'), 'unchanged');
  assert.is(await page.locator('abc-benchmarks table.history tbody tr').count(), 2);
  assert.is(await text(page, 'abc-benchmarks .run[data-phase=baseline] [data-field=checks]'), '4/5');
  assert.is(await text(page, 'abc-benchmarks .run[data-phase=post_mitigation] [data-field=rps]'), '8,160');

  // Both bar charts are drawn; moved in the page, each is destroyed and made again on its canvas, without errors.
  const inked = (id: string) =>
    page.evaluate(`(() => {
      const canvas = document.querySelector('abc-benchmarks').shadowRoot.querySelector('canvas[data-chart="${id}"]');
      return canvas.width > 100 && canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.some((v, i) => i % 4 === 3 && v > 0);
    })()`);
  await page.waitForFunction(
    `document.querySelector('abc-benchmarks').shadowRoot.querySelector('canvas[data-chart="p99"]').width > 100`,
  );
  assert.ok(await inked('rps'), 'the throughput chart is drawn');
  assert.ok(await inked('p99'), 'the latency chart is drawn');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.evaluate(
    `(() => { const el = document.querySelector('abc-benchmarks'); el.remove(); document.body.prepend(el); })()`,
  );
  await page.waitForTimeout(100);
  assert.ok((await inked('rps')) && (await inked('p99')), 'both drawn again after being moved');
  assert.equal(errors, []);
});

test('benchmarks: runs made alike show no warning; warnings of the comparison are listed', async ({ page, server }) => {
  await fixture(page, server, `<abc-benchmarks token="${DASHBOARD_TOKEN}"></abc-benchmarks>`);
  await page.locator('abc-benchmarks table.endpoints tbody tr').first().waitFor();
  assert.is(await page.locator('abc-benchmarks [data-field=comparison-warnings]').count(), 0);

  // The server computes the warnings (load-test-compare.test.ts); here the tab must show what it is given.
  const warnings = [
    { code: 'different_duration', message: 'the runs lasted 62.0 s (baseline) and 5.0 s (candidate): …' },
    { code: 'baseline_newer', message: 'the baseline started after the candidate: …' },
  ];
  await page.route('**/v1/metrics/load-tests/compare?*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...((await response.json()) as object), warnings } });
  });
  try {
    await fixture(page, server, `<abc-benchmarks token="${DASHBOARD_TOKEN}"></abc-benchmarks>`);
    await page.locator('abc-benchmarks [data-field=comparison-warnings]').waitFor();
    assert.equal(
      await page
        .locator('abc-benchmarks [data-field=comparison-warnings] li')
        .evaluateAll((items) => items.map((li) => [li.getAttribute('data-code'), li.textContent])),
      warnings.map((w) => [w.code, w.message]),
    );
  } finally {
    await page.unroute('**/v1/metrics/load-tests/compare?*');
  }
});

test('tabs switch by click and by keyboard (arrows, Home, End) with tablist roles and events', async ({
  page,
  server,
}) => {
  await fixture(page, server, `<abc-dashboard token="${DASHBOARD_TOKEN}"></abc-dashboard>`);
  await page.evaluate(() => {
    (window as unknown as { tabs: string[] }).tabs = [];
    document
      .querySelector('abc-dashboard')!
      .addEventListener('abc-tab-change', (e) =>
        (window as unknown as { tabs: string[] }).tabs.push((e as CustomEvent<{ tab: string }>).detail.tab),
      );
  });
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  assert.is(await page.locator('abc-dashboard [role=tablist] [role=tab]').count(), 5);
  const selected = () => page.locator('abc-dashboard [role=tab][aria-selected=true]').getAttribute('id');
  const focused = () => page.evaluate(() => document.querySelector('abc-dashboard')!.shadowRoot!.activeElement?.id);

  await page.locator('abc-dashboard [role=tab]#tab-experiments').click();
  assert.is(await selected(), 'tab-experiments');
  assert.ok(await page.locator('abc-dashboard #panel-experiments').isVisible());
  assert.ok(await page.locator('abc-dashboard #panel-overview').isHidden());
  await page.locator('abc-dashboard abc-experiment-results .verdict').first().waitFor();

  await page.keyboard.press('ArrowRight');
  assert.is(await selected(), 'tab-funnels');
  assert.is(await focused(), 'tab-funnels');
  await page.locator('abc-dashboard abc-funnel li.step').first().waitFor();
  await page.keyboard.press('End');
  assert.is(await selected(), 'tab-manage');
  await page.keyboard.press('Home');
  assert.is(await selected(), 'tab-overview');
  await page.keyboard.press('ArrowLeft');
  assert.is(await selected(), 'tab-manage');
  await page.keyboard.press('ArrowLeft');
  assert.is(await selected(), 'tab-benchmarks');
  assert.is(await focused(), 'tab-benchmarks');
  assert.is(await page.locator('abc-dashboard [role=tab][tabindex="0"]').count(), 1, 'one tab stop');
  assert.equal(await page.evaluate(() => (window as unknown as { tabs: string[] }).tabs), [
    'experiments',
    'funnels',
    'manage',
    'overview',
    'manage',
    'benchmarks',
  ]);
  await page.locator('abc-dashboard #panel-benchmarks abc-benchmarks table.endpoints').waitFor();
});

test('one API client: the dashboard makes it from its attributes, hands it to every view, and remakes it for a new token', async ({
  page,
  server,
}) => {
  await fixture(page, server, `<abc-dashboard token="${DASHBOARD_TOKEN}"></abc-dashboard>`);
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  await page.locator('abc-dashboard [role=tab]#tab-experiments').click();
  await page.locator('abc-dashboard abc-experiment-results .verdict').first().waitFor();
  const shared = await page.evaluate(`(() => {
    const root = document.querySelector('abc-dashboard').shadowRoot;
    window.firstClient = root.querySelector('abc-daily-metrics').api;
    return window.firstClient === root.querySelector('abc-experiment-results').api && typeof window.firstClient.daily === 'function';
  })()`);
  assert.ok(shared, 'the overview and the experiment results share one client');
  await page.evaluate(`document.querySelector('abc-dashboard').refresh()`);
  await page.locator('abc-dashboard abc-experiment-results .verdict').first().waitFor();
  assert.ok(
    await page.evaluate(
      `document.querySelector('abc-dashboard').shadowRoot.querySelector('abc-daily-metrics').api === window.firstClient`,
    ),
    'kept across a refresh',
  );
  await page.evaluate(`document.querySelector('abc-dashboard').token = 'another-token-123'`);
  await page.locator('abc-dashboard #panel-experiments .state.error[data-kind=unauthorized]').waitFor();
  await page.locator('abc-dashboard [role=tab]#tab-overview').click();
  await page.evaluate(`document.querySelector('abc-dashboard').token = '${DASHBOARD_TOKEN}'`);
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  const remade = await page.evaluate(`(() => {
    const api = document.querySelector('abc-dashboard').shadowRoot.querySelector('abc-daily-metrics').api;
    return typeof api.daily === 'function' && api !== window.firstClient;
  })()`);
  assert.ok(remade, 'a new token means a new client');
});

test('a wrong token shows the 401 state; an unreachable server a network error; a pending request loading', async ({
  page,
  server,
}) => {
  await fixture(
    page,
    server,
    `<abc-daily-metrics token="wrong-token-123"></abc-daily-metrics>
     <abc-dashboard token="wrong-token-123"></abc-dashboard>
     <abc-funnel funnel-name="core_journey" api-base-url="http://127.0.0.1:1" token="${DASHBOARD_TOKEN}"></abc-funnel>
     <abc-benchmarks id="pending"></abc-benchmarks>`,
  );
  // A string, not a function: tsx would wrap a function's inner arrows in a helper the page does not have.
  await page.evaluate(`document.getElementById('pending').api = {
    loadTestLatest() { return new Promise(function () {}); },
    loadTestRuns() { return new Promise(function () {}); },
  }`);
  const unauthorized = page.locator('abc-daily-metrics .state.error[data-kind=unauthorized]');
  await unauthorized.waitFor();
  assert.match((await unauthorized.textContent()) ?? '', /The dashboard token is wrong/);
  await page.locator('abc-dashboard .state.error[data-kind=unauthorized]').waitFor();
  const network = page.locator('abc-funnel .state.error[data-kind=network]');
  await network.waitFor();
  assert.match((await network.textContent()) ?? '', /Network error/);
  assert.match(await text(page, '#pending .state.loading'), /Loading/);
});

run();
