import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ open: TestServer; listed: TestServer; none: TestServer }>('CORS');
const TOOLS = 'https://tools.example.com';

it.before(async (ctx) => {
  ctx.open = await startTestServer({ cors: { origins: '*' } });
  ctx.listed = await startTestServer({ cors: { origins: [TOOLS] } });
  ctx.none = await startTestServer();
});
it.after(async (ctx) => {
  await Promise.all([ctx.open.close(), ctx.listed.close(), ctx.none.close()]);
});

it('preflight on our paths allows the token headers and our methods', async ({ open }) => {
  const res = await open.send('OPTIONS', '/v1/events', undefined, {
    origin: 'https://app.example.com',
    'access-control-request-method': 'POST',
  });
  assert.is(res.status, 204);
  assert.is(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-dashboard-token/);
  // The dashboard on another origin names who makes an admin change, for the audit log.
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-admin-actor/);
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  // Every method some route of ours answers: a cross-origin dashboard archives (DELETE) and sets overrides (PUT).
  const allowed = new Set((res.headers.get('access-control-allow-methods') ?? '').split(/,\s*/));
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) assert.ok(allowed.has(method), method);
  const metrics = await open.send('OPTIONS', '/v1/metrics/daily', undefined, { origin: TOOLS });
  assert.is(metrics.headers.get('access-control-allow-origin'), '*');
});

it('answers, errors included, carry the allow-origin header', async ({ open }) => {
  const ok = await open.post('/v1/assignment', { user_id: 'u' }, { origin: 'https://app.example.com' });
  assert.is(ok.headers.get('access-control-allow-origin'), '*');
  const bad = await open.post('/v1/assignment', { nope: 1 }, { origin: 'https://app.example.com' });
  assert.is(bad.status, 400);
  assert.is(bad.headers.get('access-control-allow-origin'), '*');
  // The SDK in a browser must be able to read Retry-After on a 429 or 503.
  assert.match(bad.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
});

it('a listed origin is echoed with Vary: Origin, another origin gets nothing', async ({ listed }) => {
  const ok = await listed.get('/health', { origin: TOOLS });
  assert.is(ok.headers.get('access-control-allow-origin'), TOOLS);
  assert.match(ok.headers.get('vary') ?? '', /Origin/);
  const other = await listed.get('/health', { origin: 'https://evil.example.com' });
  assert.is(other.headers.get('access-control-allow-origin'), null);
});

it('without the option no CORS headers are sent', async ({ none }) => {
  const res = await none.get('/health', { origin: TOOLS });
  assert.is(res.headers.get('access-control-allow-origin'), null);
});

it('bad origins are refused when the router is built, naming the option', async ({ none }) => {
  const { createAbRouter } = await import('../src/index.js');
  for (const origins of [['tools.example.com'], ['https://tools.example.com/path']]) {
    assert.throws(() => createAbRouter({ storage: none.db.storage, cors: { origins } }), /cors\.origins/);
  }
});

it.run();
