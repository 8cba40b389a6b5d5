/**
 * Experiment management in real headless Chromium against a real server: the admin token is asked for separately
 * and kept in memory only, a refused one says so, the form creates what it shows, the server's per-field messages
 * land next to their inputs, and start, stop and archive change the status the admin API reports.
 */
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { browserSuite, text } from './helpers/browser-suite.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN, type DemoServer } from './helpers/demo-server.js';

const { test, run } = browserSuite('experiment management in Chromium');

const M = 'abc-experiment-manager';

async function openManager(page: Page, server: DemoServer): Promise<void> {
  await page.goto(`${server.baseUrl}/fixture`);
  await page.waitForFunction(() => customElements.get('abc-experiment-manager') !== undefined);
  await page.evaluate(() => {
    document.body.innerHTML = '<abc-experiment-manager></abc-experiment-manager>';
  });
}

async function unlock(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await page.locator(`${M} #admin-token`).fill(token);
  await page.locator(`${M} #admin-token-form button[type=submit]`).click();
}

/** The experiment as the admin API reports it now. */
async function stored(server: DemoServer, key: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}/v1/admin/experiments/${key}`, {
    headers: { 'x-admin-token': ADMIN_TOKEN },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const activeId = (page: Page, host: string) =>
  page.evaluate((tag) => {
    let root: Document | ShadowRoot | null | undefined = document;
    let active: Element | null | undefined = null;
    // Follows focus down through nested shadow roots (manager → editor).
    while (root) {
      active = root.activeElement;
      root = active?.shadowRoot;
    }
    return document.querySelector(tag) ? (active?.id ?? null) : null;
  }, host);

test('a wrong admin token shows the refused state with the form again; the right one lists the experiments, kept in memory only', async ({
  page,
  server,
}) => {
  await openManager(page, server);
  await page.locator(`${M} #admin-token`).waitFor();
  await unlock(page, 'not-the-admin-token');
  await page.locator(`${M} #admin-token-form[data-state=refused]`).waitFor();
  assert.match(await text(page, `${M} #admin-token-form`), /Admin token refused/);
  assert.match(await text(page, `${M} #admin-token-error`), /401/);
  assert.is(await activeId(page, M), 'admin-token', 'focus is back on the token input');

  await unlock(page);
  await page.locator(`${M} tr[data-experiment=paywall_copy]`).waitFor();
  assert.ok(await page.locator(`${M} #admin-token-form`).isHidden(), 'the form is gone once the token is accepted');
  assert.ok((await page.locator(`${M} tbody tr[data-experiment]`).count()) >= 4);
  assert.is(await text(page, `${M} tr[data-experiment=checkout_redesign] [data-field=status]`), 'draft');
  const kept = await page.evaluate(
    (token) => ({
      session: sessionStorage.length,
      local: localStorage.length,
      cookie: document.cookie,
      inMarkup: document.body.outerHTML.includes(token),
    }),
    ADMIN_TOKEN,
  );
  assert.equal(
    kept,
    { session: 0, local: 0, cookie: '', inMarkup: false },
    'the admin token is kept nowhere but memory',
  );
  await page.reload();
  await page.evaluate(() => {
    document.body.innerHTML = '<abc-experiment-manager></abc-experiment-manager>';
  });
  await page.locator(`${M} #admin-token-form[data-state=ask]`).waitFor();
});

test('an experiment created through the form is stored as typed, and abc-experiment-saved reports it', async ({
  page,
  server,
}) => {
  await openManager(page, server);
  await unlock(page);
  await page.locator(`${M} #new-experiment`).click();
  await page.locator(`${M} abc-experiment-editor #key`).waitFor();
  assert.is(await activeId(page, M), 'key', 'the form opens with focus on its first input');
  const saved = page.evaluate(
    () =>
      new Promise((resolve) =>
        document.addEventListener('abc-experiment-saved', (e) => resolve((e as CustomEvent).detail.experimentKey), {
          once: true,
        }),
      ),
  );
  const editor = `${M} abc-experiment-editor`;
  await page.locator(`${editor} #key`).fill('streak_reminder');
  await page.locator(`${editor} #name`).fill('Streak reminder push');
  await page.locator(`${editor} #coverage`).fill('0.8');
  await page.locator(`${editor} button`, { hasText: 'Add variant' }).click();
  assert.is(await activeId(page, M), 'variant-key-2', 'a new row takes the focus');
  await page.locator(`${editor} #variant-key-1`).fill('gentle');
  await page.locator(`${editor} #variant-key-2`).fill('urgent');
  await page.locator(`${editor} #variant-weight-0`).fill('0.4');
  await page.locator(`${editor} #variant-weight-1`).fill('0.3');
  await page.locator(`${editor} #variant-weight-2`).fill('0.3');
  assert.match(await text(page, `${editor} [data-field=weight-total]`), /Total 1 ✓/);
  await page.locator(`${editor} button[type=submit]`).click();
  assert.is(await saved, 'streak_reminder');
  await page.locator(`${M} [data-notice]`).filter({ hasText: 'streak_reminder was created' }).waitFor();
  await page.locator(`${M} tr[data-experiment=streak_reminder]`).waitFor();

  const { status, body } = await stored(server, 'streak_reminder');
  assert.is(status, 200);
  assert.equal(
    [body.name, body.status, body.coverage, body.variants],
    [
      'Streak reminder push',
      'draft',
      0.8,
      [
        { key: 'control', weight: 0.4 },
        { key: 'gentle', weight: 0.3 },
        { key: 'urgent', weight: 0.3 },
      ],
    ],
  );

  // Edited: a renamed experiment with a removed variant is stored as shown.
  await page.locator(`${M} #edit-streak_reminder`).click();
  await page.locator(`${editor} #name`).fill('Streak reminder');
  await page.locator(`${editor} button[aria-label="Remove variant urgent"]`).click();
  await page.locator(`${editor} #variant-weight-1`).fill('0.6');
  await page.locator(`${editor} button[type=submit]`).click();
  await page.locator(`${M} [data-notice]`).filter({ hasText: 'streak_reminder was saved' }).waitFor();
  const edited = (await stored(server, 'streak_reminder')).body;
  assert.equal(
    [edited.name, edited.variants],
    [
      'Streak reminder',
      [
        { key: 'control', weight: 0.4 },
        { key: 'gentle', weight: 0.6 },
      ],
    ],
  );
  assert.is(await activeId(page, M), 'edit-streak_reminder', 'focus returns to the row it came from');
});

test("weights off 1 are named before sending; the server's message for a bad weight shows next to that input; an existing key says so", async ({
  page,
  server,
}) => {
  await openManager(page, server);
  await unlock(page);
  await page.locator(`${M} #new-experiment`).click();
  const editor = `${M} abc-experiment-editor`;
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  await page.locator(`${editor} #key`).fill('bad_weights');
  await page.locator(`${editor} #variant-weight-1`).fill('0.6');
  // Core's own rule, and so the server's words, as the user types.
  assert.is(
    await text(page, `${editor} .field-error[data-for="/variants"]`),
    'variant weights must sum to 1 (got 1.1)',
  );
  await page.locator(`${editor} button[type=submit]`).click();
  await page.locator(`${editor} #summary[role=alert]`).waitFor();
  assert.is(await activeId(page, M), 'summary', 'the summary of problems takes the focus');
  assert.equal(posts, [], 'nothing is sent while core finds a problem');

  // Sums to 1, but a weight above 1: only the server's schema refuses it.
  await page.locator(`${editor} #variant-weight-0`).fill('1.5');
  await page.locator(`${editor} #variant-weight-1`).fill('-0.5');
  await page.locator(`${editor} button[type=submit]`).click();
  const weightError = page.locator(`${editor} .field-error[data-for="/variants/0/weight"]`);
  await weightError.waitFor();
  const answer = await fetch(`${server.baseUrl}/v1/admin/experiments`, {
    method: 'POST',
    headers: { 'x-admin-token': ADMIN_TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify({
      key: 'bad_weights',
      status: 'draft',
      coverage: 1,
      variants: [
        { key: 'control', weight: 1.5 },
        { key: 'treatment', weight: -0.5 },
      ],
    }),
  });
  const { error } = (await answer.json()) as {
    error: { code: string; details: Array<{ field: string; message: string }> };
  };
  assert.is(answer.status, 400);
  assert.is(error.code, 'invalid_definition');
  const serverSays = error.details.find((d) => d.field === '/variants/0/weight')!.message;
  assert.is(await text(page, `${editor} .field-error[data-for="/variants/0/weight"]`), serverSays);
  const input = page.locator(`${editor} #variant-weight-0`);
  assert.is(await input.getAttribute('aria-invalid'), 'true');
  assert.ok(((await input.getAttribute('aria-describedby')) ?? '').includes((await weightError.getAttribute('id'))!));
  assert.is((await stored(server, 'bad_weights')).status, 404, 'nothing was stored');

  // A key that exists: "key exists" on the key field.
  await page.locator(`${editor} #key`).fill('paywall_copy');
  await page.locator(`${editor} #variant-weight-0`).fill('0.5');
  await page.locator(`${editor} #variant-weight-1`).fill('0.5');
  await page.locator(`${editor} button[type=submit]`).click();
  await page.locator(`${editor} .field-error[data-for="/key"]`).waitFor();
  assert.match(await text(page, `${editor} .field-error[data-for="/key"]`), /^Key exists: .*paywall_copy/);
});

test('start and stop change the status through the API; stop asks first, and Escape cancels', async ({
  page,
  server,
}) => {
  await openManager(page, server);
  await unlock(page);
  const row = `${M} tr[data-experiment=checkout_redesign]`;
  await page.locator(row).waitFor();
  await page.evaluate(() => {
    (window as unknown as { changes: string[] }).changes = [];
    document.addEventListener('abc-experiment-status-change', (e) =>
      (window as unknown as { changes: string[] }).changes.push((e as CustomEvent).detail.action),
    );
  });
  const statusIs = async (status: string) => {
    await page.locator(`${row}[data-status=${status}]`).waitFor();
    assert.is((await stored(server, 'checkout_redesign')).body.status, status);
  };

  await page.locator(`${M} #start-checkout_redesign`).click();
  await statusIs('running');

  await page.locator(`${M} #stop-checkout_redesign`).click();
  const dialog = page.locator(`${M} dialog[open]`);
  await dialog.waitFor();
  assert.match(await text(page, `${M} dialog #confirm-title`), /^Stop Checkout redesign\?$/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' }).catch(() => dialog.waitFor({ state: 'hidden' }));
  assert.is((await stored(server, 'checkout_redesign')).body.status, 'running', 'Escape stops nothing');
  assert.is(await activeId(page, M), 'stop-checkout_redesign', 'focus returns to the Stop button');

  await page.locator(`${M} #stop-checkout_redesign`).click();
  await page.locator(`${M} dialog[open] #confirm-ok`).click();
  await statusIs('stopped');

  assert.equal(await page.evaluate(() => (window as unknown as { changes: string[] }).changes), ['start', 'stop']);
});

test("the dashboard page's Manage tab: a refused admin token leaves the dashboard token alone; a start shows in the Experiments tab", async ({
  page,
  server,
}) => {
  await page.goto(`${server.baseUrl}/dashboard`);
  await page.fill('#token-input', DASHBOARD_TOKEN);
  await page.click('#token-form button[type=submit]');
  await page.locator('abc-dashboard abc-daily-metrics [data-kpi=events]').waitFor();
  await page.locator('abc-dashboard [role=tab]#tab-manage').click();
  const manager = 'abc-dashboard abc-experiment-manager';
  await page.locator(`${manager} #admin-token`).fill(DASHBOARD_TOKEN);
  await page.locator(`${manager} #admin-token-form button[type=submit]`).click();
  await page.locator(`${manager} #admin-token-form[data-state=refused]`).waitFor();
  assert.ok(await page.locator('#token-form').isHidden(), 'the page does not ask for the dashboard token again');
  assert.is(await page.evaluate(() => sessionStorage.getItem('abc-dashboard-token')), DASHBOARD_TOKEN);

  await page.locator(`${manager} #admin-token`).fill(ADMIN_TOKEN);
  await page.locator(`${manager} #admin-token-form button[type=submit]`).click();
  await page.locator(`${manager} #new-experiment`).click();
  await page.locator(`${manager} abc-experiment-editor #key`).fill('weekend_bonus');
  await page.locator(`${manager} abc-experiment-editor #status`).selectOption('running');
  await page.locator(`${manager} abc-experiment-editor button[type=submit]`).click();
  await page.locator(`${manager} tr[data-experiment=weekend_bonus][data-status=running]`).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('abc-dashboard-token')), DASHBOARD_TOKEN);
  assert.is(await page.evaluate(() => sessionStorage.length), 1, 'only the dashboard token is kept in the tab');

  await page.locator('abc-dashboard [role=tab]#tab-experiments').click();
  const picked = page.locator('abc-dashboard button[data-experiment=weekend_bonus]');
  await picked.waitFor();
  assert.match((await picked.textContent()) ?? '', /running/);
});

test('archive asks first; then the API reports archived, the row leaves the list and comes back with Show archived', async ({
  page,
  server,
}) => {
  const created = await fetch(`${server.baseUrl}/v1/admin/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
    body: JSON.stringify({
      key: 'to_archive',
      name: 'To archive',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
    }),
  });
  assert.is(created.status, 201);
  await openManager(page, server);
  await unlock(page);
  const row = `${M} tr[data-experiment=to_archive]`;
  await page.locator(row).waitFor();

  await page.locator(`${M} #archive-to_archive`).click();
  await page.locator(`${M} dialog[open] #confirm-ok`).click();
  await page.locator(row).waitFor({ state: 'detached' });
  assert.is((await stored(server, 'to_archive')).body.status, 'archived');

  await page.locator(`${M} #show-archived`).check();
  await page.locator(`${row}[data-status=archived]`).waitFor();
  assert.is(await page.locator(`${M} #archive-to_archive`).count(), 0, 'an archived experiment offers no actions');
});

run();
