import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAbRouter } from '../src/index.js';
import { startTestServer } from './helpers/test-server.js';

test('during a rotation each listed token is accepted; after it only the new one', async () => {
  const during = await startTestServer({
    adminToken: ['new-admin-token', 'old-admin-token'],
    dashboardToken: ['new-dash-token', 'old-dash-token'],
  });
  try {
    for (const token of ['new-admin-token', 'old-admin-token']) {
      assert.is((await during.get('/v1/admin/experiments', { 'x-admin-token': token })).status, 200, token);
    }
    for (const token of ['new-dash-token', 'old-dash-token']) {
      assert.is((await during.get('/v1/metrics/daily', { 'x-dashboard-token': token })).status, 200, token);
    }
    assert.is((await during.get('/v1/admin/experiments', { 'x-admin-token': 'new-dash-token' })).status, 401);
    assert.is((await during.get('/v1/admin/experiments', { 'x-admin-token': 'other-token' })).status, 401);
  } finally {
    await during.close();
  }
  const after = await startTestServer({ adminToken: ['new-admin-token'] });
  try {
    assert.is((await after.get('/v1/admin/experiments', { 'x-admin-token': 'old-admin-token' })).status, 401);
    assert.is((await after.get('/v1/admin/experiments', { 'x-admin-token': 'new-admin-token' })).status, 200);
  } finally {
    await after.close();
  }
});

test('an empty token list disables the endpoints; a short token in a list is refused at construction', async () => {
  const server = await startTestServer({ adminToken: [] });
  try {
    const res = await server.get('/v1/admin/experiments', { 'x-admin-token': '' });
    assert.is(res.status, 401);
    assert.match(res.body.error.message, /disabled/);
    assert.throws(
      () => createAbRouter({ storage: server.db.storage, adminToken: ['long-enough-token', 'short'] }),
      /adminToken must be at least 8/,
    );
    assert.throws(
      () => createAbRouter({ storage: server.db.storage, dashboardToken: 42 as unknown as string }),
      /dashboardToken must be a string or a list/,
    );
  } finally {
    await server.close();
  }
});

test.run();
