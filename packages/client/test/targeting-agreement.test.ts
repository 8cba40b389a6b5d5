/**
 * Targeting through a real server and through local evaluation: for definitions with conditions, namespaces, a hash
 * attribute, payloads and a release, the client's answer from the server and its own evaluation of the same
 * definitions agree on variant, reason and payload, with hand-written definitions and with the ones the server serves
 * (holdouts included); a change of attributes refetches.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createAbRouter } from '@ab-calicritters/server';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { createClient, createMemoryStorage, type TargetedExperiment } from '@ab-calicritters/client';

const ADMIN = 'targeting-admin-token';
const variants = [
  { key: 'control', weight: 0.5, value: { title: 'Go premium' } },
  { key: 'urgency', weight: 0.5, value: { title: 'Last chance' } },
];
// Admin API definitions (snake_case) and the same experiments as the client's TargetedExperiment.
const experiments = [
  { key: 'ca_paywall', variants, condition: { country: 'CA', 'app.version': { $vgte: '3.2.0' } } },
  { key: 'half_namespace', variants, namespace: ['paywalls', 0, 0.5] as const, coverage: 0.8 },
  { key: 'by_device', variants, hash_attribute: 'device_id', fallback_attribute: null },
  { key: 'shipped', variants, status: 'released', released_variant: 'urgency' },
];
const definitions: TargetedExperiment[] = experiments.map(({ hash_attribute, released_variant, status, ...e }) => ({
  ...e,
  ...(hash_attribute && { hashAttribute: hash_attribute }),
  ...(released_variant && { released: released_variant }),
  ...(status === 'released' && { active: false }),
}));

test('server answers and local evaluation agree on variant, reason and payload', async () => {
  const db = await createTestStorage();
  const app = new Koa();
  app.use(createAbRouter({ storage: db.storage, adminToken: ADMIN, experimentCacheTtlMs: 0 }).routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const e of experiments) {
      const res = await fetch(`${baseUrl}/v1/admin/experiments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN, 'x-admin-actor': 'test' },
        body: JSON.stringify({ status: 'running', ...e }),
      });
      assert.is(res.status, 201, `${e.key}: ${await res.text()}`);
    }
    const reasons = new Set<string>();
    const attributeSets = [
      { country: 'CA', app: { version: '3.4.0' }, device_id: 'd-1' },
      { country: 'CA', app: { version: '3.1.9' } },
      { country: 'US', app: { version: '4.0.0' }, device_id: 'd-2' },
    ];
    for (let i = 0; i < 40; i++) {
      const attributes = attributeSets[i % attributeSets.length]!;
      const options = { baseUrl, userId: `user-${i}`, attributes, autoRefresh: false, flushIntervalMs: 0 };
      const remote = createClient({ ...options, storage: createMemoryStorage(), autoExposure: false });
      const local = createClient({ ...options, storage: createMemoryStorage(), definitions, autoExposure: false });
      assert.ok(await remote.refreshAssignments(), 'refresh succeeded');
      for (const { key } of definitions) {
        const fromServer = remote.getAssignment(key);
        const fromDevice = local.getAssignment(key);
        reasons.add(fromServer.reason);
        const label = `${key} / user-${i} / ${JSON.stringify(attributes)}`;
        assert.equal(
          [fromServer.variant, fromServer.reason, fromServer.value],
          [fromDevice.variant, fromDevice.reason, fromDevice.value],
          label,
        );
      }
      await Promise.all([remote.shutdown(100), local.shutdown(100)]);
    }
    for (const reason of ['assigned', 'not_targeted', 'namespace', 'released']) assert.ok(reasons.has(reason), reason);
  } finally {
    server.close();
    await db.close();
  }
});

test('definitions fetched from GET /v1/definitions, a holdout included, decide as the server does', async () => {
  const db = await createTestStorage();
  const app = new Koa();
  app.use(createAbRouter({ storage: db.storage, adminToken: ADMIN, experimentCacheTtlMs: 0 }).routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { 'content-type': 'application/json', 'x-admin-token': ADMIN, 'x-admin-actor': 'test' };
  try {
    for (const e of experiments) {
      const body = JSON.stringify({ status: 'running', ...e });
      const res = await fetch(`${baseUrl}/v1/admin/experiments`, { method: 'POST', headers, body });
      assert.is(res.status, 201, `${e.key}: ${await res.text()}`);
    }
    const holdout = JSON.stringify({ key: 'global_holdout', share: 0.3, all_experiments: true });
    assert.is((await fetch(`${baseUrl}/v1/admin/holdouts`, { method: 'POST', headers, body: holdout })).status, 201);

    const reasons = new Set<string>();
    const options = { baseUrl, autoRefresh: false, flushIntervalMs: 0, autoExposure: false };
    const local = createClient({ ...options, userId: 'nobody-yet', storage: createMemoryStorage() });
    assert.ok(await local.fetchDefinitions(), 'definitions fetched');
    for (let i = 0; i < 60; i++) {
      const attributes = { country: i % 3 ? 'CA' : 'US', app: { version: '3.4.0' }, device_id: `d-${i}` };
      const remote = createClient({ ...options, userId: `held-${i}`, attributes, storage: createMemoryStorage() });
      assert.ok(await remote.refreshAssignments(), 'refresh succeeded');
      local.identify(`held-${i}`, attributes);
      for (const { key } of experiments) {
        const fromServer = remote.getAssignment(key);
        const fromDevice = local.getAssignment(key);
        reasons.add(fromServer.reason);
        assert.equal(
          [fromDevice.variant, fromDevice.reason, fromDevice.value],
          [fromServer.variant, fromServer.reason, fromServer.value],
          `${key} / held-${i}`,
        );
      }
      await remote.shutdown(100);
    }
    for (const reason of ['assigned', 'holdout', 'released']) assert.ok(reasons.has(reason), reason);
    await local.shutdown(100);
  } finally {
    server.close();
    await db.close();
  }
});

test('a change of attributes makes the next read ask the real server again', async () => {
  const db = await createTestStorage();
  const app = new Koa();
  app.use(createAbRouter({ storage: db.storage, adminToken: ADMIN, experimentCacheTtlMs: 0 }).routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const res = await fetch(`${baseUrl}/v1/admin/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN, 'x-admin-actor': 'test' },
      body: JSON.stringify({ status: 'running', key: 'ca_only', variants, condition: { country: 'CA' } }),
    });
    assert.is(res.status, 201);
    const client = createClient({
      baseUrl,
      userId: 'traveller',
      attributes: { country: 'US' },
      storage: createMemoryStorage(),
      experimentKeys: ['ca_only'],
      flushIntervalMs: 0,
      autoExposure: false,
    });
    await client.ready;
    for (let i = 0; i < 50 && client.getAssignment('ca_only').source === 'none'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.is(client.getAssignment('ca_only').reason, 'not_targeted');
    client.setAttributes({ country: 'CA' });
    client.getVariant('ca_only');
    for (let i = 0; i < 50 && client.getAssignment('ca_only').reason === 'not_targeted'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const now = client.getAssignment('ca_only');
    assert.is(now.reason, 'assigned');
    assert.equal(now.value, variants.find((v) => v.key === now.variant)!.value);
    await client.shutdown(100);
  } finally {
    server.close();
    await db.close();
  }
});

test.run();
