/**
 * An experiment's history in the Manage view, in real headless Chromium against a real server: the name typed next
 * to the admin token travels as `x-admin-actor` (kept in memory only, like the token), and the History panel lists
 * each change with its time, actor, action and changed fields, newest first, refreshed after a change.
 */
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { browserSuite, text } from './helpers/browser-suite.js';
import { ADMIN_TOKEN, type DemoServer } from './helpers/demo-server.js';

const { test, run } = browserSuite('experiment history in Chromium');

const M = 'abc-experiment-manager';
const H = `${M} abc-experiment-history`;

async function unlockAs(page: Page, server: DemoServer, name: string): Promise<void> {
  await page.goto(`${server.baseUrl}/fixture`);
  await page.waitForFunction(() => customElements.get('abc-experiment-manager') !== undefined);
  await page.evaluate(() => {
    document.body.innerHTML = '<abc-experiment-manager></abc-experiment-manager>';
  });
  await page.locator(`${M} #admin-token`).fill(ADMIN_TOKEN);
  await page.locator(`${M} #admin-actor`).fill(name);
  await page.locator(`${M} #admin-token-form button[type=submit]`).click();
  await page.locator(`${M} tr[data-experiment=checkout_redesign]`).waitFor();
}

test('a change made in the manager is listed in its History with the name typed next to the token', async ({
  page,
  server,
}) => {
  await unlockAs(page, server, 'Zoë QA');
  await page.locator(`${M} #history-checkout_redesign`).click();
  await page.locator(`${H} .state`).filter({ hasText: 'No recorded changes' }).waitFor();

  await page.locator(`${M} #start-checkout_redesign`).click();
  await page
    .locator(`${M} tr[data-experiment=checkout_redesign] [data-field=status]`)
    .filter({ hasText: 'running' })
    .waitFor();
  await page.locator(`${H} li[data-entry]`).first().waitFor();
  assert.is(await page.locator(`${H} li[data-entry]`).count(), 1);
  assert.is(await text(page, `${H} li [data-field=actor]`), 'Zoë QA');
  assert.is(await text(page, `${H} li [data-field=action]`), 'updated');
  assert.is(await text(page, `${H} li [data-field=fields]`), 'status');

  const kept = await page.evaluate(() => ({
    session: sessionStorage.length,
    local: localStorage.length,
    cookie: document.cookie,
    inMarkup: document.body.outerHTML.includes('Zoë'),
  }));
  assert.equal(kept, { session: 0, local: 0, cookie: '', inMarkup: false }, 'the name is kept in memory only');

  // Edit the coverage through the editor: the history refreshes, newest first.
  await page.locator(`${M} #edit-checkout_redesign`).click();
  const coverage = page.locator(`${M} abc-experiment-editor #coverage`);
  await coverage.fill('0.5');
  await page.locator(`${M} abc-experiment-editor button[type=submit]`).click();
  await page.locator(`${M} [data-notice]`).waitFor();
  // The panel stays open for the experiment across the edit.
  await page.locator(`${H} li[data-entry]`).nth(1).waitFor();
  assert.is(await text(page, `${H} li:first-child [data-field=fields]`), 'coverage');
  assert.is(await text(page, `${H} li:nth-child(2) [data-field=fields]`), 'status');

  const [entry] = (
    await (
      await fetch(`${server.baseUrl}/v1/admin/audit?entity_key=checkout_redesign&limit=1`, {
        headers: { 'x-admin-token': ADMIN_TOKEN },
      })
    ).json()
  ).entries as Array<{ actor: string }>;
  assert.is(entry?.actor, 'Zoë QA', 'the server recorded the decoded name');

  await page.locator(`${H}`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: process.env.HISTORY_SCREENSHOT ?? '/tmp/abc-experiment-history.png', fullPage: true });
  await page.locator(`${H} #history-close`).click();
  assert.is(await page.locator(H).count(), 0);
});

test('without a name the change is recorded as unknown', async ({ page, server }) => {
  await unlockAs(page, server, '');
  await page.locator(`${M} #stop-checkout_redesign`).click();
  await page.locator(`${M} #confirm-ok`).click();
  await page
    .locator(`${M} tr[data-experiment=checkout_redesign] [data-field=status]`)
    .filter({ hasText: 'stopped' })
    .waitFor();
  await page.locator(`${M} #history-checkout_redesign`).click();
  await page.locator(`${H} li[data-entry]`).first().waitFor();
  assert.is(await text(page, `${H} li:first-child [data-field=actor]`), 'unknown');
});

run();
