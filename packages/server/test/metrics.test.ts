import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createMetrics, metricsMiddleware, runRollup, type AbMetrics } from '../src/index.js';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer; metrics: AbMetrics }>('Prometheus metrics');

/** The value of one sample line, e.g. `ab_events_total{result="accepted"}`; undefined when absent. */
async function sample(metrics: AbMetrics, series: string): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const event = (overrides: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  user_id: 'u-metrics',
  name: 'app_open',
  timestamp: new Date().toISOString(),
  ...overrides,
});

it.before(async (ctx) => {
  ctx.metrics = createMetrics();
  ctx.server = await startTestServer({ metrics: ctx.metrics });
  for (const key of ['metrics_a', 'metrics_b'])
    await createExperiment(ctx.server, {
      key,
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
    });
});
it.after(async (ctx) => ctx.server.close());

it('counts assignments new and returning, events by result, and requests per route template', async (ctx) => {
  const { server, metrics } = ctx;
  for (const user of ['m1', 'm2']) assert.is((await server.post('/v1/assignment', { user_id: user })).status, 200);
  assert.is((await server.post('/v1/assignment', { user_id: 'm1' })).status, 200);
  assert.is(await sample(metrics, 'ab_assignments_total{kind="new"}'), 4);
  assert.is(await sample(metrics, 'ab_assignments_total{kind="returning"}'), 2);

  const batch = [event(), event()];
  await server.post('/v1/events', { events: batch });
  await server.post('/v1/events', { events: [...batch, event(), { ...event(), event_id: 'not-a-uuid' }] });
  assert.is(await sample(metrics, 'ab_events_total{result="accepted"}'), 3);
  assert.is(await sample(metrics, 'ab_events_total{result="duplicate"}'), 2);
  assert.is(await sample(metrics, 'ab_events_total{result="rejected"}'), 1);

  assert.is(await sample(metrics, 'ab_http_requests_total{method="POST",route="/v1/assignment",status="200"}'), 3);
  assert.is(await sample(metrics, 'ab_http_requests_total{method="POST",route="/v1/events",status="200"}'), 2);
  assert.is(
    await sample(metrics, 'ab_http_request_duration_seconds_count{method="POST",route="/v1/assignment",status="200"}'),
    3,
  );
  // A parameterised route is labelled by its template, and the status is the one answered (here an error's).
  await server.get('/v1/admin/experiments/metrics_a', admin);
  await server.get('/v1/admin/experiments/no_such_key', admin);
  assert.is(
    await sample(metrics, 'ab_http_requests_total{method="GET",route="/v1/admin/experiments/:key",status="200"}'),
    1,
  );
  assert.is(
    await sample(metrics, 'ab_http_requests_total{method="GET",route="/v1/admin/experiments/:key",status="404"}'),
    1,
  );
  assert.is((await server.post('/v1/assignment', { user_id: 7 })).status, 400);
  assert.is(await sample(metrics, 'ab_http_requests_total{method="POST",route="/v1/assignment",status="400"}'), 1);
});

it('unknown paths and raw URLs never become label values', async ({ server, metrics }) => {
  const before = (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('ab_http_requests_total'));
  for (let i = 0; i < 5; i++) {
    await server.get(`/v1/metrics/nope-${i}`);
    await server.get(`/random/${randomUUID()}`);
    await server.get(`/health?x=${i}`);
  }
  const after = (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('ab_http_requests_total'));
  const series = (lines: string[]) => lines.map((l) => l.slice(0, l.lastIndexOf(' ')));
  const added = series(after).filter((s) => !series(before).includes(s));
  assert.equal(added, ['ab_http_requests_total{method="GET",route="/health",status="200"}']);
  assert.not.match(after.join('\n'), /nope-|random|x=/);
});

it('rollup runs: duration per job and outcome, age of the last success, pool usage', async ({ server, metrics }) => {
  assert.is(await sample(metrics, 'ab_rollup_last_success_age_seconds{job="daily"}'), undefined);
  await runRollup(server.db.storage, 'daily', { windowDays: 2, metrics });
  assert.is(await sample(metrics, 'ab_rollup_duration_seconds_count{job="daily",outcome="succeeded"}'), 1);
  const age = await sample(metrics, 'ab_rollup_last_success_age_seconds{job="daily"}');
  assert.ok(age !== undefined && age >= 0 && age < 60, `age ${age}`);
  assert.is(await sample(metrics, 'ab_rollup_last_success_age_seconds{job="funnels"}'), undefined);
  const max = await sample(metrics, 'ab_db_pool_connections_max');
  assert.ok(max !== undefined && max >= 1, `pool max ${max}`);
  assert.ok((await metrics.registry.metrics()).includes('ab_process_cpu_user_seconds_total'));
});

it('two routers keep separate registries', async ({ metrics }) => {
  const other = createMetrics();
  assert.is.not(other.registry, metrics.registry);
  assert.is(await sample(other, 'ab_events_total{result="accepted"}'), undefined);
});

it('metricsMiddleware: refuses without its bearer token, answers the text format with it', async ({ metrics }) => {
  assert.throws(() => metricsMiddleware(metrics, { token: 'short' }), /at least 8/);
  const app = new Koa();
  app.use(metricsMiddleware(metrics, { token: ['metrics-token-new', 'metrics-token-old'] }));
  const http = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/metrics`;
  try {
    const none = await fetch(url);
    assert.is(none.status, 401);
    assert.is(none.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.is((await fetch(url, { headers: { authorization: 'Bearer wrong-token-here' } })).status, 401);
    assert.is((await fetch(url, { headers: { 'x-dashboard-token': 'metrics-token-new' } })).status, 401);
    for (const token of ['metrics-token-new', 'metrics-token-old']) {
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      assert.is(ok.status, 200);
      assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await ok.text(), /# TYPE ab_http_requests_total counter/);
    }
    assert.is((await fetch(url, { method: 'POST' })).status, 405);
  } finally {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
});

it.run();
