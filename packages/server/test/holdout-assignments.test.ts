/**
 * Holdout rows written by POST /v1/assignment: one per holdout and user the first time a covered experiment is
 * evaluated, `holdout` for held-out users and `exposed` for the others (bucketed or not targeted), none for forced
 * users, released experiments or uncovered ones; the first answer wins, and a returning user's rows cost no statement.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isInHoldout } from '@ab-calicritters/core';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer; statements: number }>('holdout assignments');
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'urgency', weight: 0.5 },
];
const HOLDOUT = { key: 'h1', share: 0.3 };

it.before.each(async (ctx) => {
  ctx.server = await startTestServer({ experimentCacheTtlMs: 3600_000 });
  await createExperiment(ctx.server, { key: 'paywall', variants });
  await createExperiment(ctx.server, { key: 'onboarding', variants, condition: { country: 'CA' } });
  await createExperiment(ctx.server, { key: 'outside', variants });
  ctx.statements = 0;
  const store = ctx.server.db.storage.assignments;
  const { upsertSticky } = store;
  store.upsertSticky = (userId, rows, holdouts) => {
    if (rows.length > 0 || (holdouts?.length ?? 0) > 0) ctx.statements++;
    return upsertSticky(userId, rows, holdouts);
  };
});
it.after.each(async (ctx) => ctx.server.close());

const createHoldout = async (server: TestServer, body: Record<string, unknown>) => {
  const res = await server.post('/v1/admin/holdouts', body, admin);
  assert.is(res.status, 201, JSON.stringify(res.body));
};

const holdoutRows = (server: TestServer) =>
  server.sql<{ holdout_key: string; user_id: string; arm: string }>(
    `select holdout_key, user_id, arm from holdout_assignments order by holdout_key, user_id`,
  );

const assign = (server: TestServer, user: string, keys: string[], attributes: Record<string, unknown> = {}) =>
  server.post('/v1/assignment', { user_id: user, experiment_keys: keys, attributes });

it('each user evaluated in a covered experiment gets one row: holdout when held out, exposed otherwise', async ({
  server,
}) => {
  await createHoldout(server, { ...HOLDOUT, experiment_keys: ['paywall', 'onboarding'] });
  const users = Array.from({ length: 40 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
  for (const user of users) {
    // Not in Canada: onboarding does not target them, which still makes them exposed when not held out.
    const res = await assign(server, user, ['paywall', 'onboarding', 'outside'], { country: 'FR' });
    const held = isInHoldout(HOLDOUT, user);
    assert.is(res.body.assignments[0].reason, held ? 'holdout' : 'assigned', user);
  }
  const rows = await holdoutRows(server);
  assert.equal(
    rows,
    users.map((user) => ({
      holdout_key: 'h1',
      user_id: user,
      arm: isInHoldout(HOLDOUT, user) ? 'holdout' : 'exposed',
    })),
  );
  const held = rows.filter((r) => r.arm === 'holdout').length;
  assert.ok(held > 3 && held < 25, `${held} of 40 held out`);
});

it('only covered experiments write rows; the first answer wins when the scope or share changes', async ({ server }) => {
  await createHoldout(server, { ...HOLDOUT, experiment_keys: ['paywall'] });
  await assign(server, 'lone', ['outside']);
  assert.equal(await holdoutRows(server), []);
  await assign(server, 'lone', ['paywall']);
  const first = await holdoutRows(server);
  assert.is(first.length, 1);
  // Whatever the share becomes, the stored arm stays.
  const res = await server.send('PATCH', '/v1/admin/holdouts/h1', JSON.stringify({ share: 0.99 }), {
    ...admin,
    'content-type': 'application/json',
  });
  assert.is(res.status, 200);
  const other = await server.post('/v1/assignment', { user_id: 'lone', experiment_keys: ['paywall'] });
  assert.is(other.status, 200);
  assert.equal(await holdoutRows(server), first);
});

it('forced users and released experiments get no row', async ({ server }) => {
  await createHoldout(server, { ...HOLDOUT, all_experiments: true });
  const forced = await server.send(
    'PUT',
    '/v1/admin/experiments/paywall/overrides/qa-phone',
    JSON.stringify({ variant: 'urgency' }),
    { ...admin, 'content-type': 'application/json' },
  );
  assert.is(forced.status, 201, JSON.stringify(forced.body));
  const qa = await assign(server, 'qa-phone', ['paywall']);
  assert.is(qa.body.assignments[0].reason, 'forced');
  const released = await server.send(
    'PATCH',
    '/v1/admin/experiments/outside',
    JSON.stringify({ status: 'released', released_variant: 'urgency' }),
    { ...admin, 'content-type': 'application/json' },
  );
  assert.is(released.status, 200, JSON.stringify(released.body));
  const user = await assign(server, 'someone', ['outside']);
  assert.is(user.body.assignments[0].reason, 'released');
  assert.equal(await holdoutRows(server), []);
});

it('a user bucketed before the holdout existed keeps their variant and is exposed', async ({ server }) => {
  const held = Array.from({ length: 50 }, (_, i) => `early-${i}`).find((u) => isInHoldout(HOLDOUT, u))!;
  const before = await assign(server, held, ['paywall']);
  assert.is(before.body.assignments[0].reason, 'assigned');
  await createHoldout(server, { ...HOLDOUT, experiment_keys: ['paywall'] });
  const after = await assign(server, held, ['paywall']);
  assert.is(after.body.assignments[0].variant, before.body.assignments[0].variant);
  assert.equal(await holdoutRows(server), [{ holdout_key: 'h1', user_id: held, arm: 'exposed' }]);
});

it('a returning user with stored sticky and holdout rows costs no statement', async (ctx) => {
  const { server } = ctx;
  await createHoldout(server, { ...HOLDOUT, experiment_keys: ['paywall'] });
  await assign(server, 'returning', ['paywall', 'outside']);
  assert.is(ctx.statements, 1);
  await assign(server, 'returning', ['paywall', 'outside']);
  assert.is(ctx.statements, 1, 'answered from memory');
  // A second holdout covering the same experiment needs its row: one statement, then none again.
  await createHoldout(server, { key: 'h2', share: 0.2, all_experiments: true });
  await assign(server, 'returning', ['paywall', 'outside']);
  assert.is(ctx.statements, 2);
  await assign(server, 'returning', ['paywall', 'outside']);
  assert.is(ctx.statements, 2);
  assert.equal(
    (await holdoutRows(server)).map((r) => r.holdout_key),
    ['h1', 'h2'],
  );
});

it('with the cache off, a returning user whose rows are all stored reads them and runs no write statement', async () => {
  const off = await startTestServer({ experimentCacheTtlMs: 3600_000, assignmentCacheSize: 0 });
  try {
    await createExperiment(off, { key: 'paywall', variants });
    await createHoldout(off, { ...HOLDOUT, all_experiments: true });
    let writes = 0;
    const store = off.db.storage.assignments;
    const { upsertSticky } = store;
    store.upsertSticky = (userId, rows, holdouts) => {
      if (rows.length > 0 || (holdouts?.length ?? 0) > 0) writes++;
      return upsertSticky(userId, rows, holdouts);
    };
    // Held out or bucketed, the first request writes; the next ones find every row with the indexed read.
    for (const user of ['returning-1', 'returning-2', 'returning-3']) {
      const first = await assign(off, user, ['paywall']);
      const again = await assign(off, user, ['paywall']);
      assert.equal(
        again.body.assignments,
        first.body.assignments.map((a: object) => ({ ...a, new: false })),
      );
    }
    assert.is(writes, 3);
    assert.is((await holdoutRows(off)).length, 3);
  } finally {
    await off.close();
  }
});

it.run();
