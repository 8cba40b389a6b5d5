/**
 * Attacks every protected route: the router's own layer list says which routes exist, each must carry a token
 * guard, and each is called with a missing, empty or wrong token in many spellings of its path, at the root and under
 * a mount prefix, with and without tokens configured. Nothing may answer 2xx or 5xx, and nothing may change.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import { createAbRouter } from '../src/index.js';
import { isTokenGuard } from '../src/http/token-auth.js';
import { createTestStorage, type TestDatabase } from '../src/testing.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN } from './helpers/test-server.js';

/** Routes anyone may call: the SDK's endpoints, health, the public summary. Everything else needs a token. */
const PUBLIC = new Set([
  'GET /health',
  'HEAD /health',
  'POST /v1/assignment',
  'GET /v1/definitions',
  'HEAD /v1/definitions',
  'POST /v1/events',
  'GET /v1/metrics/summary',
  'HEAD /v1/metrics/summary',
  'GET /openapi.json',
  'HEAD /openapi.json',
]);

interface RouteLayer {
  methods: string[];
  path: string;
  stack: unknown[];
}

function routeLayers(router: Router): RouteLayer[] {
  return (router.stack as unknown as RouteLayer[]).filter((l) => l.methods.length > 0 && typeof l.path === 'string');
}

const withoutPrefix = (path: string, prefix: string) => (path.startsWith(prefix) ? path.slice(prefix.length) : path);

/** Method + path of every protected route (OPTIONS preflights are answered without data and are not protected). */
function protectedRoutes(router: Router, prefix = ''): Array<{ method: string; path: string; layer: RouteLayer }> {
  return routeLayers(router).flatMap((layer) =>
    layer.methods
      .filter((m) => m !== 'OPTIONS' && m !== 'HEAD')
      .filter((m) => !PUBLIC.has(`${m} ${withoutPrefix(layer.path, prefix)}`))
      .map((method) => ({ method, path: layer.path, layer })),
  );
}

/** Spellings of one path that a router could treat as the same route, or that once slipped past a guard. */
function spellings(path: string): string[] {
  const upper = path.toUpperCase();
  const firstUpper = path.replace(/\/([a-z])/g, (_, c: string) => `/${c.toUpperCase()}`);
  const encodedLetter = path.replace(/\/v1\/(a|m)/, (_, c: string) => `/v1/%${c.charCodeAt(0).toString(16)}`);
  return [
    path,
    `${path}/`,
    upper,
    firstUpper,
    `${upper}/`,
    `/${path}`,
    path.replace('/v1/', '/v1//'),
    encodedLetter,
    encodedLetter.toUpperCase(),
    path.replace('/v1/', '/v1/%2F'),
    `${path}?x=1`,
    `${path};x`,
    `${path}%20`,
    path.replace(/\/$/, '') + '/.',
  ];
}

const concrete = (path: string) => path.replace(':key', 'exp-a').replace(':name', 'fun-a');

interface Started {
  db: TestDatabase;
  server: Server;
  port: number;
  router: Router;
}

async function start(options: { prefix?: string; tokens: boolean }): Promise<Started> {
  const db = await createTestStorage();
  const router = createAbRouter({
    storage: db.storage,
    prefix: options.prefix,
    adminToken: options.tokens ? ADMIN_TOKEN : undefined,
    dashboardToken: options.tokens ? DASHBOARD_TOKEN : undefined,
    logger: { error: () => undefined },
    // The opt-in load-test routes and API document too, so every route we can mount is attacked.
    loadTests: true,
    openApi: true,
  });
  const app = new Koa();
  app.silent = true;
  app.use(router.routes()).use(router.allowedMethods());
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { db, server, router, port: (server.address() as AddressInfo).port };
}

/** A request with the path exactly as given (fetch would normalise it). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function seedDefinitions(s: Started, prefix: string) {
  const headers = { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN };
  const exp = {
    key: 'exp-a',
    status: 'running',
    variants: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  };
  assert.is((await raw(s.port, 'POST', `${prefix}/v1/admin/experiments`, headers, JSON.stringify(exp))).status, 201);
  const funnel = { name: 'fun-a', steps: ['open', 'buy'] };
  assert.is((await raw(s.port, 'POST', `${prefix}/v1/admin/funnels`, headers, JSON.stringify(funnel))).status, 201);
}

async function snapshot(s: Started) {
  // Archived ones too: a DELETE that got through archives rather than removes.
  const experiments = await s.db.storage.experiments.list({ includeArchived: true });
  const funnels = await s.db.storage.funnels.list({ includeArchived: true });
  return JSON.stringify({ experiments, funnels });
}

const BAD_TOKENS: Array<Record<string, string>> = [
  {},
  { 'x-admin-token': '', 'x-dashboard-token': '' },
  { 'x-admin-token': 'wrong-token-123', 'x-dashboard-token': 'wrong-token-123' },
  { 'x-admin-token': DASHBOARD_TOKEN },
  { 'x-dashboard-token': DASHBOARD_TOKEN.slice(0, -1), 'x-admin-token': `${ADMIN_TOKEN}x` },
  { 'X-ADMIN-TOKEN': ADMIN_TOKEN.toUpperCase() },
];

const BODIES: Record<string, string> = {
  POST: JSON.stringify({
    key: 'evil',
    name: 'evil',
    steps: ['a', 'b'],
    variants: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  }),
  PATCH: JSON.stringify({ status: 'stopped', steps: ['x', 'y'] }),
  // DELETE reads no body: the archive routes are attacked without one.
};

async function attack(s: Started, prefix: string, tokens: Array<Record<string, string>>) {
  const before = await snapshot(s);
  const routes = protectedRoutes(s.router, prefix);
  let requests = 0;
  for (const route of routes) {
    for (const path of spellings(concrete(route.path))) {
      for (const token of tokens) {
        const headers = { 'content-type': 'application/json', ...token };
        const res = await raw(s.port, route.method, path, headers, BODIES[route.method]);
        requests++;
        const where = `${route.method} ${path} with ${JSON.stringify(token)}`;
        assert.ok(res.status >= 400 && res.status < 500, `${where} → ${res.status} ${res.body.slice(0, 200)}`);
        // The exact path, with or without a trailing slash, reaches the route: its guard answers.
        if (path === concrete(route.path) || path === `${concrete(route.path)}/`) assert.is(res.status, 401, where);
      }
    }
  }
  assert.is(await snapshot(s), before, 'nothing changed');
  return requests;
}

const it = suite('auth on every protected route');

it('every route outside the public list carries a token guard (a new unguarded route fails here)', async () => {
  const db = await createTestStorage();
  try {
    for (const prefix of ['', '/ab']) {
      const router = createAbRouter({
        storage: db.storage,
        prefix: prefix || undefined,
        adminToken: ADMIN_TOKEN,
        dashboardToken: DASHBOARD_TOKEN,
        loadTests: true,
        openApi: true,
      });
      assert.ok(
        protectedRoutes(router, prefix).some((r) => r.path.includes('/v1/metrics/load-tests/')),
        'the load-test routes are among the protected routes',
      );
      const routes = protectedRoutes(router, prefix);
      assert.ok(routes.length >= 16, `found ${routes.length} protected routes`);
      for (const archive of ['/v1/admin/experiments/:key', '/v1/admin/funnels/:name'])
        assert.ok(
          routes.some((r) => r.method === 'DELETE' && r.path === `${prefix}${archive}`),
          `DELETE ${archive} is among the protected routes`,
        );
      for (const [method, path] of [
        ['POST', '/v1/admin/rollups'],
        ['GET', '/v1/metrics/rollups/status'],
        ['GET', '/v1/holdouts/:key/results'],
      ])
        assert.ok(
          routes.some((r) => r.method === method && r.path === `${prefix}${path}`),
          `${method} ${path} is among the protected routes`,
        );
      for (const { method, path, layer } of routes) {
        assert.ok(layer.stack.some(isTokenGuard), `${method} ${path} has no token guard`);
      }
      const publicSeen = routeLayers(router).filter(
        (l) => !l.stack.some(isTokenGuard) && !l.methods.includes('OPTIONS'),
      );
      for (const layer of publicSeen) {
        for (const m of layer.methods)
          assert.ok(PUBLIC.has(`${m} ${withoutPrefix(layer.path, prefix)}`), `${m} ${layer.path}`);
      }
    }
  } finally {
    await db.close();
  }
});

for (const prefix of ['', '/ab']) {
  it(`odd spellings, missing, empty and wrong tokens get no access${prefix ? ` under ${prefix}` : ''}`, async () => {
    const s = await start({ prefix: prefix || undefined, tokens: true });
    try {
      await seedDefinitions(s, prefix);
      const requests = await attack(s, prefix, BAD_TOKENS);
      assert.ok(requests > 500, `${requests} requests`);
    } finally {
      await new Promise((r) => s.server.close(r));
      await s.db.close();
    }
  });
}

it('with no tokens configured every protected route is closed, whatever token is sent', async () => {
  const s = await start({ tokens: false });
  try {
    await s.db.storage.experiments.create({
      key: 'exp-a',
      status: 'running',
      variants: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
    });
    await attack(s, '', [...BAD_TOKENS, { 'x-admin-token': ADMIN_TOKEN, 'x-dashboard-token': DASHBOARD_TOKEN }]);
  } finally {
    await new Promise((r) => s.server.close(r));
    await s.db.close();
  }
});

it('the reported spellings: /V1/ADMIN/EXPERIMENTS, PATCH /v1/Admin/…, POST /V1/Admin/funnels, /ab/V1/ADMIN/…', async () => {
  for (const prefix of ['', '/ab']) {
    const s = await start({ prefix: prefix || undefined, tokens: false });
    try {
      await s.db.storage.experiments.create({
        key: 'exp-a',
        status: 'running',
        variants: [
          { key: 'a', weight: 0.5 },
          { key: 'b', weight: 0.5 },
        ],
      });
      const json = { 'content-type': 'application/json' };
      const list = await raw(s.port, 'GET', `${prefix}/V1/ADMIN/EXPERIMENTS`, {});
      assert.not.match(list.body, /exp-a/);
      assert.ok(list.status >= 400 && list.status < 500);
      const patch = await raw(s.port, 'PATCH', `${prefix}/v1/Admin/experiments/exp-a`, json, '{"status":"stopped"}');
      assert.ok(patch.status >= 400 && patch.status < 500);
      const funnel = await raw(s.port, 'POST', `${prefix}/V1/Admin/funnels`, json, '{"name":"f","steps":["a","b"]}');
      assert.ok(funnel.status >= 400 && funnel.status < 500);
      assert.is((await s.db.storage.experiments.get('exp-a'))?.status, 'running');
      assert.equal(await s.db.storage.funnels.list(), []);
    } finally {
      await new Promise((r) => s.server.close(r));
      await s.db.close();
    }
  }
});

it.run();
