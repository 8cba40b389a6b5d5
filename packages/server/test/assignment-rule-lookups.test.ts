/**
 * The assignment endpoint with QA overrides and holdouts from a RuleLookups (`RouterDeps.ruleLookups`): forced users
 * get their variant and no row, held-out users get nothing, and a stored row still wins over a later holdout.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { evaluateExperiment, isInHoldout } from '@ab-calicritters/core';
import { mountRouters } from '../src/http/mount-routers.js';
import { createAssignmentRouter } from '../src/routes/assignment-routes.js';
import { createExperimentCache } from '../src/services/experiment-cache.js';
import type { RuleHoldout, RuleLookups } from '../src/services/rule-lookups.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { createTestStorage, storageOrm, type TestDatabase } from '../src/testing.js';

interface Context {
  db: TestDatabase;
  server: Server;
  url: string;
  forced: Map<string, Record<string, string>>;
  holdouts: RuleHoldout[];
  calls: { forced: number; holdouts: number };
}

const it = suite<Context>('POST /v1/assignment with overrides and holdouts');

const variants = [
  { key: 'control', weight: 0.5, value: { copy: 'A' } },
  { key: 'treatment', weight: 0.5, value: { copy: 'B' } },
];

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  ctx.forced = new Map();
  ctx.holdouts = [];
  ctx.calls = { forced: 0, holdouts: 0 };
  const ruleLookups: RuleLookups = {
    forcedVariations: async (userId) => {
      ctx.calls.forced++;
      return ctx.forced.get(userId) ?? {};
    },
    holdouts: async () => {
      ctx.calls.holdouts++;
      return ctx.holdouts;
    },
  };
  const deps = {
    storage: ctx.db.storage,
    experimentCache: createExperimentCache(ctx.db.storage, 0),
    ruleLookups,
    logger: console,
    summaryCacheTtlMs: 0,
    now: () => new Date(),
  };
  const router = mountRouters({ logger: console }, [createAssignmentRouter(deps)]);
  const app = new Koa().use(router.routes()).use(router.allowedMethods());
  ctx.server = createServer(app.callback());
  await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
  ctx.url = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
  for (const key of ['qa_target', 'held', 'held_too', 'other']) {
    await ctx.db.storage.experiments.create({ key, status: 'running', variants });
  }
  await ctx.db.storage.experiments.create({ key: 'resting', status: 'draft', variants });
});
it.after(async (ctx) => {
  await new Promise<void>((resolve) => ctx.server.close(() => resolve()));
  await ctx.db.close();
});

async function assign(ctx: Context, userId: string, keys?: string[]) {
  const response = await fetch(`${ctx.url}/v1/assignment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: userId, ...(keys ? { experiment_keys: keys } : {}) }),
  });
  assert.is(response.status, 200);
  const body = (await response.json()) as { assignments: Array<Record<string, any>> };
  return new Map(body.assignments.map((a) => [a.experiment_key as string, a]));
}
const rows = (ctx: Context, userId: string) =>
  rawQuery<{ key: string }>(
    storageOrm(ctx.db.storage).em.fork(),
    'select e.key from assignments a join experiments e on e.id = a.experiment_id where a.user_id = ? order by e.key',
    [userId],
  );

it('a forced user gets the forced variant and its value with reason `forced`, and no sticky row', async (ctx) => {
  ctx.forced.set('qa-phone', { qa_target: 'treatment', resting: 'treatment', unknown_experiment: 'control' });
  const got = await assign(ctx, 'qa-phone', ['qa_target', 'resting', 'other']);
  assert.equal(
    [got.get('qa_target')?.variant, got.get('qa_target')?.reason, got.get('qa_target')?.value],
    ['treatment', 'forced', { copy: 'B' }],
  );
  assert.is(got.get('qa_target')?.assigned_at, null);
  assert.is(got.get('resting')?.reason, 'inactive', 'an override does not start a draft');
  assert.is(got.get('other')?.reason, 'assigned');
  assert.equal(await rows(ctx, 'qa-phone'), [{ key: 'other' }]);
});

it('an override wins over a stored row, which stays; removing the override gives the stored variant back', async (ctx) => {
  const before = (await assign(ctx, 'tester', ['qa_target'])).get('qa_target')!;
  assert.is(before.reason, 'assigned');
  const other = before.variant === 'control' ? 'treatment' : 'control';
  ctx.forced.set('tester', { qa_target: other });
  const forced = (await assign(ctx, 'tester', ['qa_target'])).get('qa_target')!;
  assert.equal([forced.variant, forced.reason], [other, 'forced']);
  ctx.forced.delete('tester');
  const back = (await assign(ctx, 'tester', ['qa_target'])).get('qa_target')!;
  assert.equal([back.variant, back.reason, back.assigned_at], [before.variant, 'assigned', before.assigned_at]);
});

it('holdouts: held-out users get `holdout` and no row in the experiments covered, and only those', async (ctx) => {
  const holdout: RuleHoldout = { key: 'h_q4', share: 0.3, experiments: ['held', 'held_too'] };
  ctx.holdouts = [holdout];
  const users = Array.from({ length: 60 }, (_, i) => `holdout-user-${i}`);
  let heldOut = 0;
  for (const user of users) {
    const got = await assign(ctx, user, ['held', 'held_too', 'other']);
    const expected = isInHoldout(holdout, user);
    if (expected) heldOut++;
    for (const key of ['held', 'held_too']) {
      assert.is(got.get(key)?.reason === 'holdout', expected, `${user} ${key}`);
      assert.is(got.get(key)?.variant === null, expected);
    }
    assert.is(got.get('other')?.reason, 'assigned', 'an experiment the holdout does not cover');
    assert.equal(
      (await rows(ctx, user)).map((r) => r.key),
      expected ? ['other'] : ['held', 'held_too', 'other'],
    );
  }
  assert.ok(heldOut > 5 && heldOut < 40, `${heldOut} of 60 held out`);
  ctx.holdouts = [{ key: 'h_all', share: 1 - 1e-9, experiments: 'all' }];
  const all = await assign(ctx, 'fresh-user', ['held', 'other']);
  assert.equal([all.get('held')?.reason, all.get('other')?.reason], ['holdout', 'holdout']);
  ctx.holdouts = [];
});

it('a stored row wins over a holdout added later (no assigned user moves)', async (ctx) => {
  const before = (await assign(ctx, 'veteran', ['other'])).get('other')!;
  ctx.holdouts = [{ key: 'h_late', share: 1 - 1e-9, experiments: 'all' }];
  const after = (await assign(ctx, 'veteran', ['other'])).get('other')!;
  assert.equal([after.variant, after.reason], [before.variant, 'assigned']);
  assert.is((await assign(ctx, 'rookie', ['other'])).get('other')?.reason, 'holdout');
  ctx.holdouts = [];
});

it('the variant is the one core evaluates; nothing is looked up when no experiment is live', async (ctx) => {
  const got = (await assign(ctx, 'plain-user', ['held'])).get('held')!;
  assert.is(got.variant, evaluateExperiment({ attributes: { id: 'plain-user' } }, { key: 'held', variants }).variant);
  const calls = { ...ctx.calls };
  await assign(ctx, 'plain-user', ['resting', 'missing']);
  assert.equal(ctx.calls, calls);
});

it.run();
