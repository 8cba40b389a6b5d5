/** ADMIN_TOKEN_PREVIOUS / DASHBOARD_TOKEN_PREVIOUS keep the old tokens working next to the new ones during a rotation. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { readServerConfig } from '../src/config.js';
import { createStandaloneApp } from '../src/standalone-app.js';

test('the standalone app accepts the current and the previous token; other tokens get 401', async () => {
  const config = readServerConfig({
    ADMIN_TOKEN: 'new-admin-token',
    ADMIN_TOKEN_PREVIOUS: 'old-admin-token',
    DASHBOARD_TOKEN: 'new-dash-token',
    DASHBOARD_TOKEN_PREVIOUS: 'old-dash-token',
  });
  const db = await createTestStorage();
  const app = createStandaloneApp({ ...config, storage: db.storage, logger: console, rateLimit: false });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const status = async (path: string, headers: Record<string, string>) =>
    (await fetch(base + path, { headers })).status;
  try {
    assert.is(await status('/v1/admin/experiments', { 'x-admin-token': 'new-admin-token' }), 200);
    assert.is(await status('/v1/admin/experiments', { 'x-admin-token': 'old-admin-token' }), 200);
    assert.is(await status('/v1/admin/experiments', { 'x-admin-token': 'old-dash-token' }), 401);
    assert.is(await status('/v1/metrics/daily', { 'x-dashboard-token': 'old-dash-token' }), 200);
    assert.is(await status('/v1/metrics/daily', { 'x-dashboard-token': 'new-dash-token' }), 200);
    assert.is(await status('/v1/metrics/daily', { 'x-dashboard-token': 'old-admin-token' }), 401);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  }
});

test.run();
