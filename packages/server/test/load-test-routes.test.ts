import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { LoadTestDataCheck, LoadTestEndpointMetrics } from '@ab-calicritters/core';
import { createLoadTestRouter } from '../src/index.js';
import { DASHBOARD_TOKEN, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer; ids: Record<string, string> }>('GET /v1/metrics/load-tests/*');
const dashboard = { 'x-dashboard-token': DASHBOARD_TOKEN };
const MISSING = '00000000-0000-4000-8000-000000000000';

function metrics(endpoint: string, rps: number, p99: number, errorRate = 0): LoadTestEndpointMetrics {
  return {
    endpoint,
    requests: rps * 10,
    rps,
    status_2xx: rps * 10,
    status_4xx: 0,
    status_5xx: 0,
    timeouts: 0,
    transport_errors: 0,
    error_rate: errorRate,
    latency_p50_ms: p99 / 4,
    latency_p95_ms: p99 / 2,
    latency_p99_ms: p99,
    latency_max_ms: p99 * 2,
    latency_mean_ms: p99 / 3,
  };
}

const checks = (stickyViolations: number): LoadTestDataCheck[] => [
  { name: 'duplicate_event_ids', passed: true, violations: 0, checked: 100, details: {} },
  { name: 'sticky_conflicts', passed: stickyViolations === 0, violations: stickyViolations, checked: 50, details: {} },
];

it.before(async (ctx) => {
  ctx.server = await startTestServer({ loadTests: true });
  ctx.ids = {};
});
it.after(async (ctx) => ctx.server.close());

it('every endpoint answers 401 without the dashboard token, and with a wrong one', async ({ server }) => {
  for (const path of ['/runs', '/latest', `/compare?baseline_run_id=${MISSING}&candidate_run_id=${MISSING}`]) {
    const missing = await server.get(`/v1/metrics/load-tests${path}`);
    assert.is(missing.status, 401, path);
    assert.is(missing.body.error.code, 'unauthorized');
    const wrong = await server.get(`/v1/metrics/load-tests${path}`, { 'x-dashboard-token': 'not-the-token' });
    assert.is(wrong.status, 401, path);
  }
});

it('latest answers nulls and runs an empty list when nothing was stored', async ({ server }) => {
  const latest = await server.get('/v1/metrics/load-tests/latest', dashboard);
  assert.is(latest.status, 200);
  assert.equal(latest.body, { baseline: null, post_mitigation: null });
  const runs = await server.get('/v1/metrics/load-tests/runs', dashboard);
  assert.equal(runs.body, { runs: [] });
});

it('runs lists stored runs newest first with metrics and checks, limited by limit', async ({ server, ids }) => {
  const store = server.db.storage.loadTests;
  const t0 = Date.parse('2026-03-01T10:00:00Z');
  const plan = [
    { key: 'base', phase: 'baseline', rps: 100, p99: 40, sticky: 1, at: 0 },
    { key: 'post', phase: 'post_mitigation', rps: 150, p99: 20, sticky: 0, at: 60_000 },
    { key: 'post_failed', phase: 'post_mitigation', rps: 10, p99: 900, sticky: 0, at: 120_000, failed: true },
  ] as const;
  for (const p of plan) {
    const run = await store.createRun({
      name: `run-${p.key}`,
      scenario: 'assignment',
      phase: p.phase,
      target: 'http://127.0.0.1:3000',
      tags: { branch: p.key },
      config: { connections: 10 },
      started_at: new Date(t0 + p.at),
    });
    await store.saveEndpointMetrics(run.id, [metrics('POST /v1/assignment', p.rps, p.p99)]);
    await store.saveDataChecks(run.id, checks(p.sticky));
    await store.finishRun(run.id, {
      status: 'failed' in p ? 'failed' : 'completed',
      ended_at: new Date(t0 + p.at + 30_000),
      duration_ms: 30_000,
      error: 'failed' in p ? 'target went away' : null,
    });
    ids[p.key] = run.id;
  }

  const all = await server.get('/v1/metrics/load-tests/runs', dashboard);
  assert.is(all.status, 200);
  assert.equal(
    all.body.runs.map((r: { id: string }) => r.id),
    [ids.post_failed, ids.post, ids.base],
  );
  const base = all.body.runs[2];
  assert.is(base.name, 'run-base');
  assert.is(base.status, 'completed');
  assert.equal(base.tags, { branch: 'base' });
  assert.is(base.started_at, '2026-03-01T10:00:00.000Z');
  assert.is(base.ended_at, '2026-03-01T10:00:30.000Z');
  assert.is(base.duration_ms, 30_000);
  assert.equal(base.endpoints, [metrics('POST /v1/assignment', 100, 40)]);
  assert.equal(
    base.data_checks.map((c: LoadTestDataCheck) => [c.name, c.passed]),
    [
      ['duplicate_event_ids', true],
      ['sticky_conflicts', false],
    ],
  );

  const one = await server.get('/v1/metrics/load-tests/runs?limit=1', dashboard);
  assert.equal(
    one.body.runs.map((r: { id: string }) => r.id),
    [ids.post_failed],
  );
});

it('runs refuses a limit outside 1..100 or not an integer with a 400 naming limit', async ({ server }) => {
  for (const limit of ['0', '101', 'abc', '2.5', '-1', '']) {
    const res = await server.get(`/v1/metrics/load-tests/runs?limit=${limit}`, dashboard);
    assert.is(res.status, 400, `limit=${limit}`);
    assert.is(res.body.error.code, 'invalid_query');
    assert.is(res.body.error.details[0].field, 'limit');
  }
  assert.is((await server.get('/v1/metrics/load-tests/runs?limit=100', dashboard)).status, 200);
});

it('latest answers the newest completed run of each phase with its metrics and checks', async ({ server, ids }) => {
  const res = await server.get('/v1/metrics/load-tests/latest', dashboard);
  assert.is(res.status, 200);
  assert.is(res.body.baseline.id, ids.base);
  assert.is(res.body.post_mitigation.id, ids.post, 'the failed later run is not the latest result');
  assert.is(res.body.post_mitigation.endpoints[0].latency_p99_ms, 20);
  assert.is(res.body.post_mitigation.data_checks.length, 2);
  const none = await server.get('/v1/metrics/load-tests/latest?scenario=events', dashboard);
  assert.equal(none.body, { baseline: null, post_mitigation: null });
  const bad = await server.get('/v1/metrics/load-tests/latest?scenario=chaos', dashboard);
  assert.is(bad.status, 400);
  assert.is(bad.body.error.details[0].field, 'scenario');
});

it('compare answers per-endpoint and data-check deltas, candidate minus baseline', async ({ server, ids }) => {
  const res = await server.get(
    `/v1/metrics/load-tests/compare?baseline_run_id=${ids.base}&candidate_run_id=${ids.post}`,
    dashboard,
  );
  assert.is(res.status, 200);
  assert.is(res.body.baseline.id, ids.base);
  assert.is(res.body.candidate.id, ids.post);
  const [endpoint] = res.body.endpoints;
  assert.is(endpoint.endpoint, 'POST /v1/assignment');
  assert.is(endpoint.rps_delta, 50);
  assert.is(endpoint.rps_change, 0.5);
  assert.is(endpoint.latency_p99_ms_delta, -20);
  assert.is(endpoint.latency_p99_change, -0.5);
  assert.is(endpoint.error_rate_delta, 0);
  const sticky = res.body.data_checks.find((c: { name: string }) => c.name === 'sticky_conflicts');
  assert.equal(sticky, {
    name: 'sticky_conflicts',
    baseline_passed: false,
    candidate_passed: true,
    baseline_violations: 1,
    candidate_violations: 0,
    violations_delta: -1,
    change: 'fixed',
  });
});

it('compare answers 404 for an unknown run id and 400 naming malformed or missing ids', async ({ server, ids }) => {
  const unknown = await server.get(
    `/v1/metrics/load-tests/compare?baseline_run_id=${ids.base}&candidate_run_id=${MISSING}`,
    dashboard,
  );
  assert.is(unknown.status, 404);
  assert.is(unknown.body.error.code, 'not_found');
  assert.match(unknown.body.error.message, /candidate_run_id/);

  const malformed = await server.get(
    `/v1/metrics/load-tests/compare?baseline_run_id=12&candidate_run_id=${ids.post}`,
    dashboard,
  );
  assert.is(malformed.status, 400);
  assert.equal(
    malformed.body.error.details.map((d: { field: string }) => d.field),
    ['baseline_run_id'],
  );

  const missing = await server.get('/v1/metrics/load-tests/compare', dashboard);
  assert.is(missing.status, 400);
  assert.equal(
    missing.body.error.details.map((d: { field: string }) => d.field),
    ['baseline_run_id', 'candidate_run_id'],
  );
});

const optIn = suite('load-test routes are opt-in');

optIn('createAbRouter leaves them out unless loadTests is true', async () => {
  const server = await startTestServer();
  try {
    const res = await server.get('/v1/metrics/load-tests/runs', dashboard);
    assert.is(res.status, 404);
  } finally {
    await server.close();
  }
});

optIn('createAbRouter refuses a loadTests that is not a boolean, naming the option', async () => {
  const server = await startTestServer({ loadTests: true });
  try {
    const { createAbRouter } = await import('../src/index.js');
    assert.throws(() => createAbRouter({ storage: server.db.storage, loadTests: 'yes' as never }), /loadTests/);
  } finally {
    await server.close();
  }
});

optIn('createLoadTestRouter mounts them on their own, under a prefix, with the JSON error format', async () => {
  const base = await startTestServer();
  const app = new Koa();
  const router = createLoadTestRouter({
    storage: base.db.storage,
    dashboardToken: DASHBOARD_TOKEN,
    prefix: '/ab',
    logger: { error: () => undefined },
  });
  app.use(router.routes()).use(router.allowedMethods());
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ab/v1/metrics/load-tests`;
  try {
    const ok = await fetch(`${url}/runs`, { headers: dashboard });
    assert.is(ok.status, 200);
    assert.equal(await ok.json(), { runs: [] });
    const denied = await fetch(`${url}/runs`);
    assert.is(denied.status, 401);
    assert.is(((await denied.json()) as { error: { code: string } }).error.code, 'unauthorized');
    const bad = await fetch(`${url}/runs?limit=101`, { headers: dashboard });
    assert.is(bad.status, 400);
    const post = await fetch(`${url}/runs`, { method: 'POST', headers: dashboard });
    assert.is(post.status, 405);
    assert.is(((await post.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
    assert.throws(() => createLoadTestRouter({ storage: base.db.storage, prefix: 'ab' }), /prefix/);
    assert.throws(() => createLoadTestRouter({ storage: base.db.storage, dashboardToken: 'short' }), /dashboardToken/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await base.close();
  }
});

it.run();
optIn.run();
