/**
 * How fresh the dashboard says its numbers are, in real headless Chromium with the browser's clock under the test's
 * control: the freshness line for a fresh, a stale, a failed and a never-run job (the rollup status answered from
 * fixtures), windows never computed, the data read again once a rollup has finished, and no polling once the element
 * is gone.
 */
import * as assert from 'uvu/assert';
import type { Page, Route } from 'playwright-core';
import type { RollupJobName, RollupJobStatus, RollupStatus } from '../src/api/api-types.js';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { DASHBOARD_TOKEN, type DemoServer } from './helpers/demo-server.js';

const { test, run } = browserSuite('dashboard freshness in Chromium');

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

function ran(job: RollupJobName, seconds: number, fields: Partial<RollupJobStatus> = {}): RollupJobStatus {
  return {
    job,
    last_run_at: ago(seconds + 1),
    last_status: 'succeeded',
    last_duration_ms: 412,
    last_error: null,
    last_window_days: 90,
    last_success_at: ago(seconds),
    lag_seconds: seconds,
    ...fields,
  };
}

const never = (job: RollupJobName): RollupJobStatus => ({
  job,
  last_run_at: null,
  last_status: null,
  last_duration_ms: null,
  last_error: null,
  last_window_days: null,
  last_success_at: null,
  lag_seconds: null,
});

const status = (...jobs: RollupJobStatus[]): RollupStatus => ({
  now: new Date(NOW).toISOString(),
  running: null,
  jobs,
});

/** Answers the rollup status with whatever `current()` returns at the time, and counts the requests. */
async function serveStatus(page: Page, current: () => RollupStatus): Promise<{ requests: () => number }> {
  let requests = 0;
  await page.route('**/v1/metrics/rollups/status', async (route: Route) => {
    requests++;
    await route.fulfill({ json: current() });
  });
  return { requests: () => requests };
}

/** Counts the requests to a path of the real server, letting them through. */
async function countRequests(page: Page, pattern: string): Promise<() => number> {
  let n = 0;
  await page.route(pattern, async (route: Route) => {
    n++;
    await route.continue();
  });
  return () => n;
}

const LINE = 'abc-dashboard [data-freshness]';

/** The dashboard on the fixture page, with the browser's clock stopped at NOW until the test moves it. */
async function openDashboard(page: Page, server: DemoServer, attributes = 'rollup-interval="5"') {
  await page.clock.install({ time: NOW });
  await fixture(page, server, `<abc-dashboard token="${DASHBOARD_TOKEN}" ${attributes}></abc-dashboard>`);
  await page.locator(LINE).waitFor();
}

const jobStates = (page: Page) =>
  page
    .locator(`${LINE} li[data-job]`)
    .evaluateAll((items) => items.map((li) => [li.getAttribute('data-job'), li.getAttribute('data-state')]));

test('fresh: "Updated 3 min ago · next refresh in 2 min" in the header, every job up to date', async ({
  page,
  server,
}) => {
  await serveStatus(page, () => status(ran('daily', 180), ran('experiments', 170), ran('funnels', 160)));
  await openDashboard(page, server);
  assert.is(await page.locator(LINE).getAttribute('data-state'), 'fresh');
  assert.is(await text(page, `${LINE} .freshness-text`), 'Updated 3 min ago · next refresh in 2 min');
  await page.locator(`${LINE} summary`).click();
  assert.equal(await jobStates(page), [
    ['daily', 'fresh'],
    ['experiments', 'fresh'],
    ['funnels', 'fresh'],
  ]);
  assert.match(
    await text(page, `${LINE} li[data-job=daily]`),
    /Daily activity up to date Updated 3 min ago · last run 3 min ago, over 90 days/,
  );
  // The line sits in the app bar, next to the title.
  const [line, title] = await Promise.all([
    page.locator(LINE).boundingBox(),
    page.locator('abc-dashboard h1').boundingBox(),
  ]);
  assert.ok(line && title && line.y > title.y && line.y - title.y < 40, 'just under the title');
});

test('stale: a job older than two intervals turns the line to a warning that says "out of date"', async ({
  page,
  server,
}) => {
  await serveStatus(page, () => status(ran('daily', 11 * 60), ran('experiments', 60), ran('funnels', 60)));
  await openDashboard(page, server);
  assert.is(await page.locator(LINE).getAttribute('data-state'), 'stale');
  assert.is(await text(page, `${LINE} .freshness-text`), 'Updated 11 min ago · out of date · next refresh in 4 min');
  const colour = await page.locator(`${LINE} summary`).evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.is.not(colour, 'rgba(0, 0, 0, 0)', 'a warning background');
  await page.locator(`${LINE} summary`).click();
  assert.equal(await jobStates(page), [
    ['daily', 'stale'],
    ['experiments', 'fresh'],
    ['funnels', 'fresh'],
  ]);
});

test('failed: the job whose last run failed is named, and its error is in the details', async ({ page, server }) => {
  await serveStatus(page, () =>
    status(
      ran('daily', 60),
      ran('experiments', 600, {
        last_run_at: ago(30),
        last_status: 'failed',
        last_error: 'canceling statement due to statement timeout',
      }),
      ran('funnels', 60),
    ),
  );
  await openDashboard(page, server);
  assert.is(await page.locator(LINE).getAttribute('data-state'), 'failed');
  assert.match(await text(page, `${LINE} .freshness-text`), /^Experiments rollup failed · updated 10 min ago/);
  await page.locator(`${LINE} summary`).click();
  assert.match(
    await text(page, `${LINE} li[data-job=experiments]`),
    /last run failed just now: canceling statement due to statement timeout/,
  );
  assert.is(await page.locator(`${LINE} li[data-job=experiments]`).getAttribute('data-state'), 'failed');
});

test('never run: "Not computed yet" for that job, and for the line when no job ever ran', async ({ page, server }) => {
  let current = status(ran('daily', 120), ran('experiments', 120), never('funnels'));
  await serveStatus(page, () => current);
  await openDashboard(page, server);
  assert.is(await page.locator(LINE).getAttribute('data-state'), 'never');
  assert.match(await text(page, `${LINE} .freshness-text`), /^Updated 2 min ago · funnels not computed yet/);
  await page.locator(`${LINE} summary`).click();
  assert.match(await text(page, `${LINE} li[data-job=funnels]`), /Not computed yet · never ran/);
  assert.match(await text(page, `${LINE} .freshness-hint`), /calicritters rollup --window-days 7/);
  // The overview's funnel table says so too rather than 0 entrants.
  assert.is(await text(page, 'abc-dashboard tr[data-funnel] [data-field=entered]'), 'not computed yet');

  current = status(never('daily'), never('experiments'), never('funnels'));
  await page.locator('abc-dashboard .tools button.secondary').click();
  await page.locator(`${LINE} .freshness-text`, { hasText: /^Not computed yet$/ }).waitFor();
});

test('windows never computed: daily and funnels say "Not computed yet" instead of "No data", a shorter last run adds a note', async ({
  page,
  server,
}) => {
  // The demo data is rolled up over 30 days: the real status says so, and 90 days are only partly covered.
  await fixture(page, server, `<abc-dashboard token="${DASHBOARD_TOKEN}" window-days="90"></abc-dashboard>`);
  await page.locator(LINE).waitFor();
  assert.match(await text(page, `${LINE} .freshness-text`), /^Updated just now/);
  await page.locator('abc-dashboard abc-daily-metrics [data-note=partial]').waitFor();
  assert.match(
    await text(page, 'abc-dashboard abc-daily-metrics [data-note=partial]'),
    /last daily rollup covered 30 days.*calicritters rollup --window-days 90/,
  );
  await page.locator('abc-dashboard [role=tab]#tab-funnels').click();
  await page.locator('abc-dashboard abc-funnel [data-note=partial]').waitFor();

  // A funnel job and a daily job that never ran: their empty windows are unknown, not empty.
  await page.route('**/v1/metrics/rollups/status', async (route) => {
    const real = (await (await route.fetch()).json()) as RollupStatus;
    await route.fulfill({
      json: { ...real, jobs: real.jobs.map((j) => (j.job === 'experiments' ? j : never(j.job))) },
    });
  });
  await page.route('**/v1/metrics/daily?*', async (route) => {
    const real = (await (await route.fetch()).json()) as object;
    await route.fulfill({ json: { ...real, days: [], events_by_name: [], top_events: [] } });
  });
  await page.route('**/v1/metrics/funnels?*', async (route) => {
    const real = (await (await route.fetch()).json()) as { funnels?: Array<{ steps: object[] }>; steps?: object[] };
    const zero = (steps: object[]) => steps.map((s) => ({ ...s, users: 0 }));
    await route.fulfill({
      json: real.funnels
        ? { ...real, funnels: real.funnels.map((f) => ({ ...f, steps: zero(f.steps), days: [] })) }
        : { ...real, steps: zero(real.steps ?? []), days: [] },
    });
  });
  await page.locator('abc-dashboard .tools button.secondary').click();
  await page.locator('abc-dashboard abc-funnel [data-state=not-computed]').waitFor();
  assert.match(
    await text(page, 'abc-dashboard abc-funnel [data-state=not-computed]'),
    /^Not computed yet .*calicritters rollup --window-days 90/,
  );
  await page.locator('abc-dashboard [role=tab]#tab-overview').click();
  await page.locator('abc-dashboard abc-daily-metrics [data-state=not-computed]').waitFor();
  assert.is(await page.locator('abc-dashboard abc-daily-metrics .state.empty:not([data-state])').count(), 0);
});

test('a rollup that finishes while the page is open reloads the data within one interval, without Refresh', async ({
  page,
  server,
}) => {
  let current = status(ran('daily', 240), ran('experiments', 240), ran('funnels', 240));
  const polls = await serveStatus(page, () => current);
  const experiments = await countRequests(page, '**/v1/metrics/experiments?*');
  const daily = await countRequests(page, '**/v1/metrics/daily?*');
  await openDashboard(page, server);
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  assert.is(polls.requests(), 1, 'read once with the data');
  const before = { experiments: experiments(), daily: daily() };

  // Nothing new: a poll a minute later reloads nothing (interval unknown here: the default minute applies).
  await page.clock.runFor(61_000);
  await page.waitForFunction(() => true);
  assert.is(polls.requests(), 1, 'rollup-interval="5": the next poll waits five minutes');
  await page.clock.runFor(4 * 60_000);
  await expectCount(polls.requests, 2);
  assert.is(experiments(), before.experiments, 'no new run, no reload');

  // A round finishes: the next poll sees it and everything is read again.
  current = status(ran('daily', 2), ran('experiments', 1), ran('funnels', 0));
  await page.clock.runFor(5 * 60_000);
  await expectCount(polls.requests, 4, 'the poll, then the reload reads the status with the data');
  await expectCount(experiments, before.experiments + 1);
  await expectCount(daily, before.daily + 1);
  await page.locator(`${LINE} .freshness-text`, { hasText: /^Updated just now/ }).waitFor();
});

test('without rollup-interval it polls every minute; once the element is removed it polls no more', async ({
  page,
  server,
}) => {
  const polls = await serveStatus(page, () => status(ran('daily', 30), ran('experiments', 30), ran('funnels', 30)));
  await openDashboard(page, server, '');
  assert.is(polls.requests(), 1);
  await page.clock.runFor(61_000);
  await expectCount(polls.requests, 2);
  await page.evaluate(() => document.querySelector('abc-dashboard')?.remove());
  await page.clock.runFor(10 * 60_000);
  await page.waitForTimeout(200);
  assert.is(polls.requests(), 2, 'no poll after disconnectedCallback');
});

/** Waits (in real time) until `count()` reaches `expected`. */
async function expectCount(count: () => number, expected: number, message?: string): Promise<void> {
  for (let i = 0; i < 50 && count() < expected; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(count(), expected, message);
}

run();
