/**
 * Rate limits of POST /v1/assignment and POST /v1/events over HTTP: routers with limits are mounted on real Koa apps
 * (ephemeral ports) over one shared test database; Redis on 127.0.0.1:6379 (REDIS_URL) for the shared-budget tests.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import Koa from 'koa';
import { Redis } from 'ioredis';
import { closeAbRouter, createAbRouter, type RateLimitOptions } from '../src/index.js';
import type { Storage } from '../src/storage/storage.js';
import { createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXPERIMENT = 'rate_limit_flow';

interface Limited {
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  errors: unknown[];
  close(): Promise<void>;
}

/** Our router with `rateLimit` on a Koa app of its own, over the shared storage. */
async function mount(storage: Storage, rateLimit: RateLimitOptions | boolean): Promise<Limited> {
  const errors: unknown[] = [];
  const router = createAbRouter({
    storage,
    rateLimit,
    logger: { error: (e: unknown) => errors.push(e), warn: () => undefined },
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    errors,
    async post(path, body, headers = {}) {
      const res = await fetch(base + path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeAbRouter(router);
    },
  };
}

const event = (userId: string, properties?: Record<string, unknown>) => ({
  event_id: randomUUID(),
  user_id: userId,
  name: 'rate_test',
  timestamp: new Date().toISOString(),
  ...(properties ? { properties } : {}),
});
const events = (userId: string, n: number) => Array.from({ length: n }, () => event(userId));
const tag = () => randomUUID().slice(0, 8);

function assertRateLimited(
  res: { status: number; body: any; headers: Headers },
  limit: string,
  windowSeconds: number,
): void {
  assert.is(res.status, 429, JSON.stringify(res.body));
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds,
    `Retry-After ${res.headers.get('retry-after')}`,
  );
  assert.is(res.body.error.code, 'rate_limited');
  assert.match(res.body.error.message, /^Too many .+ retry after \d+ s$/);
  assert.ok(
    res.body.error.details.some(
      (d: { limit: string; window_seconds: number }) => d.limit === limit && d.window_seconds === windowSeconds,
    ),
    JSON.stringify(res.body.error.details),
  );
}

async function redisReachable(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const it = suite<{ server: TestServer; redis: boolean }>('rate limits');

it.before(async (ctx) => {
  ctx.server = await startTestServer();
  await createExperiment(ctx.server, {
    key: EXPERIMENT,
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'treatment', weight: 0.5 },
    ],
  });
  ctx.redis = await redisReachable();
  if (!ctx.redis && (process.env.CI || process.env.REQUIRE_REDIS === '1'))
    throw new Error(`Redis is not reachable at ${REDIS_URL}`);
  if (!ctx.redis)
    console.log(`note: Redis tests skipped (nothing at ${REDIS_URL}); they run when it is up, and CI requires it`);
});
it.after(async (ctx) => ctx.server.close());

/** Rows of users whose id matches `pattern` (SQL LIKE). */
const countRows = async (server: TestServer, table: 'assignments' | 'event_logs', pattern: string) =>
  (await server.sql<{ n: number }>(`select count(*)::int as n from ${table} where user_id like ?`, [pattern]))[0]!.n;

it('an address flooding assignments gets 429 with Retry-After and the JSON error, and refused users get no rows', async ({
  server,
}) => {
  const limited = await mount(server.db.storage, { assignmentsPerIp: 5 });
  const prefix = `flood-${tag()}-`;
  try {
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await limited.post('/v1/assignment', { user_id: `${prefix}${i}` }));
    assert.equal(
      answers.map((a) => a.status),
      [200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429],
    );
    for (const refused of answers.slice(5)) assertRateLimited(refused, 'assignments_per_ip', 60);
    assert.is(answers[5]!.headers.get('cache-control'), 'no-store');
    assert.is(
      await countRows(server, 'assignments', `${prefix}%`),
      5,
      'one sticky row per accepted user, none for refused ones',
    );
    assert.equal(limited.errors, []);
  } finally {
    await limited.close();
  }
});

it('an address flooding event requests gets 429 and nothing of a refused batch is stored', async ({ server }) => {
  const limited = await mount(server.db.storage, { eventRequestsPerIp: 3 });
  const user = `events-flood-${tag()}`;
  try {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await limited.post('/v1/events', { events: events(user, 10) })).status);
    assert.equal(statuses, [200, 200, 200, 429, 429, 429]);
    assertRateLimited(await limited.post('/v1/events', { events: events(user, 1) }), 'event_requests_per_ip', 60);
    assert.is(await countRows(server, 'event_logs', user), 30);
  } finally {
    await limited.close();
  }
});

it('the events budget counts events, not requests', async ({ server }) => {
  const limited = await mount(server.db.storage, { eventsPerIp: 1000 });
  const user = `events-budget-${tag()}`;
  try {
    assert.is((await limited.post('/v1/events', { events: events(user, 600) })).status, 200);
    assertRateLimited(await limited.post('/v1/events', { events: events(user, 600) }), 'events_per_ip', 60);
    // A refused batch still counted: the window has to pass (Retry-After) before this address sends again.
    assert.is((await limited.post('/v1/events', { events: events(user, 1) })).status, 429);
    assert.is(await countRows(server, 'event_logs', user), 600);
  } finally {
    await limited.close();
  }
});

it('the bytes budget counts request bodies', async ({ server }) => {
  const limited = await mount(server.db.storage, { eventBytesPerIp: 1024 * 1024 });
  const user = `events-bytes-${tag()}`;
  const heavy = () => Array.from({ length: 20 }, () => event(user, { blob: 'x'.repeat(30_000) }));
  try {
    assert.is((await limited.post('/v1/events', { events: heavy() })).status, 200);
    assertRateLimited(await limited.post('/v1/events', { events: heavy() }), 'event_bytes_per_ip', 60);
    assert.is(await countRows(server, 'event_logs', user), 20);
  } finally {
    await limited.close();
  }
});

it('the per-user limits hold whatever address the user comes from', async ({ server }) => {
  const limited = await mount(server.db.storage, { trustProxy: 1, assignmentsPerUser: 3, eventsPerUser: 1000 });
  const user = `roaming-${tag()}`;
  const from = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });
  try {
    for (let n = 1; n <= 3; n++)
      assert.is((await limited.post('/v1/assignment', { user_id: user }, from(n))).status, 200);
    assertRateLimited(await limited.post('/v1/assignment', { user_id: user }, from(4)), 'assignments_per_user', 60);
    assert.is(
      (await limited.post('/v1/assignment', { user_id: `${user}-other` }, from(4))).status,
      200,
      'another user on that address',
    );

    assert.is((await limited.post('/v1/events', { events: events(user, 1000) }, from(5))).status, 200);
    // A mixed batch over one user's budget is refused whole; the other user's share is given back.
    const mixed = [...events(user, 1), ...events(`${user}-b`, 500)];
    assertRateLimited(await limited.post('/v1/events', { events: mixed }, from(6)), 'events_per_user', 60);
    assert.is((await limited.post('/v1/events', { events: events(`${user}-b`, 1000) }, from(7))).status, 200, 'refund');
    assert.is(await countRows(server, 'event_logs', user), 1000);
    assert.is(await countRows(server, 'event_logs', `${user}-b`), 1000, 'nothing of the refused batch was stored');
  } finally {
    await limited.close();
  }
});

it('X-Forwarded-For is ignored without trustProxy, and its spoofable entries are ignored with it', async ({
  server,
}) => {
  const direct = await mount(server.db.storage, { assignmentsPerIp: 3 });
  const proxied = await mount(server.db.storage, { assignmentsPerIp: 3, trustProxy: 1 });
  const users = `xff-${tag()}-`;
  try {
    const spoofed = (i: number) => ({ 'x-forwarded-for': `10.0.${i}.1` });
    const directStatuses = [];
    for (let i = 0; i < 5; i++)
      directStatuses.push((await direct.post('/v1/assignment', { user_id: `${users}d${i}` }, spoofed(i))).status);
    assert.equal(directStatuses, [200, 200, 200, 429, 429], 'a made-up header does not make a new client');

    // Behind one proxy, only the right-most entry (written by the proxy) names the client.
    const viaProxy = (i: number) => ({ 'x-forwarded-for': `10.0.${i}.1, 203.0.113.9` });
    const proxiedStatuses = [];
    for (let i = 0; i < 5; i++)
      proxiedStatuses.push((await proxied.post('/v1/assignment', { user_id: `${users}p${i}` }, viaProxy(i))).status);
    assert.equal(proxiedStatuses, [200, 200, 200, 429, 429], 'entries the client wrote itself do not escape the limit');
    const other = await proxied.post('/v1/assignment', { user_id: `${users}q` }, { 'x-forwarded-for': '203.0.113.10' });
    assert.is(other.status, 200, 'another client behind the proxy has its own budget');
    const ipv6 = (suffix: string) => ({ 'x-forwarded-for': `2001:db8:1:2::${suffix}` });
    for (let i = 1; i <= 3; i++)
      assert.is((await proxied.post('/v1/assignment', { user_id: `${users}v${i}` }, ipv6(String(i)))).status, 200);
    assert.is(
      (await proxied.post('/v1/assignment', { user_id: `${users}v4` }, ipv6('ffff'))).status,
      429,
      'one IPv6 /64 is one client',
    );
  } finally {
    await Promise.all([direct.close(), proxied.close()]);
  }
});

it('two instances sharing Redis share one budget; two in memory do not', async ({ server, redis }) => {
  if (!redis) return;
  const keyPrefix = `abcc-test:${tag()}`;
  const client = new Redis(REDIS_URL);
  // One instance opens its own connection from the URL, the other borrows the host's client.
  const a = await mount(server.db.storage, { assignmentsPerIp: 4, redis: REDIS_URL, keyPrefix });
  const b = await mount(server.db.storage, { assignmentsPerIp: 4, redis: client, keyPrefix });
  const m1 = await mount(server.db.storage, { assignmentsPerIp: 4 });
  const m2 = await mount(server.db.storage, { assignmentsPerIp: 4 });
  const users = `shared-${tag()}-`;
  try {
    const shared = [];
    for (let i = 0; i < 6; i++)
      shared.push((await (i % 2 ? b : a).post('/v1/assignment', { user_id: `${users}r${i}` })).status);
    assert.equal(shared, [200, 200, 200, 200, 429, 429]);
    assert.ok((await client.keys(`${keyPrefix}:*`)).length > 0, 'the counts are in Redis');

    const separate = [];
    for (let i = 0; i < 8; i++)
      separate.push((await (i % 2 ? m2 : m1).post('/v1/assignment', { user_id: `${users}m${i}` })).status);
    assert.equal(separate, [200, 200, 200, 200, 200, 200, 200, 200], 'each memory instance counts on its own');
  } finally {
    await Promise.all([a.close(), b.close(), m1.close(), m2.close()]);
    const keys = await client.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  }
});

it('with Redis down, requests are counted in memory instead of failing', async ({ server }) => {
  const limited = await mount(server.db.storage, {
    assignmentsPerIp: 3,
    redis: 'redis://127.0.0.1:1',
    keyPrefix: `abcc-test:${tag()}`,
  });
  const users = `redis-down-${tag()}-`;
  try {
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await limited.post('/v1/assignment', { user_id: `${users}${i}` })).status);
    assert.equal(statuses, [200, 200, 200, 429, 429]);
    assert.equal(limited.errors, [], 'no 5xx, nothing logged as an error');
  } finally {
    await limited.close();
  }
});

it('bad rateLimit options fail when the router is built, naming the option', async ({ server }) => {
  const cases: [unknown, RegExp][] = [
    [{ eventsPerIp: 10 }, /rateLimit\.eventsPerIp must be an integer ≥ 1000 \(a full batch/],
    [{ eventsPerUser: 999 }, /rateLimit\.eventsPerUser/],
    [{ eventBytesPerIp: 1000 }, /rateLimit\.eventBytesPerIp must be an integer ≥ 1048576/],
    [{ assignmentsPerIp: 0 }, /rateLimit\.assignmentsPerIp/],
    [{ assignmentsPerUser: 1.5 }, /rateLimit\.assignmentsPerUser/],
    [{ windowSeconds: 0 }, /rateLimit\.windowSeconds must be an integer from 1 to 86400/],
    [{ trustProxy: -1 }, /rateLimit\.trustProxy/],
    [{ trustProxy: 'yes' }, /rateLimit\.trustProxy/],
    [
      { redis: 'http://127.0.0.1:6379' },
      /rateLimit\.redis must be a redis:\/\/ or rediss:\/\/ URL or an ioredis client/,
    ],
    [{ redis: {} }, /rateLimit\.redis/],
    [{ keyPrefix: '' }, /rateLimit\.keyPrefix/],
    [{ eventsPerIP: 5000 }, /rateLimit\.eventsPerIP is not an option/],
    ['on', /rateLimit must be false, true or an object/],
  ];
  for (const [rateLimit, message] of cases) {
    assert.throws(
      () => createAbRouter({ storage: server.db.storage, rateLimit: rateLimit as RateLimitOptions }),
      message,
      JSON.stringify(rateLimit),
    );
  }
});

it.run();
