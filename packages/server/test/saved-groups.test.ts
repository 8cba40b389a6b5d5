import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('saved groups');
const json = { 'content-type': 'application/json', ...admin };
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'beta', weight: 0.5 },
];

it.before(async (ctx) => {
  // An hour-long cache: only invalidation can make a change visible within the test.
  ctx.server = await startTestServer({ experimentCacheTtlMs: 3600_000 });
});
it.after(async (ctx) => ctx.server.close());

const send = (server: TestServer, method: string, path: string, body?: unknown) =>
  server.send(method, path, body === undefined ? undefined : JSON.stringify(body), json);

const withoutTimes = (record: Record<string, unknown>) => ({ ...record, created_at: 'x', updated_at: 'x' });

it('create (201, Location), get, list, patch; the same key again is 409; unknown keys 404', async ({ server }) => {
  const res = await send(server, 'POST', '/v1/admin/saved-groups', { key: 'staff', values: ['u1', 'u2', 7] });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.headers.get('location'), '/v1/admin/saved-groups/staff');
  assert.equal(withoutTimes(res.body), { key: 'staff', name: null, values: ['u1', 'u2', 7], ...withoutTimes({}) });
  assert.is((await send(server, 'POST', '/v1/admin/saved-groups', { key: 'staff', values: [] })).status, 409);
  assert.equal((await server.get('/v1/admin/saved-groups/staff', admin)).body, res.body);

  const patched = await send(server, 'PATCH', '/v1/admin/saved-groups/staff', { name: 'Staff' });
  assert.is(patched.status, 200, JSON.stringify(patched.body));
  assert.equal([patched.body.name, patched.body.values], ['Staff', ['u1', 'u2', 7]]);
  const replaced = await send(server, 'PATCH', '/v1/admin/saved-groups/staff', { values: ['u1', 'u3'] });
  assert.equal([replaced.body.name, replaced.body.values], ['Staff', ['u1', 'u3']]);

  const list = await server.get('/v1/admin/saved-groups', admin);
  assert.equal(
    list.body.saved_groups.map((g: { key: string }) => g.key),
    ['staff'],
  );
  assert.is((await server.get('/v1/admin/saved-groups/nope', admin)).status, 404);
  assert.is((await send(server, 'PATCH', '/v1/admin/saved-groups/nope', { name: 'x' })).status, 404);
  assert.is((await send(server, 'DELETE', '/v1/admin/saved-groups/nope')).status, 404);
  assert.is((await server.get('/v1/admin/saved-groups')).status, 401);
});

it('bad saved groups get 400 naming the field', async ({ server }) => {
  const tooMany = Array.from({ length: 10_001 }, (_, i) => i);
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: [true] }, '/values/0'],
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: ['ok', { a: 1 }] }, '/values/1'],
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: ['a\u0000b'] }, '/values/0'],
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: ['\ud83d'] }, '/values/0'],
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: ['x'.repeat(257)] }, '/values/0'],
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: tooMany }, '/values'],
    ['POST', '/v1/admin/saved-groups', { key: 'g' }, '/values'],
    ['POST', '/v1/admin/saved-groups', { key: 'bad key', values: [] }, '/key'],
    ['POST', '/v1/admin/saved-groups', { key: 'g', values: [], extra: 1 }, '/extra'],
    ['PATCH', '/v1/admin/saved-groups/staff', { key: 'other' }, '/key'],
    ['PATCH', '/v1/admin/saved-groups/staff', {}, '/'],
    ['PATCH', '/v1/admin/saved-groups/staff', { values: 'u1' }, '/values'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await send(server, method, path, body);
    assert.is(res.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.status}`);
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
    assert.ok(fields.includes(field), `${JSON.stringify(body).slice(0, 80)} names ${field}: ${JSON.stringify(fields)}`);
  }
  const full = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
  const big = await send(server, 'POST', '/v1/admin/saved-groups', { key: 'big', values: full });
  assert.is(big.status, 201, JSON.stringify(big.body).slice(0, 200));
  assert.is((await server.get('/v1/admin/saved-groups/big', admin)).body.values.length, 10_000);
  assert.is((await send(server, 'DELETE', '/v1/admin/saved-groups/big')).status, 200);
});

it('conditions may name existing groups only (400 naming the path)', async ({ server }) => {
  const unknown = await server.post(
    '/v1/admin/experiments',
    { key: 'ghost', status: 'running', variants, condition: { id: { $inGroup: 'ghosts' } } },
    admin,
  );
  assert.is(unknown.status, 400);
  assert.ok(JSON.stringify(unknown.body).includes('/condition/id/$inGroup'), JSON.stringify(unknown.body));
  await createExperiment(server, { key: 'draft_exp', status: 'draft', variants });
  const patch = await send(server, 'PATCH', '/v1/admin/experiments/draft_exp', {
    condition: { $or: [{ id: { $notInGroup: 'ghosts' } }] },
  });
  assert.is(patch.status, 400);
  assert.ok(JSON.stringify(patch.body).includes('/condition/$or/0/id/$notInGroup'), JSON.stringify(patch.body));
});

it('POST /v1/assignment and GET /v1/definitions evaluate $inGroup with the stored values', async ({ server }) => {
  assert.is((await send(server, 'PATCH', '/v1/admin/saved-groups/staff', { values: ['u1'] })).status, 200);
  const blocked = await send(server, 'POST', '/v1/admin/saved-groups', { key: 'blocked', values: ['XX'] });
  assert.is(blocked.status, 201);
  await createExperiment(server, { key: 'staff_beta', variants, condition: { id: { $inGroup: 'staff' } } });
  await createExperiment(server, { key: 'public_beta', variants, condition: { country: { $notInGroup: 'blocked' } } });
  await send(server, 'POST', '/v1/admin/saved-groups', { key: 'unused', values: ['nobody'] });

  const assign = async (userId: string, attributes: Record<string, unknown> = {}) => {
    const res = await server.post('/v1/assignment', { user_id: userId, attributes });
    assert.is(res.status, 200, JSON.stringify(res.body));
    return Object.fromEntries(
      (res.body.assignments as Array<{ experiment_key: string; reason: string }>).map((a) => [
        a.experiment_key,
        a.reason,
      ]),
    );
  };
  assert.equal(await assign('u1', { country: 'CA' }), { staff_beta: 'assigned', public_beta: 'assigned' });
  assert.equal(await assign('u2', { country: 'XX' }), { staff_beta: 'not_targeted', public_beta: 'not_targeted' });
  assert.equal(await assign('u3', { country: 'FR' }), { staff_beta: 'not_targeted', public_beta: 'assigned' });

  // A change of the group's values reaches the (hour-long) cache at once.
  assert.equal((await assign('u4', { country: 'CA' })).staff_beta, 'not_targeted');
  await send(server, 'PATCH', '/v1/admin/saved-groups/staff', { values: ['u1', 'u2', 'u4'] });
  assert.equal((await assign('u5', { country: 'CA' })).staff_beta, 'not_targeted');
  assert.equal((await assign('u4', { country: 'CA' })).staff_beta, 'assigned');

  const defs = await server.get('/v1/definitions');
  assert.is(defs.status, 200);
  // Only the groups the served conditions name.
  assert.equal(defs.body.saved_groups, { blocked: ['XX'], staff: ['u1', 'u2', 'u4'] });
});

it('deleting a group a live experiment names is 409 naming it; once archived, the group goes', async ({ server }) => {
  const refused = await send(server, 'DELETE', '/v1/admin/saved-groups/staff');
  assert.is(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.error.message, /staff_beta/);
  assert.is((await send(server, 'DELETE', '/v1/admin/experiments/staff_beta')).status, 200);
  const removed = await send(server, 'DELETE', '/v1/admin/saved-groups/staff');
  assert.is(removed.status, 200, JSON.stringify(removed.body));
  assert.equal(removed.body.values, ['u1', 'u2', 'u4']);
  assert.is((await server.get('/v1/admin/saved-groups/staff', admin)).status, 404);
  assert.is((await send(server, 'DELETE', '/v1/admin/saved-groups/unused')).status, 200);
  // Found at any depth, whatever characters the key has.
  await send(server, 'POST', '/v1/admin/saved-groups', { key: 'qa_team.v2', values: [] });
  await send(server, 'POST', '/v1/admin/saved-groups', { key: 'qa', values: [] });
  await createExperiment(server, {
    key: 'deep',
    variants,
    condition: { $and: [{ $not: { tags: { $elemMatch: { $inGroup: 'qa_team.v2' } } } }] },
  });
  assert.is((await send(server, 'DELETE', '/v1/admin/saved-groups/qa_team.v2')).status, 409);
  assert.is((await send(server, 'DELETE', '/v1/admin/saved-groups/qa')).status, 200);
  const audit = await server.get('/v1/admin/audit?entity_type=saved_group', admin);
  assert.is(audit.status, 200, JSON.stringify(audit.body));
});

it.run();
