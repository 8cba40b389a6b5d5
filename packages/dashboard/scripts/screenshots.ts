/**
 * `pnpm docs:screenshots`: regenerates docs/images/dashboard-{overview,experiments,funnels,benchmarks,mobile}.png
 * from the real dashboard page in headless Chromium, served by a real server over the demo data set (see
 * test/helpers); the mobile one at 390 px wide.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, hasChromium, launchChromium } from '../test/helpers/browser.js';
import { startDemoServer } from '../test/helpers/demo-server.js';

const outDir = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

const VIEWS = [
  { tab: 'overview', ready: 'abc-daily-metrics [data-kpi=events]' },
  { tab: 'experiments', ready: 'abc-experiment-results .verdict' },
  { tab: 'funnels', ready: 'abc-funnel li.step' },
  { tab: 'benchmarks', ready: 'abc-benchmarks table.endpoints' },
] as const;

if (!hasChromium()) {
  console.error(`Screenshots need Chromium at ${CHROMIUM}.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const [server, browser] = await Promise.all([startDemoServer({ injectToken: true }), launchChromium()]);
try {
  const page = await browser.newPage({
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  page.setDefaultTimeout(15_000);
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
    console.log(`wrote ${file.slice(outDir.length - 'docs/images/'.length)}`);
  }
  // A phone (390 px): the tabs wrap and wide tables scroll inside their cards.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('abc-dashboard [role=tab]#tab-overview').click();
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${outDir}dashboard-mobile.png`, fullPage: true });
  console.log('wrote docs/images/dashboard-mobile.png');
} finally {
  await browser.close();
  await server.close();
}
