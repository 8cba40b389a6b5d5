/**
 * Saved groups through a real server and through local evaluation: an experiment targeting `$inGroup` decides the
 * same on the server (`POST /v1/assignment`) and on the device with the definitions and saved groups it fetched from
 * `GET /v1/definitions`, before and after the group's values change.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createAbRouter } from '@ab-calicritters/server';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { createClient, createMemoryStorage } from '@ab-calicritters/client';

const ADMIN = 'saved-groups-admin-token';
const variants = [
  { key: 'control', weight: 0.5, value: { title: 'Go premium' } },
  { key: 'beta', weight: 0.5, value: { title: 'Try the beta' } },
];

test('an $inGroup experiment decides the same on the server and offline via fetchDefinitions()', async () => {
  const db = await createTestStorage();
  const app = new Koa();
  app.use(createAbRouter({ storage: db.storage, adminToken: ADMIN, experimentCacheTtlMs: 0 }).routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { 'content-type': 'application/json', 'x-admin-token': ADMIN, 'x-admin-actor': 'test' };
  const admin = (method: string, path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method, headers, body: JSON.stringify(body) });
  try {
    const staff = ['user-0', 'user-3', 'user-6', 7];
    assert.is((await admin('POST', '/v1/admin/saved-groups', { key: 'staff', values: staff })).status, 201);
    assert.is((await admin('POST', '/v1/admin/saved-groups', { key: 'blocked', values: ['XX'] })).status, 201);
    const experiments = [
      { key: 'staff_beta', variants, condition: { id: { $inGroup: 'staff' } } },
      { key: 'open_beta', variants, condition: { country: { $notInGroup: 'blocked' } } },
      { key: 'badge_beta', variants, condition: { badge: { $inGroup: 'staff' } } },
    ];
    for (const e of experiments) {
      const res = await admin('POST', '/v1/admin/experiments', { status: 'running', ...e });
      assert.is(res.status, 201, `${e.key}: ${await res.text()}`);
    }

    const options = { baseUrl, autoRefresh: false, flushIntervalMs: 0, autoExposure: false };
    const local = createClient({ ...options, userId: 'nobody-yet', storage: createMemoryStorage() });
    const compare = async (round: number) => {
      assert.ok(await local.fetchDefinitions(), 'definitions fetched');
      const reasons = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const userId = `user-${i}-r${round}`.replace(/-r0$/, '');
        const attributes = { country: i % 4 === 1 ? 'XX' : 'CA', badge: i % 5 === 0 ? 7 : 8 };
        const remote = createClient({ ...options, userId, attributes, storage: createMemoryStorage() });
        assert.ok(await remote.refreshAssignments(), 'refresh succeeded');
        local.identify(userId, attributes);
        for (const { key } of experiments) {
          const fromServer = remote.getAssignment(key);
          const fromDevice = local.getAssignment(key);
          reasons.add(`${key}:${fromServer.reason}`);
          assert.equal(
            [fromDevice.variant, fromDevice.reason, fromDevice.value],
            [fromServer.variant, fromServer.reason, fromServer.value],
            `${key} / ${userId}`,
          );
        }
        await remote.shutdown(100);
      }
      return reasons;
    };
    const first = await compare(0);
    for (const key of ['staff_beta', 'open_beta', 'badge_beta']) {
      assert.ok(first.has(`${key}:assigned`), `${key} assigns someone`);
      assert.ok(first.has(`${key}:not_targeted`), `${key} leaves someone out`);
    }
    // New values reach the server at once and the device with its next fetch.
    const renamed = staff.map((v) => (typeof v === 'string' ? `${v}-r1` : v));
    assert.is((await admin('PATCH', '/v1/admin/saved-groups/staff', { values: renamed })).status, 200);
    const second = await compare(1);
    assert.ok(second.has('staff_beta:assigned'), 'the new members are in');
    await local.shutdown(100);
  } finally {
    server.close();
    await db.close();
  }
});

test.run();
