/**
 * The dashboard's layout and wording in real headless Chromium: today marked partial, rows that keep their height
 * when the daily table opens, no redundant control badge, grammatical window phrases, and a 390 px wide phone.
 */
import * as assert from 'uvu/assert';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { DASHBOARD_TOKEN } from './helpers/demo-server.js';

const { test, run } = browserSuite('dashboard layout in Chromium');

test('today is marked partial in the daily table, and opening that table leaves the top-events rows as they were', async ({
  page,
  server,
}) => {
  await fixture(page, server, `<abc-dashboard token="${DASHBOARD_TOKEN}"></abc-dashboard>`);
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  const today = server.now.toISOString().slice(0, 10);
  const rowHeights = () =>
    page
      .locator('abc-dashboard abc-daily-metrics table.top-events tbody tr')
      .evaluateAll((rows) => rows.map((r) => Math.round(r.getBoundingClientRect().height)));
  const before = await rowHeights();
  assert.ok(before.length > 3, 'top events are listed');
  await page.locator('abc-dashboard abc-daily-metrics details.table-alt summary').click();
  assert.match(await text(page, `abc-dashboard abc-daily-metrics tr[data-day="${today}"] th`), /today, partial/);
  const yesterday = new Date(server.now.getTime() - 86_400_000).toISOString().slice(0, 10);
  assert.not.match(await text(page, `abc-dashboard abc-daily-metrics tr[data-day="${yesterday}"] th`), /partial/);
  assert.equal(await rowHeights(), before, 'the top-events rows keep their height');
  assert.ok(Math.max(...before) < 60, `rows are compact (${before.join(', ')} px)`);
});

test('the window reads as a sentence, and a control called "control" gets no second "control" badge', async ({
  page,
  server,
}) => {
  await fixture(
    page,
    server,
    `<abc-dashboard id="week" token="${DASHBOARD_TOKEN}"></abc-dashboard>
     <abc-dashboard id="today" window-days="1" token="${DASHBOARD_TOKEN}"></abc-dashboard>
     <abc-experiment-results experiment-key="paywall_copy" token="${DASHBOARD_TOKEN}"></abc-experiment-results>`,
  );
  await page.locator('#week #glance-experiments').waitFor();
  assert.is(
    await text(page, '#week section[aria-labelledby=glance-experiments] .subtitle'),
    'Users assigned in the last 7 days',
  );
  assert.is(
    await text(page, '#today section[aria-labelledby=glance-experiments] .subtitle'),
    'Users assigned today (UTC)',
  );
  await page.locator('abc-experiment-results tr[data-variant=control]').waitFor();
  assert.is(await text(page, 'abc-experiment-results tr[data-variant=control] th'), 'control');
  assert.is(await page.locator('abc-experiment-results tr[data-variant=control] .chip').count(), 0);
  assert.match(await text(page, 'abc-experiment-results .subtitle'), /users assigned in the last 7 days/);
});

test('at 390 px wide every tab is on screen and no view is wider than the viewport; wide tables scroll in their cards', async ({
  page,
  server,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await fixture(page, server, `<abc-dashboard token="${DASHBOARD_TOKEN}"></abc-dashboard>`);
  await page.evaluate(`document.body.style.padding = '0'`);
  const ready = {
    overview: 'abc-daily-metrics [data-kpi=events]',
    experiments: 'abc-experiment-results .verdict',
    funnels: 'abc-funnel li.step',
    benchmarks: 'abc-benchmarks table.endpoints',
  } as Record<string, string>;
  const tabs = await page.locator('abc-dashboard [role=tab]').evaluateAll((els) => els.map((el) => el.id.slice(4)));
  assert.ok(tabs.length >= 4);
  for (const tab of tabs) {
    const box = (await page.locator(`abc-dashboard [role=tab]#tab-${tab}`).boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `tab ${tab} is on screen (${box.x}+${box.width})`);
    await page.locator(`abc-dashboard [role=tab]#tab-${tab}`).click();
    if (ready[tab]) await page.locator(`abc-dashboard ${ready[tab]}`).first().waitFor();
    await page.waitForTimeout(150);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${tab}: page is ${width} px wide`);
  }
  // The widest table (benchmark endpoints) is wider than its card and scrolls inside it.
  await page.locator('abc-dashboard [role=tab]#tab-benchmarks').click();
  const scrolls = await page.evaluate(`(() => {
    const table = document.querySelector('abc-dashboard').shadowRoot.querySelector('abc-benchmarks').shadowRoot.querySelector('table.endpoints');
    const wrap = table.parentElement;
    return wrap.scrollWidth > wrap.clientWidth && getComputedStyle(wrap).overflowX === 'auto';
  })()`);
  assert.ok(scrolls, 'the endpoints table scrolls inside its card');
});

run();
