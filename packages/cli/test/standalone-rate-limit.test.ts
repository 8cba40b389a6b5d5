/** The standalone app of `serve` limits the public write endpoints unless told not to, with the configured budgets. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { readRateLimit } from '../src/config.js';
import { createStandaloneApp, type StandaloneAppOptions } from '../src/standalone-app.js';

async function withApp(
  rateLimit: StandaloneAppOptions['rateLimit'],
  run: (post: (body: unknown) => Promise<Response>) => Promise<void>,
) {
  const db = await createTestStorage();
  const app = createStandaloneApp({
    storage: db.storage,
    adminToken: 'standalone-admin',
    dashboardToken: 'standalone-dash',
    logger: console,
    rateLimit,
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/assignment`;
  try {
    await run((body) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  }
}

test('RATE_LIMIT_* from the environment limit the standalone app; RATE_LIMIT=off and the default behave as documented', async () => {
  await withApp(readRateLimit({ RATE_LIMIT_ASSIGNMENTS_PER_IP: '2' }), async (post) => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post({ user_id: `standalone-${i}` })).status);
    assert.equal(statuses, [200, 200, 429]);
  });
  await withApp(undefined, async (post) => {
    // On by default: over the per-user budget (60 a minute) one user is refused.
    const statuses = [];
    for (let i = 0; i < 61; i++) statuses.push((await post({ user_id: 'standalone-default' })).status);
    assert.is(statuses.filter((s) => s === 429).length, 1);
    const body = (await (await post({ user_id: 'standalone-default' })).json()) as {
      error: { details: { limit: string; max: number }[] };
    };
    assert.equal(body.error.details, [{ limit: 'assignments_per_user', max: 60, window_seconds: 60 }]);
  });
  await withApp(readRateLimit({ RATE_LIMIT: 'off', RATE_LIMIT_ASSIGNMENTS_PER_IP: '2' }), async (post) => {
    for (let i = 0; i < 70; i++) assert.is((await post({ user_id: 'standalone-off' })).status, 200);
  });
});

test.run();
