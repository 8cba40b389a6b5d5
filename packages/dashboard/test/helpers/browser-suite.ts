/**
 * One uvu suite of browser tests: a demo server and headless Chromium for the whole suite, a fresh 1280 × 900 page
 * (reduced motion, page errors printed) for each test. Without Chromium no test is registered at all (a note says
 * so): uvu's totals leave skipped tests out, and the root runner's arithmetic expects that nothing is skipped.
 */
import { suite, type Callback } from 'uvu';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from './browser.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

export interface BrowserContext {
  server: DemoServer;
  browser: Browser;
  page: Page;
}

/**
 * The suite: register tests with `test(name, fn)`, then call `run()`.
 * @example const { test, run } = browserSuite('dashboard in Chromium'); test('…', async ({ page, server }) => {…}); run();
 */
export function browserSuite(name: string, options: { injectToken?: boolean } = {}) {
  const it = suite<BrowserContext>(name);
  const tests: Array<[string, Callback<BrowserContext>]> = [];
  it.before(async (ctx) => {
    if (!hasChromium()) return;
    [ctx.server, ctx.browser] = await Promise.all([startDemoServer(options), launchChromium()]);
  });
  it.before.each(async (ctx) => {
    if (!ctx.browser) return;
    ctx.page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    ctx.page.setDefaultTimeout(8000);
    ctx.page.on('pageerror', (error) => console.error('page error:', error));
  });
  it.after.each(async (ctx) => ctx.page?.close());
  it.after(async (ctx) => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return {
    test: (testName: string, fn: Callback<BrowserContext>) => void tests.push([testName, fn]),
    run(): void {
      if (hasChromium()) for (const [testName, fn] of tests) it(testName, fn);
      it.run();
    },
  };
}

/** Opens the blank fixture page and places `markup` in its body. */
export async function fixture(page: Page, server: DemoServer, markup: string): Promise<void> {
  await page.goto(`${server.baseUrl}/fixture`);
  await page.waitForFunction(() => customElements.get('abc-dashboard') !== undefined);
  await page.evaluate((html) => {
    document.body.innerHTML = html;
  }, markup);
}

/**
 * Places `<abc-experiment-results id="ID" experiment-key="paywall_copy">` whose client answers `results` (crafted
 * results the demo data cannot produce).
 */
export async function resultsFixture(page: Page, server: DemoServer, id: string, results: unknown): Promise<void> {
  await fixture(
    page,
    server,
    `<abc-experiment-results id="${id}" experiment-key="paywall_copy"></abc-experiment-results>`,
  );
  await page.evaluate(`document.getElementById('${id}').api = {
    experiment() { return Promise.resolve(${JSON.stringify(results)}); },
  }`);
}

/** The text of the first match, with runs of white space as one space. */
export const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
