/**
 * A real server for browser tests and screenshots: a Koa app mounting `createAbRouter` over a fresh test database
 * filled with the demo data set and rolled up, plus the dashboard page, a blank fixture page and the browser
 * bundle (built in memory from the sources, so tests never run a stale `dist`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ExperimentResults } from '@ab-calicritters/core';
import Koa from 'koa';
import { createAbRouter, ROLLUP_JOBS, runRollup, type Storage } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase, storageOrm } from '@ab-calicritters/server/testing';
import { renderDashboardPage } from '../../src/host/dashboard-page.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { bundleDashboard } from '../../scripts/bundle.mjs';
import { DEMO_EXPERIMENTS, DEMO_FUNNEL, demoLoadTests, generateDemoData, type DemoData } from './demo-data.js';

export const DASHBOARD_TOKEN = 'demo-dashboard-token';
/** The admin token the demo server accepts (`x-admin-token`), for the experiment management tests. */
export const ADMIN_TOKEN = 'demo-admin-token';

export interface DemoServer {
  baseUrl: string;
  data: DemoData;
  now: Date;
  storage: Storage;
  close(): Promise<void>;
}

function reachable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** PostgreSQL as in CI; embedded PGlite when none is reachable and TEST_DB does not say otherwise. */
async function openDatabase(): Promise<TestDatabase> {
  if (!process.env.TEST_DB) {
    const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    if (!(await reachable(Number(url.port || 5432), url.hostname))) process.env.TEST_DB = 'pglite';
  }
  return createTestStorage();
}

async function sql(storage: Storage, query: string, params: unknown[]): Promise<void> {
  await storageOrm(storage)
    .em.fork()
    .getConnection()
    .execute(query, params as never[]);
}

/** Definitions, assignments, events and load-test runs, then every rollup over 30 days ending `now`. */
export async function seedDemo(storage: Storage, data: DemoData, now: Date): Promise<void> {
  for (const experiment of DEMO_EXPERIMENTS) await storage.experiments.create(experiment);
  await storage.funnels.create(DEMO_FUNNEL);
  await sql(
    storage,
    `insert into assignments (experiment_id, user_id, variant, assigned_at)
     select e.id, r.user_id, r.variant, r.assigned_at
       from jsonb_to_recordset(?::jsonb) as r(experiment_key text, user_id text, variant text, assigned_at timestamptz)
       join experiments e on e.key = r.experiment_key`,
    [JSON.stringify(data.assignments.map((a) => ({ ...a, assigned_at: a.at.toISOString() })))],
  );
  for (let i = 0; i < data.events.length; i += 2000) {
    await storage.events.insertBatch(
      data.events.slice(i, i + 2000).map((e) => ({
        event_id: randomUUID(),
        user_id: e.user_id,
        name: e.name,
        client_timestamp: e.at.toISOString(),
        occurred_at: e.at.toISOString(),
        properties: e.value === undefined ? {} : { value: e.value },
      })),
    );
  }
  for (const test of demoLoadTests(now)) {
    const run = await storage.loadTests.createRun({
      ...test.run,
      tags: { demo: 'true' },
      config: { connections: 50, duration_s: 60 },
    });
    await storage.loadTests.saveEndpointMetrics(run.id, test.endpoints);
    await storage.loadTests.saveDataChecks(run.id, test.checks);
    await storage.loadTests.finishRun(run.id, {
      status: 'completed',
      ended_at: new Date(test.run.started_at.getTime() + 62_000),
      duration_ms: 62_000,
    });
  }
  for (const job of ROLLUP_JOBS) await runRollup(storage, job, { windowDays: 30, now });
}

/** One experiment's results as the demo server answers them (`query`: more parameters, e.g. `&method=fixed`). */
export async function fetchResults(server: DemoServer, key = 'paywall_copy', query = ''): Promise<ExperimentResults> {
  const url = `${server.baseUrl}/v1/metrics/experiments?window_days=7&experiment_key=${key}${query}`;
  const response = await fetch(url, { headers: { 'x-dashboard-token': DASHBOARD_TOKEN } });
  return (await response.json()) as ExperimentResults;
}

/** A blank page with the bundle loaded, where tests place single components. */
const FIXTURE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fixture</title>
<style>body{margin:0;padding:24px;background:#f5f6fa;font-family:system-ui,sans-serif}</style>
<script type="module" src="/dashboard/abc-dashboard.js"></script></head><body></body></html>`;

export async function startDemoServer(options: { injectToken?: boolean } = {}): Promise<DemoServer> {
  const db = await openDatabase();
  const now = new Date();
  const data = generateDemoData(now);
  const [bundle] = await Promise.all([
    bundleDashboard({ write: false }) as Promise<string>,
    seedDemo(db.storage, data, now),
  ]);
  const app = new Koa();
  // loadTests: the Benchmarks tab reads the stored runs, as on the CLI's standalone server.
  const router = createAbRouter({
    storage: db.storage,
    dashboardToken: DASHBOARD_TOKEN,
    adminToken: ADMIN_TOKEN,
    now: () => now,
    logger: { error: () => undefined },
    loadTests: true,
  });
  app.use(router.routes()).use(router.allowedMethods());
  app.use(async (ctx, next) => {
    if (ctx.path === '/dashboard/abc-dashboard.js') {
      ctx.type = 'text/javascript';
      ctx.body = bundle;
    } else if (ctx.path === '/dashboard') {
      ctx.type = 'html';
      ctx.body = renderDashboardPage({
        bundleUrl: '/dashboard/abc-dashboard.js',
        token: options.injectToken ? DASHBOARD_TOKEN : undefined,
      });
    } else if (ctx.path === '/fixture') {
      ctx.type = 'html';
      ctx.body = FIXTURE;
    } else {
      await next();
    }
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    data,
    now,
    storage: db.storage,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
