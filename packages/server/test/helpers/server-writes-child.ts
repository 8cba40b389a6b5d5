/**
 * A test server in a process of its own that runs every kind of write a running server makes (admin writes of each
 * definition, event-partition maintenance, a rollup), then prints the async id a promise continuation runs under,
 * before and after, as one JSON line. Node gives promise continuations an async id (not 0) only while a promise hook
 * is on, and an AsyncLocalStorage that was ever entered keeps one on (Node 20). For test/promise-hooks.test.ts.
 */
import { executionAsyncId } from 'node:async_hooks';
import * as assert from 'uvu/assert';
import { runRollup } from '../../src/rollups/run-rollup.js';
import { admin, startTestServer } from './test-server.js';

const asyncIdAfterAwait = async () => {
  await null;
  return executionAsyncId();
};

const before = await asyncIdAfterAwait();
const server = await startTestServer();
const { storage } = server.db;
const expect = async (status: number, sent: Promise<{ status: number; body: unknown }>) => {
  const res = await sent;
  assert.is(res.status, status, JSON.stringify(res.body));
};
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'guided', weight: 0.5 },
];
await expect(201, server.post('/v1/admin/experiments', { key: 'onboarding', status: 'running', variants }, admin));
await expect(409, server.post('/v1/admin/experiments', { key: 'onboarding', variants }, admin));
await expect(
  200,
  server.send('PATCH', '/v1/admin/experiments/onboarding', JSON.stringify({ coverage: 0.5 }), {
    'content-type': 'application/json',
    ...admin,
  }),
);
await expect(200, server.post('/v1/assignment', { user_id: 'u-1' }));
await expect(201, server.post('/v1/admin/funnels', { name: 'journey', steps: ['app_open', 'purchase'] }, admin));
await expect(
  200,
  server.send('PATCH', '/v1/admin/funnels/journey', JSON.stringify({ steps: ['app_open', 'first_catch'] }), {
    'content-type': 'application/json',
    ...admin,
  }),
);
await expect(201, server.post('/v1/admin/metrics', { key: 'revenue', kind: 'sum', event: 'purchase' }, admin));
await expect(
  200,
  server.send('PUT', '/v1/admin/metrics/revenue', JSON.stringify({ kind: 'count', event: 'purchase' }), {
    'content-type': 'application/json',
    ...admin,
  }),
);
await storage.holdouts.create({
  key: 'everyone',
  name: null,
  seed: 'everyone',
  share: 0.02,
  experiment_keys: [],
  all_experiments: true,
});
await storage.holdouts.update('everyone', { share: 0.05 });
await storage.savedGroups.create({ key: 'testers', name: null, values: ['qa-1'] });
await storage.savedGroups.remove('testers');
await storage.eventPartitions.maintain({});
await runRollup(storage, 'daily', { windowDays: 1 });
await expect(200, server.send('DELETE', '/v1/admin/experiments/onboarding', undefined, admin));
const after = await asyncIdAfterAwait();
await server.close();
process.stdout.write(`${JSON.stringify({ before, after })}\n`);
