/**
 * GET /v1/definitions: running and released experiments in the SDK's definition shape, holdouts included; drafts,
 * stopped and archived ones left out; an ETag that answers 304 while nothing changed; public, and rate limited with
 * the assignment endpoint's per-address budget.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('GET /v1/definitions');

const variants = [
  { key: 'control', weight: 0.5, value: { title: 'Go premium' } },
  { key: 'urgency', weight: 0.5 },
];

it.before(async (ctx) => {
  ctx.server = await startTestServer();
  const create = async (def: Record<string, unknown>) =>
    assert.is(
      (await ctx.server.post('/v1/admin/experiments', { variants, ...def }, admin)).status,
      201,
      def.key as string,
    );
  await create({
    key: 'targeted',
    status: 'running',
    seed: 's1',
    coverage: 0.8,
    condition: { country: { $in: ['CA', 'US'] } },
    namespace: ['paywalls', 0, 0.5],
    hash_attribute: 'device_id',
    fallback_attribute: 'anonymous_id',
  });
  await create({ key: 'shipped', status: 'released', released_variant: 'urgency' });
  await create({ key: 'plain', status: 'running' });
  await create({ key: 'draft_one' });
  await create({ key: 'stopped_one', status: 'stopped' });
  await create({ key: 'archived_one', status: 'running' });
  assert.is((await ctx.server.send('DELETE', '/v1/admin/experiments/archived_one', undefined, admin)).status, 200);
  const holdout = { key: 'h5', share: 0.05, experiment_keys: ['targeted', 'shipped'] };
  assert.is((await ctx.server.post('/v1/admin/holdouts', holdout, admin)).status, 201);
});
it.after(async (ctx) => ctx.server.close());

it('serves running and released experiments as SDK definitions, with covering holdouts; no token needed', async ({
  server,
}) => {
  const res = await server.get('/v1/definitions');
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(res.body, {
    experiments: [
      { key: 'plain', seed: 'plain', coverage: 1, variants },
      { key: 'shipped', seed: 'shipped', coverage: 1, variants, released: 'urgency' },
      {
        key: 'targeted',
        seed: 's1',
        coverage: 0.8,
        variants,
        condition: { country: { $in: ['CA', 'US'] } },
        namespace: ['paywalls', 0, 0.5],
        hashAttribute: 'device_id',
        fallbackAttribute: 'anonymous_id',
        holdouts: [{ key: 'h5', seed: 'h5', share: 0.05 }],
      },
    ],
    saved_groups: {},
  });
});

it('an ETag and max-age let SDKs poll cheaply: a matching If-None-Match gets 304 without a body', async ({
  server,
}) => {
  const first = await server.get('/v1/definitions');
  const etag = first.headers.get('etag');
  assert.ok(etag, 'an ETag');
  assert.is(first.headers.get('cache-control'), 'public, max-age=30');
  const again = await server.get('/v1/definitions', { 'if-none-match': etag! });
  assert.is(again.status, 304);
  assert.is(again.body, undefined);
  assert.is((await server.get('/v1/definitions', { 'if-none-match': '"other"' })).status, 200);

  const changed = await server.send('PATCH', '/v1/admin/experiments/plain', JSON.stringify({ coverage: 0.5 }), {
    ...admin,
    'content-type': 'application/json',
  });
  assert.is(changed.status, 200);
  const after = await server.get('/v1/definitions', { 'if-none-match': etag! });
  assert.is(after.status, 200, 'a change gives a new ETag');
  assert.is.not(after.headers.get('etag'), etag);
  assert.is(after.body.experiments.find((e: { key: string }) => e.key === 'plain').coverage, 0.5);
});

it('HEAD answers like GET without a body', async ({ server }) => {
  const res = await server.send('HEAD', '/v1/definitions', undefined);
  assert.is(res.status, 200);
  assert.ok(res.headers.get('etag'));
});

it.run();

const limited = suite<{ server: TestServer }>('GET /v1/definitions rate limit');
limited.before(async (ctx) => {
  ctx.server = await startTestServer({ rateLimit: { assignmentsPerIp: 2 } });
});
limited.after(async (ctx) => ctx.server.close());

limited('shares the per-address budget of POST /v1/assignment: over it, 429 with Retry-After', async ({ server }) => {
  assert.is((await server.get('/v1/definitions')).status, 200);
  assert.is((await server.post('/v1/assignment', { user_id: 'u1' })).status, 200);
  const refused = await server.get('/v1/definitions');
  assert.is(refused.status, 429);
  assert.ok(refused.headers.get('retry-after'));
  assert.is(refused.body.error.code, 'rate_limited');
});

limited.run();
