/** Mounts the routers on a real Koa app on an ephemeral port, over a fresh database of its own. */
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createAbRouter, type AbRouterOptions } from '../../src/index.js';
import { createTestStorage, type TestDatabase, storageOrm } from '../../src/testing.js';
import { rawQuery, type SqlValue } from '../../src/storage/raw-query.js';

export const ADMIN_TOKEN = 'test-admin-token';
export const DASHBOARD_TOKEN = 'test-dashboard-token';

export interface TestServer {
  db: TestDatabase;
  baseUrl: string;
  /** Log lines the server wrote for 5xx errors. */
  errors: unknown[];
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  send(
    method: string,
    path: string,
    raw: string | undefined,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  sql<T = Record<string, unknown>>(query: string, params?: SqlValue[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<AbRouterOptions> = {}): Promise<TestServer> {
  const db = await createTestStorage();
  const errors: unknown[] = [];
  const app = new Koa();
  const router = createAbRouter({
    storage: db.storage,
    adminToken: ADMIN_TOKEN,
    dashboardToken: DASHBOARD_TOKEN,
    logger: { error: (obj: unknown) => errors.push(obj) },
    summaryCacheTtlMs: 0,
    ...options,
  });
  app.use(router.routes()).use(router.allowedMethods());
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function send(method: string, path: string, raw: string | undefined, headers: Record<string, string> = {}) {
    const response = await fetch(baseUrl + path, { method, body: raw, headers });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text, tests assert on it
    }
    return { status: response.status, body: body as any, headers: response.headers };
  }

  return {
    db,
    baseUrl,
    errors,
    send,
    post: (path, body, headers = {}) =>
      send('POST', path, JSON.stringify(body), { 'content-type': 'application/json', ...headers }),
    get: (path, headers) => send('GET', path, undefined, headers),
    sql: (query, params = []) => rawQuery(storageOrm(db.storage).em.fork(), query, params),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** An admin request header set. */
export const admin = { 'x-admin-token': ADMIN_TOKEN };

/** Creates a running experiment through the admin API. */
export async function createExperiment(server: TestServer, def: Record<string, unknown>): Promise<void> {
  const res = await server.post('/v1/admin/experiments', { status: 'running', ...def }, admin);
  if (res.status !== 201) throw new Error(`creating experiment failed: ${res.status} ${JSON.stringify(res.body)}`);
}
