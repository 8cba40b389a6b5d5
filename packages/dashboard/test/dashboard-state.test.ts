/**
 * What the dashboard says about its state, in real headless Chromium: a window that was never computed says so (and
 * how to compute it) instead of showing 0 assigned users.
 */
import * as assert from 'uvu/assert';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { DASHBOARD_TOKEN } from './helpers/demo-server.js';

const { test, run } = browserSuite('dashboard state in Chromium');

test('a window never computed says "not computed yet" and how to compute it, in the overview, the list and the results', async ({
  page,
  server,
}) => {
  // The demo data is rolled up over 30 days, so the 90-day window was never computed.
  await fixture(page, server, `<abc-dashboard window-days="90" token="${DASHBOARD_TOKEN}"></abc-dashboard>`);
  await page.locator('abc-dashboard tr[data-experiment=paywall_copy]').waitFor();
  assert.is(
    await text(page, 'abc-dashboard tr[data-experiment=paywall_copy] [data-field=assigned]'),
    'not computed yet',
  );
  assert.match(
    await text(page, 'abc-dashboard [data-note=not-computed]'),
    /not been computed yet.*calicritters rollup --window-days 90/,
  );
  await page.locator('abc-dashboard [role=tab]#tab-experiments').click();
  await page.locator('abc-dashboard abc-experiment-results [data-state=not-computed]').waitFor();
  assert.match(
    await text(page, 'abc-dashboard abc-experiment-results [data-state=not-computed]'),
    /^Not computed yet .*calicritters rollup --window-days 90/,
  );
  assert.is(
    await text(page, 'abc-dashboard button[data-experiment=paywall_copy] [data-field=not-computed]'),
    'not computed yet',
  );

  // The 30-day window was computed: real counts, and a draft nobody was assigned to is "No data yet", not "not computed".
  await page.locator('abc-dashboard select#window').selectOption('30');
  await page.locator('abc-dashboard abc-experiment-results .verdict').first().waitFor();
  // The list reloads on its own schedule: wait for its last "not computed" note to go rather than check at once.
  await page.locator('abc-dashboard [data-field=not-computed]').first().waitFor({ state: 'detached' });
  assert.is(await page.locator('abc-dashboard [data-field=not-computed]').count(), 0);
  await page.locator('abc-dashboard button[data-experiment=checkout_redesign]').click();
  await page.locator('abc-dashboard abc-experiment-results .state.empty').waitFor();
  assert.match(
    await text(page, 'abc-dashboard abc-experiment-results .state.empty'),
    /^No data yet\s*Nobody was assigned/,
  );
});

run();
