/**
 * `<abc-dashboard url-state>` in real headless Chromium: the tab, the window and the experiment live in the query
 * string of `/dashboard`, so a reload, Back and Forward, and a shared link show the same view; without the attribute
 * the dashboard never touches the URL.
 */
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { browserSuite } from './helpers/browser-suite.js';
import { DASHBOARD_TOKEN } from './helpers/demo-server.js';

// The page carries the token, so a reload or a shared link opens the dashboard without the token form.
const { test, run } = browserSuite('dashboard URL state in Chromium', { injectToken: true });

const D = 'abc-dashboard';

/** Waits until the dashboard shows `tab` and `windowDays` (and, on the Experiments tab, `experiment` as chosen). */
async function shows(page: Page, tab: string, windowDays: number, experiment?: string): Promise<void> {
  await page.locator(`${D} [role=tab]#tab-${tab}[aria-selected=true]`).waitFor();
  await page.waitForFunction(
    ([selector, days]) =>
      document.querySelector('abc-dashboard')?.shadowRoot?.querySelector<HTMLSelectElement>(selector)?.value === days,
    ['select#window', String(windowDays)] as const,
  );
  if (experiment) {
    await page.locator(`${D} button[data-experiment=${experiment}][aria-current=true]`).waitFor();
    await page.locator(`${D} abc-experiment-results[experiment-key=${experiment}]`).waitFor();
  }
}

const search = (page: Page) => page.evaluate(() => location.search);
const historyLength = (page: Page) => page.evaluate(() => history.length);

/** Opens `url` in a fresh page; returns the history length any page has after that (about:blank, then `url`). */
async function open(page: Page, url: string): Promise<number> {
  const blank = await historyLength(page);
  await page.goto(url);
  return blank + 1;
}

test('a chosen tab, window and experiment are in the URL and survive a reload', async ({ page, server }) => {
  const first = await open(page, `${server.baseUrl}/dashboard`);
  await shows(page, 'overview', 7);
  assert.is(await search(page), '?tab=overview&window_days=7', 'the first view is written into the URL');
  assert.is(await historyLength(page), first, 'without a history entry of its own');

  await page.locator(`${D} [role=tab]#tab-experiments`).click();
  await page.locator(`${D} select#window`).selectOption('30');
  await page.locator(`${D} button[data-experiment=onboarding_flow]`).click();
  await shows(page, 'experiments', 30, 'onboarding_flow');
  assert.is(await search(page), '?tab=experiments&window_days=30&experiment_key=onboarding_flow');
  assert.is(await historyLength(page), first + 3, 'one history entry per change');

  await page.reload();
  await shows(page, 'experiments', 30, 'onboarding_flow');
  assert.is(await search(page), '?tab=experiments&window_days=30&experiment_key=onboarding_flow');
  await page.locator(`${D} abc-experiment-results .verdict`).first().waitFor();
});

test('Back and Forward return to the previous views, one change at a time', async ({ page, server }) => {
  const first = await open(page, `${server.baseUrl}/dashboard`);
  await shows(page, 'overview', 7);
  await page.locator(`${D} [role=tab]#tab-funnels`).click();
  await page.locator(`${D} select#window`).selectOption('14');
  await page.locator(`${D} [role=tab]#tab-experiments`).click();
  await page.locator(`${D} button[data-experiment=icon_refresh]`).click();
  await shows(page, 'experiments', 14, 'icon_refresh');

  await page.goBack();
  await shows(page, 'experiments', 14);
  assert.is(await search(page), '?tab=experiments&window_days=14');
  assert.is(
    await page.locator(`${D} button[data-experiment=icon_refresh]`).getAttribute('aria-current'),
    'false',
    'the experiment chosen later is no longer shown',
  );
  await page.goBack();
  await shows(page, 'funnels', 14);
  await page.goBack();
  await shows(page, 'funnels', 7);
  await page.goBack();
  await shows(page, 'overview', 7);
  assert.is(await search(page), '?tab=overview&window_days=7');

  await page.goForward();
  await page.goForward();
  await shows(page, 'funnels', 14);
  assert.is(await search(page), '?tab=funnels&window_days=14');
  assert.is(await historyLength(page), first + 4, 'following Back and Forward adds no entries');

  // A choice after Back replaces the entries ahead, as on any page.
  await page.locator(`${D} [role=tab]#tab-benchmarks`).click();
  await shows(page, 'benchmarks', 14);
  assert.is(await historyLength(page), first + 3);
});

test('a shared link opens directly on its view and keeps the host page’s own parameters', async ({ page, server }) => {
  const shared = '?lang=fr&tab=experiments&window_days=14&experiment_key=icon_refresh';
  const first = await open(page, `${server.baseUrl}/dashboard${shared}#top`);
  await shows(page, 'experiments', 14, 'icon_refresh');
  assert.is(await search(page), shared, 'the link is left exactly as it was');
  assert.is(await page.evaluate(() => location.hash), '#top');
  assert.is(await historyLength(page), first);
  assert.ok((await page.locator(`${D} #panel-overview abc-daily-metrics`).count()) === 0, 'the overview never loaded');

  await page.locator(`${D} select#window`).selectOption('1');
  await shows(page, 'experiments', 1, 'icon_refresh');
  assert.is(await search(page), '?lang=fr&tab=experiments&window_days=1&experiment_key=icon_refresh');
  assert.is(await page.evaluate(() => location.hash), '#top');
});

test('invalid values in the URL fall back to the overview and 7 days, and the URL is put right in place', async ({
  page,
  server,
}) => {
  const first = await open(page, `${server.baseUrl}/dashboard?tab=settings&window_days=8&experiment_key=%3Cscript%3E`);
  await shows(page, 'overview', 7);
  assert.is(await search(page), '?tab=overview&window_days=7');
  assert.is(await historyLength(page), first, 'the fix replaces the entry');

  await page.goto(`${server.baseUrl}/dashboard?tab=experiments&window_days=abc&experiment_key=no_such_experiment`);
  await page.locator(`${D} button[aria-current=true]`).waitFor();
  await shows(page, 'experiments', 7);
  assert.is(
    await page.locator(`${D} button[aria-current=true]`).getAttribute('data-experiment'),
    await page.locator(`${D} nav.picker button`).first().getAttribute('data-experiment'),
    'an unknown experiment shows the first one',
  );
});

test('without url-state the dashboard never changes the URL nor reads it', async ({ page, server }) => {
  const first = await open(page, `${server.baseUrl}/fixture?tab=funnels&window_days=30`);
  await page.waitForFunction(() => customElements.get('abc-dashboard') !== undefined);
  await page.evaluate((token) => {
    document.body.innerHTML = `<abc-dashboard token="${token}"></abc-dashboard>`;
  }, DASHBOARD_TOKEN);
  await shows(page, 'overview', 7);

  await page.locator(`${D} [role=tab]#tab-experiments`).click();
  await page.locator(`${D} select#window`).selectOption('14');
  await page.locator(`${D} button[data-experiment=icon_refresh]`).click();
  await shows(page, 'experiments', 14, 'icon_refresh');
  await page.locator(`${D} [role=tab]#tab-experiments`).press('ArrowRight');
  await shows(page, 'funnels', 14);
  assert.is(await page.evaluate(() => location.href), `${server.baseUrl}/fixture?tab=funnels&window_days=30`);
  assert.is(await historyLength(page), first);
});

run();
