/**
 * The in-process cache of stored sticky rows: a returning user is answered without the sticky statement, a status
 * change drops the experiment's rows, forced and released answers never read or fill it, and with the cache off every
 * request reads the database. The storage's statements are counted by wrapping them.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAbRouter } from '../src/index.js';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

interface Calls {
  upsert: string[][];
  find: number;
}

/** Counts the sticky statements the storage runs, with the experiment ids each upsert was given. */
function countStatements(server: TestServer): Calls {
  const calls: Calls = { upsert: [], find: 0 };
  const store = server.db.storage.assignments;
  const { upsertSticky, find } = store;
  store.upsertSticky = (userId, rows) => {
    if (rows.length > 0) calls.upsert.push(rows.map((r) => r.experiment_id));
    return upsertSticky(userId, rows);
  };
  store.find = (userId, ids) => {
    calls.find++;
    return find(userId, ids);
  };
  return calls;
}

const it = suite<{ server: TestServer; off: TestServer; calls: Calls; offCalls: Calls }>('assignment cache');
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'urgency', weight: 0.5 },
];
const HOUR = 3600_000;

it.before(async (ctx) => {
  // An hour-long definitions cache: only this server's own invalidation can make a change visible.
  ctx.server = await startTestServer({ experimentCacheTtlMs: HOUR });
  ctx.off = await startTestServer({ experimentCacheTtlMs: HOUR, assignmentCacheSize: 0 });
  for (const server of [ctx.server, ctx.off]) {
    await createExperiment(server, { key: 'paywall', variants });
    await createExperiment(server, { key: 'onboarding', variants });
  }
  ctx.calls = countStatements(ctx.server);
  ctx.offCalls = countStatements(ctx.off);
});
it.after(async (ctx) => {
  await ctx.server?.close();
  await ctx.off?.close();
});

interface Answer {
  experiment_key: string;
  variant: string | null;
  reason: string;
  assigned_at: string | null;
  new: boolean;
}
const assign = async (server: TestServer, userId: string) => {
  const res = await server.post('/v1/assignment', { user_id: userId });
  assert.is(res.status, 200, JSON.stringify(res.body));
  return Object.fromEntries((res.body.assignments as Answer[]).map((a) => [a.experiment_key, a]));
};
const patch = (server: TestServer, key: string, body: unknown) =>
  server.send('PATCH', `/v1/admin/experiments/${key}`, JSON.stringify(body), {
    'content-type': 'application/json',
    ...admin,
  });
const reset = (calls: Calls) => {
  calls.upsert.length = 0;
  calls.find = 0;
};

it('a returning user is answered from memory: the same rows, new: false, no statement', async ({ server, calls }) => {
  reset(calls);
  const first = await assign(server, 'returning-1');
  assert.is(calls.upsert.length, 1, 'the first request runs the sticky statement once');
  assert.ok(first.paywall!.new && first.onboarding!.new);
  reset(calls);
  for (let i = 0; i < 3; i++) {
    const again = await assign(server, 'returning-1');
    for (const key of ['paywall', 'onboarding']) {
      assert.equal(again[key], { ...first[key]!, new: false }, `${key}: the stored row, as first answered`);
    }
  }
  assert.equal(calls, { upsert: [], find: 0 }, 'no sticky statement for a returning user');
});

it('only the experiments missing from memory go to the statement', async ({ server, calls }) => {
  await assign(server, 'partial-1');
  await createExperiment(server, { key: 'new_shop', variants });
  reset(calls);
  const answer = await assign(server, 'partial-1');
  assert.is(calls.upsert.length, 1);
  assert.is(calls.upsert[0]!.length, 1, 'only the new experiment');
  assert.ok(answer.new_shop!.new);
  assert.not.ok(answer.paywall!.new);
  await patch(server, 'new_shop', { status: 'stopped' });
});

it('a row missing from memory costs the insert-or-read statement alone, which answers a stored row as stored', async ({
  server,
  calls,
}) => {
  reset(calls);
  const first = await assign(server, 'one-trip-1');
  assert.equal(calls.find, 0, 'no read before the insert');
  assert.is(calls.upsert.length, 1);
  assert.ok(first.paywall!.new);
  // A row stored by another instance (this one never answered the user), with a time the rules cannot make.
  const [paywall] = await server.sql<{ id: string }>(`select id::text as id from experiments where key = 'paywall'`);
  await server.sql(
    `insert into assignments (experiment_id, user_id, variant, assigned_at, hash_attribute)
     values (?::uuid, 'one-trip-2', 'urgency', '2026-01-02T03:04:05Z', 'id')`,
    [paywall!.id],
  );
  reset(calls);
  const stored = await assign(server, 'one-trip-2');
  assert.equal(calls.find, 0);
  assert.is(calls.upsert.length, 1);
  assert.equal(
    { variant: stored.paywall!.variant, assigned_at: stored.paywall!.assigned_at, new: stored.paywall!.new },
    { variant: 'urgency', assigned_at: '2026-01-02T03:04:05.000Z', new: false },
  );
  assert.ok(stored.onboarding!.new, 'the missing row is inserted in the same statement');
});

it('with assignmentCacheSize 0 every request reads the rows, and a returning user only reads', async ({
  off,
  offCalls,
}) => {
  const first = await assign(off, 'uncached-1');
  reset(offCalls);
  const again = await assign(off, 'uncached-1');
  assert.is(offCalls.find, 1);
  assert.is(offCalls.upsert.length, 0, 'no insert statement for rows that exist');
  assert.equal(again.paywall, { ...first.paywall!, new: false });
});

it('a status change drops the experiment rows: a row deleted behind the server is made again', async ({
  server,
  calls,
}) => {
  const first = await assign(server, 'dropped-1');
  // Rows deleted outside this server (a cleanup run, SQL) are still answered from memory…
  await server.sql(`delete from assignments where user_id = 'dropped-1'`);
  reset(calls);
  assert.equal((await assign(server, 'dropped-1')).paywall, { ...first.paywall!, new: false });
  assert.equal(calls.upsert, []);
  // …until the experiment's status changes: then its rows are read again, and the missing one is inserted anew.
  assert.is((await patch(server, 'paywall', { status: 'stopped' })).status, 200);
  assert.is((await assign(server, 'dropped-1')).paywall, undefined, 'a stopped experiment is not listed');
  assert.is((await patch(server, 'paywall', { status: 'running' })).status, 200);
  reset(calls);
  const after = await assign(server, 'dropped-1');
  assert.is(calls.upsert.length, 1);
  assert.equal(calls.upsert[0]!.length, 1, 'the other experiment is still answered from memory');
  assert.is(after.paywall!.variant, first.paywall!.variant, 'the same bucket: same seed, same weights');
  assert.ok(after.paywall!.new, 'a new row');
  assert.not.ok(after.onboarding!.new);
});

it('archiving answers inactive at once, whatever is cached', async ({ server }) => {
  const first = await assign(server, 'archived-1');
  assert.is(first.onboarding!.reason, 'assigned');
  assert.is((await server.send('DELETE', '/v1/admin/experiments/onboarding', undefined, admin)).status, 200);
  const after = await assign(server, 'archived-1');
  assert.is(after.onboarding, undefined, 'an archived experiment is not live: not listed');
  const asked = await server.post('/v1/assignment', { user_id: 'archived-1', experiment_keys: ['onboarding'] });
  assert.is(asked.body.assignments[0].reason, 'inactive');
  assert.is(asked.body.assignments[0].variant, null);
});

it('a forced user is answered from the override, and its answer is neither read from nor put in memory', async ({
  server,
  calls,
}) => {
  const first = await assign(server, 'forced-1');
  const other = first.paywall!.variant === 'control' ? 'urgency' : 'control';
  const path = '/v1/admin/experiments/paywall/overrides/forced-1';
  const put = await server.send('PUT', path, JSON.stringify({ variant: other }), {
    'content-type': 'application/json',
    ...admin,
  });
  assert.is(put.status, 201);
  reset(calls);
  const forced = await assign(server, 'forced-1');
  assert.equal(forced.paywall, { ...forced.paywall!, variant: other, reason: 'forced', assigned_at: null });
  assert.equal(calls.upsert, [], 'paywall, the only running experiment left, is forced: no statement');
  assert.is((await server.send('DELETE', path, undefined, admin)).status, 200);
  assert.equal((await assign(server, 'forced-1')).paywall, { ...first.paywall!, new: false });

  // A user forced before any row: nothing stored or cached, so the first request after the override makes the row.
  await server.send('PUT', '/v1/admin/experiments/paywall/overrides/forced-2', JSON.stringify({ variant: 'urgency' }), {
    'content-type': 'application/json',
    ...admin,
  });
  reset(calls);
  assert.is((await assign(server, 'forced-2')).paywall!.reason, 'forced');
  assert.equal(calls.upsert, [], 'only paywall is running, and it is forced');
  await server.send('DELETE', '/v1/admin/experiments/paywall/overrides/forced-2', undefined, admin);
  const bucketed = await assign(server, 'forced-2');
  assert.is(bucketed.paywall!.reason, 'assigned');
  assert.ok(bucketed.paywall!.new);
});

it('a release answers the released variant to everyone, cached rows or not', async ({ server }) => {
  const before = await assign(server, 'released-1');
  const released = before.paywall!.variant === 'control' ? 'urgency' : 'control';
  assert.is((await patch(server, 'paywall', { status: 'released', released_variant: released })).status, 200);
  const after = await assign(server, 'released-1');
  assert.equal(
    { variant: after.paywall!.variant, reason: after.paywall!.reason, new: after.paywall!.new },
    { variant: released, reason: 'released', new: false },
  );
  assert.is((await patch(server, 'paywall', { status: 'running' })).status, 200);
  assert.equal((await assign(server, 'released-1')).paywall, { ...before.paywall!, new: false }, 'still sticky');
});

it('bad cache options fail at construction, naming the option', ({ server }) => {
  const storage = server.db.storage;
  assert.throws(() => createAbRouter({ storage, assignmentCacheSize: -1 }), /assignmentCacheSize/);
  assert.throws(() => createAbRouter({ storage, assignmentCacheSize: 1.5 }), /assignmentCacheSize/);
  assert.throws(() => createAbRouter({ storage, assignmentCacheTtlMs: 0 }), /assignmentCacheTtlMs/);
});

it.run();
