/**
 * The rules panel of the experiment manager in real headless Chromium against a real server: a targeted,
 * namespaced experiment with payloads, a holdout and overrides reads as stored; "Release variant…" asks, then
 * releases through the admin API; a release the server refuses shows its message and the field it names.
 */
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { browserSuite, text } from './helpers/browser-suite.js';
import { ADMIN_TOKEN, type DemoServer } from './helpers/demo-server.js';

const { test, run } = browserSuite('experiment rules in Chromium');

const M = 'abc-experiment-manager';
const R = `${M} abc-experiment-rules`;

async function admin(server: DemoServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'x-admin-token': ADMIN_TOKEN, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function createTargeted(server: DemoServer, key: string, extra: Record<string, unknown> = {}): Promise<void> {
  await admin(server, 'POST', '/v1/admin/experiments', {
    key,
    name: 'Paywall price test',
    status: 'running',
    coverage: 0.8,
    condition: { country: { $in: ['CA', 'US'] }, app_version: { $vgte: '3.2' } },
    hash_attribute: 'device_id',
    fallback_attribute: 'id',
    namespace: [`paywall_${key}`, 0.3, 0.5],
    variants: [
      { key: 'control', weight: 0.5, value: { price: 4.99, headline: 'Go pro' } },
      { key: 'discount', weight: 0.5, value: { price: 2.99, headline: 'Half price this week' } },
    ],
    ...extra,
  });
}

async function openRules(page: Page, server: DemoServer, key: string): Promise<void> {
  await page.goto(`${server.baseUrl}/fixture`);
  await page.waitForFunction(() => customElements.get('abc-experiment-manager') !== undefined);
  await page.evaluate(() => {
    document.body.innerHTML = '<abc-experiment-manager></abc-experiment-manager>';
  });
  await page.locator(`${M} #admin-token`).fill(ADMIN_TOKEN);
  await page.locator(`${M} #admin-actor`).fill('Ana');
  await page.locator(`${M} #admin-token-form button[type=submit]`).click();
  await page.locator(`${M} #rules-${key}`).click();
  await page.locator(`${R} [data-field=state]`).waitFor();
}

test('the rules panel reads a targeted, namespaced experiment with a holdout, overrides and payloads as stored', async ({
  page,
  server,
}) => {
  await createTargeted(server, 'price_rules');
  await admin(server, 'POST', '/v1/admin/holdouts', {
    key: 'long_run',
    name: 'Long-run holdout',
    share: 0.05,
    all_experiments: true,
  });
  await admin(server, 'PUT', '/v1/admin/experiments/price_rules/overrides/qa-phone-1', { variant: 'discount' });
  await admin(server, 'PUT', '/v1/admin/experiments/price_rules/overrides/qa-phone-2', { variant: 'discount' });
  await openRules(page, server, 'price_rules');

  assert.is(await text(page, `${R} [data-field=state]`), 'Running');
  assert.is(
    await text(page, `${R} [data-field=targeting] .words`),
    'country is one of CA, US and app_version ≥ 3.2 (version)',
  );
  assert.is(await text(page, `${R} [data-field=hashing]`), 'device_id, else id');
  assert.is(await text(page, `${R} [data-field=coverage]`), '80% of targeted users');
  assert.is(await text(page, `${R} [data-field=namespace]`), 'paywall_price_rules: 30% – 50% (20% of it)');
  assert.match(await text(page, `${R} [data-field=holdouts]`), /Long-run holdout: 5% held out \(all experiments\)/);
  assert.is(await text(page, `${R} [data-field=overrides]`), '2 users forced (discount 2)');
  assert.match(
    await text(page, `${R} li[data-variant=discount] [data-field=payload]`),
    /"headline": "Half price this week"/,
  );
  await admin(server, 'DELETE', '/v1/admin/holdouts/long_run');
});

test('"Release variant…" asks first, then releases through the admin API; the panel and the list say so', async ({
  page,
  server,
}) => {
  await createTargeted(server, 'price_release');
  await openRules(page, server, 'price_release');
  await page.locator(`${R} #release-variant`).selectOption('discount');
  await page.locator(`${R} #release-open`).click();
  await page.locator(`${R} dialog[open]`).waitFor();
  assert.is(await text(page, `${R} #release-title`), 'Release discount of Paywall price test?');
  await page.screenshot({ path: '/tmp/experiment-rules-dialog.png' });
  // Cancel sends nothing.
  await page.locator(`${R} #release-cancel`).click();
  assert.is((await admin(server, 'GET', '/v1/admin/experiments/price_release')).status, 'running');

  const changed = page.evaluate(
    () =>
      new Promise((resolve) =>
        document.addEventListener('abc-experiment-status-change', (e) => resolve((e as CustomEvent).detail.action), {
          once: true,
        }),
      ),
  );
  await page.locator(`${R} #release-open`).click();
  await page.locator(`${R} dialog[open] #release-confirm`).click();
  assert.is(await changed, 'release');
  await page.locator(`${R} [data-notice]`).filter({ hasText: 'everyone gets discount' }).waitFor();
  assert.is(await text(page, `${R} [data-field=state]`), 'Released → discount');
  assert.match(await text(page, `${R} [data-field=state-detail]`), /^Everyone gets discount since /);
  await page
    .locator(`${M} tr[data-experiment=price_release] [data-field=status]`, { hasText: 'released → discount' })
    .waitFor();
  const stored = await admin(server, 'GET', '/v1/admin/experiments/price_release');
  assert.equal([stored.status, stored.released_variant], ['released', 'discount']);
  assert.ok(stored.released_at, 'released_at is set');
  const audit = await admin(server, 'GET', '/v1/admin/audit?entity_kind=experiment&entity_key=price_release&limit=1');
  assert.is(
    (audit.entries as Array<{ actor: string }>)[0]?.actor,
    'Ana',
    'the release is audited under the typed name',
  );
  await page.locator(`${R}`).screenshot({ path: '/tmp/experiment-rules.png' });
});

test('a release the server refuses shows its message and the field it names; the experiment is unchanged', async ({
  page,
  server,
}) => {
  await createTargeted(server, 'price_refused');
  await openRules(page, server, 'price_refused');
  await page.locator(`${R} #release-variant`).selectOption('discount');
  // Changed elsewhere after the panel was read: the variant it offers is gone.
  await admin(server, 'PATCH', '/v1/admin/experiments/price_refused', {
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'cheaper', weight: 0.5 },
    ],
  });
  await page.locator(`${R} #release-open`).click();
  await page.locator(`${R} dialog[open] #release-confirm`).click();
  const problem = page.locator(`${R} #release-problem[role=alert]`);
  await problem.waitFor();
  assert.is(await problem.getAttribute('data-kind'), 'invalid');
  assert.match(await text(page, `${R} #release-problem`), /refused/);
  assert.match(await text(page, `${R} #release-problem li[data-field="/released_variant"]`), /released_variant/);
  assert.is((await admin(server, 'GET', '/v1/admin/experiments/price_refused')).status, 'running');
  await page.locator(`${R} #release-problem`).screenshot({ path: '/tmp/experiment-rules-error.png' });
});

test('a payload typed in the editor is stored as its JSON value and shown in the rules; text that is not JSON is named at its input', async ({
  page,
  server,
}) => {
  await createTargeted(server, 'price_payload');
  await openRules(page, server, 'price_payload');
  const editor = `${M} abc-experiment-editor`;
  await page.locator(`${M} #edit-price_payload`).click();
  await page.locator(`${editor} #variant-value-1`).fill('{"price": 1.99,');
  assert.match(await text(page, `${editor} .field-error[data-for="/variants/1/value"]`), /must be JSON/);
  assert.is(await page.locator(`${editor} #variant-value-1`).getAttribute('aria-invalid'), 'true');
  await page.locator(`${editor} #variant-value-1`).fill('{"price": 1.99, "headline": "Flash sale"}');
  await page.locator(`${editor} button[type=submit]`).click();
  await page.locator(`${M} [data-notice]`).filter({ hasText: 'price_payload was saved' }).waitFor();
  const stored = await admin(server, 'GET', '/v1/admin/experiments/price_payload');
  assert.equal(stored.variants, [
    { key: 'control', weight: 0.5, value: { price: 4.99, headline: 'Go pro' } },
    { key: 'discount', weight: 0.5, value: { price: 1.99, headline: 'Flash sale' } },
  ]);
  // The panel stays open under the table and reads the saved payload.
  await page.locator(`${R} li[data-variant=discount] [data-field=payload]`, { hasText: 'Flash sale' }).waitFor();
});

run();
