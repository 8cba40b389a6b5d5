import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { createShopApp } from '../src/app.js';

const ADMIN = 'example-admin-token';
const DASHBOARD = 'example-dashboard-token';
const it = suite<{ db: TestDatabase; server: Server; base: string }>('existing Koa app with AB Calicritters under /ab');

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  ctx.server = createServer(createShopApp(ctx.db.storage, { adminToken: ADMIN, dashboardToken: DASHBOARD }).callback());
  await new Promise<void>((r) => ctx.server.listen(0, '127.0.0.1', r));
  ctx.base = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
});
it.after(async (ctx) => {
  await new Promise((r) => ctx.server.close(r));
  await ctx.db.close();
});

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

it("the app's own routes, middleware and error format still work", async ({ base }) => {
  const products = await fetch(`${base}/products`);
  assert.is(products.status, 200);
  assert.ok(products.headers.get('x-request-id'));
  const cart = await postJson(`${base}/cart`, { sku: 'cat-tree' });
  assert.equal(await cart.json(), { ok: true, added: 'cat-tree' });
  const bad = await postJson(`${base}/cart`, {});
  assert.is(bad.status, 422);
  assert.equal(await bad.json(), { ok: false, reason: 'sku is required' });
});

it('our routers work under /ab, behind the host body parser, with our error format', async ({ base }) => {
  const health = await fetch(`${base}/ab/health`);
  assert.equal(await health.json(), { status: 'ok', db: 'ok' });
  const created = await postJson(
    `${base}/ab/v1/admin/experiments`,
    {
      key: 'checkout_button',
      status: 'running',
      variants: [
        { key: 'blue', weight: 0.5 },
        { key: 'green', weight: 0.5 },
      ],
    },
    { 'x-admin-token': ADMIN },
  );
  assert.is(created.status, 201);
  const assignment = await postJson(`${base}/ab/v1/assignment`, { user_id: 'shopper-1' });
  const body = (await assignment.json()) as { assignments: Array<{ variant: string }> };
  assert.ok(['blue', 'green'].includes(body.assignments[0]?.variant ?? ''));
  assert.ok(assignment.headers.get('x-request-id'), 'host middleware ran for our routes too');
  const events = await postJson(`${base}/ab/v1/events`, {
    events: [{ event_id: randomUUID(), user_id: 'shopper-1', name: 'checkout', timestamp: new Date().toISOString() }],
  });
  assert.equal(await events.json(), { accepted: 1, duplicates: 0, rejected: [] });
  const invalid = await postJson(`${base}/ab/v1/assignment`, { nope: true });
  assert.is(invalid.status, 400);
  assert.is(((await invalid.json()) as { error: { code: string } }).error.code, 'invalid_request');
  const form = await fetch(`${base}/ab/v1/events`, {
    method: 'POST',
    body: 'a=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.is(form.status, 415);
});

it('the metrics answer with the dashboard token, and 401 without it', async ({ base }) => {
  assert.is((await fetch(`${base}/ab/v1/metrics/daily`)).status, 401);
  const daily = await fetch(`${base}/ab/v1/metrics/daily`, { headers: { 'x-dashboard-token': DASHBOARD } });
  assert.is(daily.status, 200);
});

it('paths outside both stay 404 from the host', async ({ base }) => {
  assert.is((await fetch(`${base}/v1/assignment`, { method: 'POST' })).status, 404);
});

it.run();
