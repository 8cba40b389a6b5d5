/**
 * `pnpm docs:screenshots`: regenerates docs/images/dashboard-{overview,experiments,funnels,benchmarks,mobile}.png,
 * dashboard-freshness.png (the header's freshness line, opened), dashboard-experiment-trend.png (a catalog metric's
 * cumulative effect chart, opened under its rows), dashboard-manage{,-error}.png and dashboard-rules.png (an
 * experiment's rules panel) from the real dashboard page in headless Chromium, served by a real server over
 * the demo data set (see test/helpers); the mobile one at 390 px wide.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, hasChromium, launchChromium } from '../test/helpers/browser.js';
import { ADMIN_TOKEN, startDemoServer } from '../test/helpers/demo-server.js';
import { admin, showcaseCatalog } from './demo-catalog.js';

// SCREENSHOT_DIR writes them elsewhere (e.g. to compare with the committed ones first).
const outDir = process.env.SCREENSHOT_DIR
  ? `${process.env.SCREENSHOT_DIR.replace(/\/+$/, '')}/`
  : fileURLToPath(new URL('../../../docs/images/', import.meta.url));

const VIEWS = [
  { tab: 'overview', ready: 'abc-daily-metrics [data-kpi=events]' },
  { tab: 'experiments', ready: 'abc-experiment-results .verdict' },
  { tab: 'funnels', ready: 'abc-funnel li.step' },
  { tab: 'benchmarks', ready: 'abc-benchmarks table.endpoints' },
] as const;

/** The catalog metric whose trend the results screenshot opens. */
const TREND_METRIC = 'revenue';

if (!hasChromium()) {
  console.error(`Screenshots need Chromium at ${CHROMIUM}.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
if (process.env.SCREENSHOT_DIR) console.log(`writing to ${outDir} instead of docs/images/`);
const [server, browser] = await Promise.all([startDemoServer({ injectToken: true }), launchChromium()]);
try {
  const page = await browser.newPage({
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  page.setDefaultTimeout(15_000);
  // The showcase experiment's results include its catalog metrics over exposed users.
  await showcaseCatalog(server);
  await page.goto(`${server.baseUrl}/dashboard`);
  await page.locator('abc-dashboard').waitFor();
  // The demo's showcase experiment, whatever order the definitions were stored in.
  await page.evaluate(`document.querySelector('abc-dashboard').experimentKey = 'paywall_copy'`);
  for (const view of VIEWS) {
    await page.locator(`abc-dashboard [role=tab]#tab-${view.tab}`).click();
    await page.locator(`abc-dashboard ${view.ready}`).first().waitFor();
    // Let chart.js lay out after the panel became visible.
    await page.waitForTimeout(400);
    const file = `${outDir}dashboard-${view.tab}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote docs/images/dashboard-${view.tab}.png`);
  }
  // A catalog metric's trend opened under its rows: the effect day by day with the always-valid band. A tall
  // viewport holds the whole results card, so the picture is cut from the title of the table to the chart.
  await page.setViewportSize({ width: 1360, height: 2600 });
  await page.locator('abc-dashboard [role=tab]#tab-experiments').click();
  const results = page.locator('abc-dashboard abc-experiment-results');
  await results.locator(`[data-trend=${TREND_METRIC}]`).click();
  await results.locator(`tr[data-trend-for=${TREND_METRIC}] abc-cumulative-effect canvas`).waitFor();
  // Away from the toggle, so it is not drawn hovered.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  const from = (await results.locator('.catalog-title').boundingBox())!;
  const to = (await results.locator(`tr[data-trend-for=${TREND_METRIC}]`).boundingBox())!;
  const card = (await results.boundingBox())!;
  await page.screenshot({
    path: `${outDir}dashboard-experiment-trend.png`,
    clip: { x: card.x, y: from.y - 12, width: card.width, height: to.y + to.height - from.y + 24 },
  });
  console.log('wrote docs/images/dashboard-experiment-trend.png');
  await results.locator(`[data-trend=${TREND_METRIC}]`).click();
  await page.setViewportSize({ width: 1360, height: 900 });

  // The freshness line under the title, opened onto each rollup job (the demo's rollups ran just now, on a
  // five-minute schedule).
  await page.locator('abc-dashboard [role=tab]#tab-overview').click();
  await page.evaluate(`document.querySelector('abc-dashboard').rollupInterval = 5`);
  await page.locator('abc-dashboard [data-freshness] summary').click();
  await page.locator('abc-dashboard [data-freshness] li[data-job=funnels]').waitFor();
  await page.screenshot({ path: `${outDir}dashboard-freshness.png`, clip: { x: 0, y: 0, width: 760, height: 250 } });
  console.log('wrote docs/images/dashboard-freshness.png');
  await page.locator('abc-dashboard [data-freshness] summary').click();

  // A phone (390 px): the tabs wrap and wide tables scroll inside their cards.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('abc-dashboard [role=tab]#tab-overview').click();
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${outDir}dashboard-mobile.png`, fullPage: true });
  console.log('wrote docs/images/dashboard-mobile.png');

  // The Manage tab, unlocked with the admin token; then the editor with the server's messages at two weights.
  await page.setViewportSize({ width: 1360, height: 900 });
  const manager = 'abc-dashboard abc-experiment-manager';
  await page.locator('abc-dashboard [role=tab]#tab-manage').click();
  await page.locator(`${manager} #admin-token`).fill(ADMIN_TOKEN);
  await page.locator(`${manager} #admin-token-form button[type=submit]`).click();
  await page.locator(`${manager} tr[data-experiment=paywall_copy]`).waitFor();
  await page.screenshot({ path: `${outDir}dashboard-manage.png`, fullPage: true });
  console.log('wrote docs/images/dashboard-manage.png');
  const editor = `${manager} abc-experiment-editor`;
  await page.locator(`${manager} #new-experiment`).click();
  await page.locator(`${editor} #key`).fill('streak_reminder');
  await page.locator(`${editor} #name`).fill('Streak reminder push');
  await page.locator(`${editor} #coverage`).fill('0.8');
  await page.locator(`${editor} #variant-key-1`).fill('gentle_nudge');
  await page.locator(`${editor} #variant-weight-0`).fill('1.5');
  await page.locator(`${editor} #variant-weight-1`).fill('-0.5');
  await page.locator(`${editor} button[type=submit]`).click();
  await page.locator(`${editor} .field-error[data-for="/variants/0/weight"]`).waitFor();
  await page.screenshot({ path: `${outDir}dashboard-manage-error.png`, fullPage: true });
  console.log('wrote docs/images/dashboard-manage-error.png');

  // The rules of a targeted, namespaced experiment with payloads, a holdout and QA overrides, released.
  await admin(server, 'PATCH', '/v1/admin/experiments/paywall_copy', {
    condition: { country: { $in: ['CA', 'US'] }, app_version: { $vgte: '3.2' }, platform: { $ne: 'web' } },
    namespace: ['paywall', 0, 0.6],
    variants: [
      { key: 'control', weight: 0.34, value: { headline: 'Go Pro', badge: null } },
      { key: 'urgency', weight: 0.33, value: { headline: 'Only 2 days left at this price', badge: 'timer' } },
      { key: 'social_proof', weight: 0.33, value: { headline: '12,000 trainers went Pro this week', badge: 'stars' } },
    ],
  });
  await admin(server, 'POST', '/v1/admin/holdouts', {
    key: 'long_run',
    name: 'Long-run holdout',
    share: 0.05,
    all_experiments: true,
  });
  for (const [user, variant] of [
    ['qa-pixel-8', 'urgency'],
    ['qa-iphone-15', 'social_proof'],
  ] as const)
    await admin(server, 'PUT', `/v1/admin/experiments/paywall_copy/overrides/${user}`, { variant, note: 'QA phone' });
  await admin(server, 'PATCH', '/v1/admin/experiments/paywall_copy', {
    status: 'released',
    released_variant: 'social_proof',
  });
  await page.goto(`${server.baseUrl}/dashboard`);
  await page.locator('abc-dashboard [role=tab]#tab-manage').click();
  await page.locator(`${manager} #admin-token`).fill(ADMIN_TOKEN);
  await page.locator(`${manager} #admin-token-form button[type=submit]`).click();
  await page.locator(`${manager} #rules-paywall_copy`).click();
  const rules = page.locator(`${manager} abc-experiment-rules`);
  await rules.locator('[data-field=state]').waitFor();
  await rules.screenshot({ path: `${outDir}dashboard-rules.png` });
  console.log('wrote docs/images/dashboard-rules.png');
} finally {
  await browser.close();
  await server.close();
}
