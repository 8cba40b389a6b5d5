/**
 * Holdout results in real headless Chromium against a real server: `<abc-holdout-results>` on its own shows the
 * held-out users against the exposed ones in the experiment results table, and the rules panel of the dashboard's
 * manager opens the same view for a holdout covering the experiment.
 */
import * as assert from 'uvu/assert';
import { runRollup } from '@ab-calicritters/server';
import { storageOrm } from '@ab-calicritters/server/testing';
import { browserSuite, fixture, text } from './helpers/browser-suite.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN, type DemoServer } from './helpers/demo-server.js';

const { test, run } = browserSuite('holdout results in Chromium', { injectToken: true });
const H = 'abc-holdout-results';
let seeded = false;

/**
 * A holdout over every experiment whose rows are the demo's assigned users, about one in ten held out (by a hash
 * of the id, so the split is stable), then the experiments rollup over 30 days.
 */
async function seedHoldout(server: DemoServer): Promise<{ held: number; exposed: number }> {
  const em = storageOrm(server.storage).em.fork();
  if (!seeded) {
    const response = await fetch(`${server.baseUrl}/v1/admin/holdouts`, {
      method: 'POST',
      headers: { 'x-admin-token': ADMIN_TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'long_run', name: 'Long-run holdout', share: 0.1, all_experiments: true }),
    });
    assert.is(response.status, 201);
    await em.getConnection().execute(
      `insert into holdout_assignments (holdout_key, user_id, arm, assigned_at)
       select 'long_run', user_id, case when abs(hashtext(user_id)) % 10 = 0 then 'holdout' else 'exposed' end,
              min(assigned_at)
         from assignments group by user_id`,
    );
    await runRollup(server.storage, 'experiments', { windowDays: 30, now: server.now });
    seeded = true;
  }
  const [counts] = await em.getConnection().execute<Array<{ held: string; exposed: string }>>(
    `select count(*) filter (where arm = 'holdout') as held, count(*) filter (where arm = 'exposed') as exposed
         from holdout_assignments where holdout_key = 'long_run' and assigned_at >= now() - interval '29 days'`,
  );
  return { held: Number(counts?.held), exposed: Number(counts?.exposed) };
}

test('<abc-holdout-results> shows held-out against exposed users with the results table', async ({ page, server }) => {
  const { held, exposed } = await seedHoldout(server);
  assert.ok(held > 0 && exposed > held, `${held} held out, ${exposed} exposed`);
  await fixture(
    page,
    server,
    `<abc-holdout-results holdout-key="long_run" token="${DASHBOARD_TOKEN}" window-days="30"></abc-holdout-results>`,
  );
  await page.locator(`${H} tr[data-variant=exposed]`).waitFor();
  assert.is(await text(page, `${H} h2`), 'Long-run holdout');
  assert.match(await text(page, `${H} .subtitle`), /long_run/);
  assert.is(await text(page, `${H} tr[data-variant=holdout] th`), 'holdout control');
  const assigned = async (arm: string) =>
    Number((await text(page, `${H} tr[data-variant=${arm}] [data-field=assigned]`)).replace(/\D/g, ''));
  assert.ok((await assigned('holdout')) > 0);
  assert.ok((await assigned('exposed')) > (await assigned('holdout')));
  assert.match(await text(page, `${H} .footnote`), /Control is holdout/);
  assert.is(await page.locator(`${H} .verdict[data-variant=exposed]`).count(), 1);
});

test("the manager's rules panel opens the results of a holdout covering the experiment", async ({ page, server }) => {
  await seedHoldout(server);
  await page.goto(`${server.baseUrl}/dashboard`);
  await page.locator('abc-dashboard [role=tab]#tab-manage').click();
  const M = 'abc-dashboard abc-experiment-manager';
  await page.locator(`${M} #admin-token`).fill(ADMIN_TOKEN);
  await page.locator(`${M} #admin-token-form button[type=submit]`).click();
  await page.locator(`${M} #rules-paywall_copy`).click();
  const R = `${M} abc-experiment-rules`;
  const toggle = page.locator(`${R} [data-holdout-results=long_run]`);
  await toggle.waitFor();
  assert.is(await text(page, `${R} [data-holdout-results=long_run]`), 'Results');
  await toggle.click();
  await page.locator(`${R} ${H} tr[data-variant=holdout]`).waitFor();
  assert.is(await toggle.getAttribute('aria-pressed'), 'true');
  await toggle.click();
  assert.is(await page.locator(`${R} ${H}`).count(), 0, 'hidden again');
});

run();
