/** The standalone server is ours alone: a path nothing answers gets our JSON error body, not Koa's plain text. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { createStandaloneApp } from '../src/standalone-app.js';

test('unknown paths are a JSON 404 naming the path; / still lists the endpoints', async () => {
  const db = await createTestStorage();
  const app = createStandaloneApp({
    storage: db.storage,
    adminToken: 'standalone-admin',
    dashboardToken: 'standalone-dash',
    logger: console,
    rateLimit: false,
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const path of ['/nope', '/v1/nope', '/V1/ADMIN/EXPERIMENTS']) {
      const res = await fetch(base + path);
      assert.is(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/, path);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.is(body.error.code, 'not_found', path);
      assert.match(body.error.message, /No endpoint at GET/);
    }
    const root = (await (await fetch(`${base}/`)).json()) as { endpoints: string[] };
    assert.ok(root.endpoints.includes('POST /v1/assignment'));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  }
});

test.run();
