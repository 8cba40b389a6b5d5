import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestStorage, testDatabaseKind, type TestDatabase } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import { serve, type RunningServer } from '../src/commands/serve.js';
import { readServerConfig, type ServerConfig } from '../src/config.js';

const quiet = { error() {}, warn() {}, info() {} };
const METRICS_TOKEN = 'serve-metrics-token';

const it = suite<{ db?: TestDatabase; running: RunningServer[] }>('serve GET /metrics');
it.before(async (ctx) => {
  ctx.running = [];
  if (testDatabaseKind() === 'postgresql') ctx.db = await createTestStorage();
});
it.after(async (ctx) => {
  for (const server of ctx.running) await server.close();
  await ctx.db?.close();
});

async function start(ctx: { db?: TestDatabase; running: RunningServer[] }, metricsToken?: string) {
  const config: ServerConfig = {
    // The defaults of every setting, without a scheduler; then what this test needs.
    ...readServerConfig({ ROLLUP_INTERVAL: '0' }),
    ...(ctx.db ? { databaseUrl: ctx.db.url } : { dataDir: 'memory://' }),
    port: 0,
    host: '127.0.0.1',
    adminToken: 'metrics-admin-token',
    dashboardToken: 'metrics-dashboard-token',
    generatedTokens: [],
    shutdownTimeoutMs: 1000,
    rateLimit: false,
    metricsToken,
  };
  const server = await serve(config, { logger: quiet });
  ctx.running.push(server);
  return server;
}

it('METRICS_TOKEN: optional, at least 8 characters', () => {
  assert.is(readServerConfig({}).metricsToken, undefined);
  assert.is(readServerConfig({ METRICS_TOKEN: ' scrape-token ' }).metricsToken, 'scrape-token');
  assert.throws(
    () => readServerConfig({ METRICS_TOKEN: 'short' }),
    (e: unknown) => e instanceof CliError,
  );
});

it('answers the Prometheus text with the bearer token only, and counts the requests', async (ctx) => {
  const { url } = await start(ctx, METRICS_TOKEN);
  assert.is((await fetch(`${url}/health`)).status, 200);
  assert.is((await fetch(`${url}/metrics`)).status, 401);
  const dashboard = await fetch(`${url}/metrics`, { headers: { 'x-dashboard-token': 'metrics-dashboard-token' } });
  assert.is(dashboard.status, 401);
  const scrape = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.is(scrape.status, 200);
  assert.match(scrape.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await scrape.text();
  assert.match(text, /^ab_http_requests_total\{method="GET",route="\/health",status="200"\} 1$/m);
  assert.match(text, /^ab_process_resident_memory_bytes /m);
});

it('without METRICS_TOKEN the endpoint is disabled, saying so', async (ctx) => {
  const { url } = await start(ctx);
  const res = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer anything-at-all' } });
  assert.is(res.status, 401);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /no METRICS_TOKEN/);
});

it.run();
