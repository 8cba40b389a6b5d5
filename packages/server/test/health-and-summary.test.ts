import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('health and summary');

it.before(async (ctx) => {
  ctx.server = await startTestServer();
});
it.after(async (ctx) => ctx.server.close());

it('GET /health is 200 with db ok', async ({ server }) => {
  const res = await server.get('/health');
  assert.is(res.status, 200);
  assert.equal(res.body, { status: 'ok', db: 'ok' });
});

it('GET /v1/metrics/summary counts events, users and running experiments without a token', async ({ server }) => {
  await createExperiment(server, {
    key: 'e1',
    variants: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  });
  const now = new Date().toISOString();
  const events = ['u1', 'u1', 'u2'].map((user_id) => ({
    event_id: randomUUID(),
    user_id,
    name: 'app_open',
    timestamp: now,
  }));
  await server.post('/v1/events', { events });
  const res = await server.get('/v1/metrics/summary');
  assert.is(res.status, 200);
  assert.equal(res.body, { total_events: 3, total_users: 2, running_experiments: 1, last_rollup_at: null });
});

it('routes we do not own are left to the host (404 from Koa, no JSON error body of ours)', async ({ server }) => {
  for (const path of ['/not-ours', '/v1/users', '/V1/ADMIN/experiments']) {
    const res = await server.get(path);
    assert.is(res.status, 404, path);
    assert.is(res.body, 'Not Found', path);
  }
});

it('an unknown path in our admin and metrics families is a JSON 404, not plain text', async ({ server }) => {
  for (const path of ['/v1/admin/nope', '/v1/metrics/nope', '/v1/admin']) {
    const res = await server.get(path, { 'x-admin-token': 'test-admin-token' });
    assert.is(res.status, 404, path);
    assert.is(res.body.error.code, 'not_found', path);
    assert.match(res.body.error.message, new RegExp(`GET ${path}`));
  }
});

it('a wrong method on one of our paths is 405 with an Allow header and a JSON error', async ({ server }) => {
  const res = await server.get('/v1/events');
  assert.is(res.status, 405);
  assert.is(res.headers.get('allow'), 'POST');
  assert.equal(res.body, {
    error: { code: 'method_not_allowed', message: 'GET is not supported here; allowed: POST' },
  });
});

it('database down: /health is 503 with db down, writes are 503 with a JSON error, nothing leaks', async ({
  server,
}) => {
  await server.db.dropNow();
  const health = await server.get('/health');
  assert.is(health.status, 503);
  assert.equal(health.body, { status: 'degraded', db: 'down' });
  const now = new Date().toISOString();
  const write = await server.post('/v1/events', {
    events: [{ event_id: randomUUID(), user_id: 'u', name: 'x', timestamp: now }],
  });
  assert.is(write.status, 503, JSON.stringify(server.errors.map((e: any) => String(e.err?.message ?? e))));
  assert.is(write.body.error.code, 'database_unavailable');
  assert.ok(!JSON.stringify(write.body).includes(' at '), 'no stack trace');
  const assignment = await server.post('/v1/assignment', { user_id: 'u' });
  assert.is(assignment.status, 503);
});

it.run();
