import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { assign } from '@ab-calicritters/core';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('POST /v1/assignment');

const twoWay = {
  key: 'onboarding_flow',
  variants: [
    { key: 'control', weight: 0.5 },
    { key: 'guided', weight: 0.5 },
  ],
};
const threeWay = {
  key: 'paywall_copy',
  variants: [
    { key: 'control', weight: 0.34 },
    { key: 'urgency', weight: 0.33 },
    { key: 'social_proof', weight: 0.33 },
  ],
};

it.before(async (ctx) => {
  ctx.server = await startTestServer({ experimentCacheTtlMs: 0 });
  await createExperiment(ctx.server, twoWay);
  await createExperiment(ctx.server, threeWay);
  await createExperiment(ctx.server, { key: 'draft_one', status: 'draft', variants: twoWay.variants });
  await createExperiment(ctx.server, { key: 'tiny_coverage', coverage: 0.01, variants: twoWay.variants });
});
it.after(async (ctx) => ctx.server.close());

it('omitted experiment_keys assigns every running experiment with core.assign() and stores one row each', async ({
  server,
}) => {
  const res = await server.post('/v1/assignment', { user_id: 'user-1' });
  assert.is(res.status, 200);
  assert.is(res.body.user_id, 'user-1');
  const keys = res.body.assignments.map((a: { experiment_key: string }) => a.experiment_key).sort();
  assert.equal(keys, ['onboarding_flow', 'paywall_copy', 'tiny_coverage']);
  const onboarding = res.body.assignments.find((a: any) => a.experiment_key === 'onboarding_flow');
  assert.is(onboarding.variant, assign(twoWay, 'user-1'));
  assert.is(onboarding.new, true);
  assert.ok(!Number.isNaN(Date.parse(onboarding.assigned_at)));
  assert.equal(res.body.unknown_experiments, []);
  const again = await server.post('/v1/assignment', { user_id: 'user-1', experiment_keys: ['onboarding_flow'] });
  assert.is(again.body.assignments[0].new, false);
  assert.is(again.body.assignments[0].assigned_at, onboarding.assigned_at);
});

it('unknown keys are listed, draft experiments give null without a row', async ({ server }) => {
  const res = await server.post('/v1/assignment', {
    user_id: 'user-2',
    experiment_keys: ['nope', 'draft_one', 'paywall_copy'],
  });
  assert.is(res.status, 200);
  assert.equal(res.body.unknown_experiments, ['nope']);
  assert.equal(
    res.body.assignments.map((a: any) => a.experiment_key),
    ['draft_one', 'paywall_copy'],
  );
  assert.equal(res.body.assignments[0], {
    experiment_key: 'draft_one',
    variant: null,
    reason: 'inactive',
    value: null,
    assigned_at: null,
    new: false,
  });
  const rows = await server.sql(`select count(*)::int as n from assignments where user_id = 'user-2'`);
  assert.is(rows[0]?.n, 1);
});

it('users outside coverage get variant null and no stored row', async ({ server }) => {
  const outsider = Array.from({ length: 200 }, (_, i) => `cov-${i}`).find(
    (u) => assign({ ...twoWay, key: 'tiny_coverage', coverage: 0.01 }, u) === null,
  ) as string;
  const res = await server.post('/v1/assignment', { user_id: outsider, experiment_keys: ['tiny_coverage'] });
  assert.equal(res.body.assignments[0], {
    experiment_key: 'tiny_coverage',
    variant: null,
    reason: 'outside_coverage',
    value: null,
    assigned_at: null,
    new: false,
  });
  const rows = await server.sql(`select count(*)::int as n from assignments where user_id = ?`, [outsider]);
  assert.is(rows[0]?.n, 0);
});

it('sticky: a stored variant survives a change of weights', async ({ server }) => {
  const users = Array.from({ length: 40 }, (_, i) => `sticky-${i}`);
  const before = new Map<string, string>();
  for (const u of users) {
    const res = await server.post('/v1/assignment', { user_id: u, experiment_keys: ['onboarding_flow'] });
    before.set(u, res.body.assignments[0].variant);
  }
  const patch = await server.send(
    'PATCH',
    '/v1/admin/experiments/onboarding_flow',
    JSON.stringify({
      variants: [
        { key: 'control', weight: 0.01 },
        { key: 'guided', weight: 0.99 },
      ],
    }),
    { ...admin, 'content-type': 'application/json' },
  );
  assert.is(patch.status, 200);
  let wouldMove = 0;
  for (const u of users) {
    const res = await server.post('/v1/assignment', { user_id: u, experiment_keys: ['onboarding_flow'] });
    assert.is(res.body.assignments[0].variant, before.get(u), u);
    const reweighted = {
      ...twoWay,
      variants: [
        { key: 'control', weight: 0.01 },
        { key: 'guided', weight: 0.99 },
      ],
    };
    if (assign(reweighted, u) !== before.get(u)) wouldMove++;
  }
  assert.ok(wouldMove > 5, 'the new weights would have moved some users, so stickiness was exercised');
  const fresh = await server.post('/v1/assignment', { user_id: 'after-change', experiment_keys: ['onboarding_flow'] });
  const reweighted = {
    ...twoWay,
    variants: [
      { key: 'control', weight: 0.01 },
      { key: 'guided', weight: 0.99 },
    ],
  };
  assert.is(fresh.body.assignments[0].variant, assign(reweighted, 'after-change'));
});

it('sticky: a stored variant survives the user falling outside a reduced coverage', async ({ server }) => {
  const before = await server.post('/v1/assignment', { user_id: 'shrinking', experiment_keys: ['paywall_copy'] });
  const variant = before.body.assignments[0].variant;
  assert.ok(variant);
  const patch = await server.send('PATCH', '/v1/admin/experiments/paywall_copy', JSON.stringify({ coverage: 0 }), {
    ...admin,
    'content-type': 'application/json',
  });
  assert.is(patch.status, 200);
  const after = await server.post('/v1/assignment', { user_id: 'shrinking', experiment_keys: ['paywall_copy'] });
  assert.is(after.body.assignments[0].variant, variant);
  const newcomer = await server.post('/v1/assignment', { user_id: 'newcomer', experiment_keys: ['paywall_copy'] });
  assert.is(newcomer.body.assignments[0].variant, null);
  await server.send('PATCH', '/v1/admin/experiments/paywall_copy', JSON.stringify({ coverage: 1 }), {
    ...admin,
    'content-type': 'application/json',
  });
});

it('100 concurrent first requests for one user store one row and all agree', async ({ server }) => {
  const responses = await Promise.all(
    Array.from({ length: 100 }, () =>
      server.post('/v1/assignment', { user_id: 'racer', experiment_keys: ['paywall_copy'] }),
    ),
  );
  assert.ok(
    responses.every((r) => r.status === 200),
    JSON.stringify(responses.find((r) => r.status !== 200)?.body),
  );
  const variants = new Set(responses.map((r) => r.body.assignments[0].variant));
  assert.is(variants.size, 1);
  assert.is(responses.filter((r) => r.body.assignments[0].new).length, 1);
  const rows = await server.sql(`select count(*)::int as n from assignments where user_id = 'racer'`);
  assert.is(rows[0]?.n, 1);
});

it('invalid bodies get 400 naming the field', async ({ server }) => {
  const missing = await server.post('/v1/assignment', { experiment_keys: [] });
  assert.is(missing.status, 400);
  assert.is(missing.body.error.code, 'invalid_request');
  assert.equal(missing.body.error.details[0].field, '/user_id');
  const extra = await server.post('/v1/assignment', { user_id: 'u', colour: 'red' });
  assert.is(extra.status, 400);
  assert.is(extra.body.error.details[0].field, '/colour');
  const wrongType = await server.post('/v1/assignment', { user_id: 42 });
  assert.is(wrongType.body.error.details[0].field, '/user_id');
  const nul = await server.post('/v1/assignment', { user_id: 'a\u0000b' });
  assert.is(nul.status, 400);
});

it('a misspelt field is named with the field meant, beside the missing one', async ({ server }) => {
  const res = await server.post('/v1/assignment', { userId: 'a' });
  assert.is(res.status, 400);
  assert.equal(res.body.error.details, [
    { field: '/user_id', message: "'user_id' is required" },
    { field: '/userId', message: "unknown field 'userId'; did you mean 'user_id'?" },
  ]);
});

it('non-JSON, malformed, empty and oversized bodies get 415, 400, 400 and 413', async ({ server }) => {
  const text = await server.send('POST', '/v1/assignment', 'user_id=u', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  assert.is(text.status, 415);
  assert.is(text.body.error.code, 'unsupported_media_type');
  const malformed = await server.send('POST', '/v1/assignment', '{"user_id": ', { 'content-type': 'application/json' });
  assert.is(malformed.status, 400);
  assert.is(malformed.body.error.code, 'invalid_json');
  const empty = await server.send('POST', '/v1/assignment', '', { 'content-type': 'application/json' });
  assert.is(empty.status, 400);
  const huge = await server.post('/v1/assignment', { user_id: 'u', attributes: { blob: 'x'.repeat(100_000) } });
  assert.is(huge.status, 413);
  assert.is(server.errors.length, 0, 'no caller mistake was logged as a server error');
});

/** A request written by hand: no Content-Length and no Transfer-Encoding, as `curl -X POST` without `-d` sends. */
async function postWithoutBody(server: TestServer, path: string, headers: Record<string, string>) {
  const { hostname, port } = new URL(server.baseUrl);
  const lines = Object.entries({ host: hostname, connection: 'close', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const reply = await new Promise<string>((resolve, reject) => {
    let text = '';
    const socket = connect(Number(port), hostname, () => socket.write(`POST ${path} HTTP/1.1\r\n${lines}\r\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  const [head, ...body] = reply.split('\r\n\r\n');
  const status = Number(head?.split(' ')[1]);
  return { status, body: JSON.parse(body.join('\r\n\r\n')) as { error: { code: string } } };
}

it('a JSON Content-Type without any body is 400 empty_body on every route that reads one', async ({ server }) => {
  const json = { 'content-type': 'application/json', ...admin };
  for (const path of ['/v1/assignment', '/v1/events', '/v1/admin/experiments', '/v1/admin/funnels']) {
    const res = await postWithoutBody(server, path, json);
    assert.is(res.status, 400, path);
    assert.is(res.body.error.code, 'empty_body', path);
  }
  const none = await postWithoutBody(server, '/v1/assignment', {});
  assert.is(none.status, 415, 'no Content-Type at all is still the wrong media type');
});

it.run();
