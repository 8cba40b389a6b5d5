import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isInHoldout } from '@ab-calicritters/core';
import { createStoredRuleLookups } from '../src/services/stored-rule-lookups.js';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('holdouts');
const json = { 'content-type': 'application/json', ...admin };
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'urgency', weight: 0.5 },
];

it.before(async (ctx) => {
  // An hour-long cache: only invalidation can make a change visible within the test.
  ctx.server = await startTestServer({ experimentCacheTtlMs: 3600_000 });
  await createExperiment(ctx.server, { key: 'paywall', variants });
  await createExperiment(ctx.server, { key: 'onboarding', variants });
});
it.after(async (ctx) => ctx.server.close());

const send = (server: TestServer, method: string, path: string, body?: unknown) =>
  server.send(method, path, body === undefined ? undefined : JSON.stringify(body), json);

it('POST creates an active holdout (201, Location, seed defaults to the key); the same key again is 409', async ({
  server,
}) => {
  const res = await send(server, 'POST', '/v1/admin/holdouts', {
    key: 'h2',
    name: 'H2 holdout',
    share: 0.05,
    experiment_keys: ['paywall', 'paywall'],
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.headers.get('location'), '/v1/admin/holdouts/h2');
  assert.equal(
    { ...res.body, created_at: undefined, updated_at: undefined },
    {
      key: 'h2',
      name: 'H2 holdout',
      seed: 'h2',
      share: 0.05,
      experiment_keys: ['paywall'],
      all_experiments: false,
      status: 'active',
      created_at: undefined,
      updated_at: undefined,
      archived_at: null,
    },
  );
  const again = await send(server, 'POST', '/v1/admin/holdouts', { key: 'h2', share: 0.1, all_experiments: true });
  assert.is(again.status, 409);
  const got = await server.get('/v1/admin/holdouts/h2', admin);
  assert.equal(got.body, res.body);
  assert.is((await server.get('/v1/admin/holdouts/nope', admin)).status, 404);
});

it('bad holdouts get 400 naming the field', async ({ server }) => {
  const cases: Array<[unknown, string]> = [
    [{ key: 'b1', share: 0, all_experiments: true }, '/share'],
    [{ key: 'b1', share: 1, all_experiments: true }, '/share'],
    [{ key: 'b1', share: 1.5, all_experiments: true }, '/share'],
    [{ key: 'b1', share: -0.1, all_experiments: true }, '/share'],
    [{ key: 'b1', share: '0.1', all_experiments: true }, '/share'],
    [{ key: 'b1', all_experiments: true }, '/share'],
    [{ key: 'b1', share: 0.1 }, '/experiment_keys'],
    [{ key: 'b1', share: 0.1, experiment_keys: [] }, '/experiment_keys'],
    [{ key: 'b1', share: 0.1, experiment_keys: ['paywall'], all_experiments: true }, '/experiment_keys'],
    [{ key: 'b1', share: 0.1, experiment_keys: ['paywall', 'ghost'] }, '/experiment_keys/1'],
    [{ key: 'b1', share: 0.1, experiment_keys: ['bad key'] }, '/experiment_keys/0'],
    [{ key: 'bad key', share: 0.1, all_experiments: true }, '/key'],
    [{ key: 'b1', share: 0.1, all_experiments: true, seed: '' }, '/seed'],
    [{ key: 'b1', share: 0.1, all_experiments: true, name: 'half \udc31' }, '/name'],
    [{ key: 'b1', share: 0.1, all_experiments: true, percent: 5 }, '/percent'],
    [{ share: 0.1, all_experiments: true }, '/key'],
  ];
  for (const [body, field] of cases) {
    const res = await send(server, 'POST', '/v1/admin/holdouts', body);
    assert.is(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    assert.is(res.body.error.code, 'invalid_holdout');
    assert.ok(
      res.body.error.details.some((d: { field: string }) => d.field === field),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.error.details)}`,
    );
  }
  assert.is((await server.get('/v1/admin/holdouts/b1', admin)).status, 404, 'nothing stored');
});

it('PATCH changes the share, name and scope; key and seed never change; 404 for an unknown key', async ({ server }) => {
  const all = await send(server, 'PATCH', '/v1/admin/holdouts/h2', { all_experiments: true, share: 0.1 });
  assert.is(all.status, 200, JSON.stringify(all.body));
  assert.is(all.body.all_experiments, true);
  assert.equal(all.body.experiment_keys, []);
  assert.is(all.body.share, 0.1);
  const listed = await send(server, 'PATCH', '/v1/admin/holdouts/h2', { experiment_keys: ['onboarding'] });
  assert.is(listed.body.all_experiments, false, 'listing experiments narrows the scope');
  assert.equal(listed.body.experiment_keys, ['onboarding']);
  const named = await send(server, 'PATCH', '/v1/admin/holdouts/h2', { name: 'Long-run' });
  assert.equal(named.body.experiment_keys, ['onboarding'], 'the scope is kept');
  assert.is(named.body.name, 'Long-run');
  const cases: Array<[unknown, string]> = [
    [{ seed: 'other' }, '/seed'],
    [{ key: 'h3' }, '/key'],
    [{ share: 1 }, '/share'],
    [{ all_experiments: true, experiment_keys: ['paywall'] }, '/experiment_keys'],
    [{ experiment_keys: [] }, '/experiment_keys'],
    [{ experiment_keys: ['ghost'] }, '/experiment_keys/0'],
    [{}, '/'],
  ];
  for (const [body, field] of cases) {
    const res = await send(server, 'PATCH', '/v1/admin/holdouts/h2', body);
    assert.is(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    assert.ok(
      res.body.error.details.some((d: { field: string }) => d.field === field),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.error.details)}`,
    );
  }
  assert.is((await send(server, 'PATCH', '/v1/admin/holdouts/ghost', { share: 0.2 })).status, 404);
});

it('held-out users of a covered experiment get no variant and no row, at once after a change', async ({ server }) => {
  await send(server, 'PATCH', '/v1/admin/holdouts/h2', { share: 0.5, experiment_keys: ['paywall'] });
  const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
  const held = users.filter((u) => isInHoldout({ key: 'h2', share: 0.5 }, u));
  assert.ok(held.length > 5 && held.length < 35, `${held.length} of 40 held out`);
  for (const user of users) {
    const res = await server.post('/v1/assignment', { user_id: user, experiment_keys: ['paywall', 'onboarding'] });
    const [paywall, onboarding] = res.body.assignments;
    assert.is(paywall.variant === null, held.includes(user), `${user} in paywall`);
    assert.ok(onboarding.variant !== null, `${user} is not held out of onboarding`);
  }
  const rows = await server.sql<{ n: number }>(
    `select count(*)::int as n from assignments a join experiments e on e.id = a.experiment_id where e.key = 'paywall'`,
  );
  assert.is(rows[0]?.n, users.length - held.length);
});

it('DELETE archives (twice the same); archived holdouts hold out nobody, are listed only when asked, refuse PATCH', async ({
  server,
}) => {
  const archived = await send(server, 'DELETE', '/v1/admin/holdouts/h2');
  assert.is(archived.status, 200);
  assert.is(archived.body.status, 'archived');
  assert.type(archived.body.archived_at, 'string');
  const twice = await send(server, 'DELETE', '/v1/admin/holdouts/h2');
  assert.equal(twice.body, archived.body);
  assert.equal((await server.get('/v1/admin/holdouts', admin)).body, { holdouts: [] });
  const withArchived = await server.get('/v1/admin/holdouts?include_archived=true', admin);
  assert.equal(
    withArchived.body.holdouts.map((h: { key: string }) => h.key),
    ['h2'],
  );
  assert.is((await send(server, 'PATCH', '/v1/admin/holdouts/h2', { share: 0.2 })).status, 409);
  assert.is((await send(server, 'DELETE', '/v1/admin/holdouts/ghost')).status, 404);
  const held = Array.from({ length: 40 }, (_, i) => `late-${i}`).find((u) => isInHoldout({ key: 'h2', share: 0.5 }, u));
  const res = await server.post('/v1/assignment', { user_id: held, experiment_keys: ['paywall'] });
  assert.ok(res.body.assignments[0].variant !== null, 'an archived holdout holds out nobody');
});

it('stored lookups give the active holdouts with their scope, cached until invalidated', async ({ server }) => {
  let ms = 0;
  const lookups = createStoredRuleLookups(server.db.storage, 1000, undefined, () => ms);
  assert.equal(await lookups.holdouts(), []);
  await server.db.storage.holdouts.create({
    key: 'everyone',
    name: null,
    seed: 'everyone-seed',
    share: 0.02,
    experiment_keys: [],
    all_experiments: true,
  });
  assert.equal(await lookups.holdouts(), [], 'cached');
  lookups.invalidate();
  assert.equal(await lookups.holdouts(), [{ key: 'everyone', seed: 'everyone-seed', share: 0.02, experiments: 'all' }]);
  await server.db.storage.holdouts.update('everyone', { all_experiments: false, experiment_keys: ['paywall'] });
  ms = 1000;
  assert.equal(await lookups.holdouts(), [
    { key: 'everyone', seed: 'everyone-seed', share: 0.02, experiments: ['paywall'] },
  ]);
});

it.run();
