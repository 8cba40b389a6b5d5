import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Koa from 'koa';
import { createDashboardPage } from '../src/dashboard-page.js';

async function serveWith(options: Parameters<typeof createDashboardPage>[0], run: (base: string) => Promise<void>) {
  const app = new Koa();
  app.use(createDashboardPage(options));
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('GET /dashboard serves the page without a token unless asked, and never lets it be cached', async () => {
  await serveWith({}, async (base) => {
    const res = await fetch(`${base}/dashboard`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.is(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.match(html, /<abc-dashboard /);
    assert.match(html, /"token":null/);
    assert.match(html, /src="\/dashboard\/abc-dashboard.js"/);
  });
  await serveWith({ injectToken: 'dev-token-</script>' }, async (base) => {
    const html = await (await fetch(`${base}/dashboard`)).text();
    assert.ok(html.includes('"token":"dev-token-\\u003c/script>"'), 'injected, and escaped inside the script');
  });
});

test('the bundle is served as JavaScript, and a missing build answers 503 with what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'abc-bundle-'));
  try {
    writeFileSync(join(dir, 'abc-dashboard.js'), 'export const ok = 1;');
    await serveWith({ bundleUrl: pathToFileURL(join(dir, 'abc-dashboard.js')) }, async (base) => {
      const res = await fetch(`${base}/dashboard/abc-dashboard.js`);
      assert.is(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/javascript/);
      assert.is(await res.text(), 'export const ok = 1;');
      assert.is((await fetch(`${base}/elsewhere`)).status, 404, 'other paths pass through');
    });
    await serveWith({ bundleUrl: pathToFileURL(join(dir, 'missing.js')) }, async (base) => {
      const res = await fetch(`${base}/dashboard/abc-dashboard.js`);
      assert.is(res.status, 503);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /pnpm build/);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
