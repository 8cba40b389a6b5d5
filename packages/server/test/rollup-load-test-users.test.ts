import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LOAD_TEST_USER_PREFIX } from '@ab-calicritters/core';
import { runRollup } from '../src/rollups/run-rollup.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { createTestStorage, type TestDatabase, storageOrm } from '../src/testing.js';
import { insertAssignment, insertEvents, type TestEvent } from './helpers/seed-rows.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const it = suite<{ db: TestDatabase }>('rollups and load-test users');

const sql = <T>(db: TestDatabase, query: string) => rawQuery<T>(storageOrm(db.storage).em.fork(), query, []);
const lt = (n: number) => `${LOAD_TEST_USER_PREFIX}3b1fb57d-b762-4c72-9d0e-76ff04354848-${n}`;

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  const { storage } = ctx.db;
  await storage.funnels.create({ name: 'journey', steps: ['app_open', 'purchase'], conversion_window_hours: 24 });
  await storage.experiments.create({
    key: 'paywall',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'treat', weight: 0.5 },
    ],
  });
  // Two real users and three load-test users, each assigned and with a journey; a real user whose id merely
  // contains "lt-" is no load-test user.
  const users = ['u1', 'salt-lake', lt(0), lt(1), lt(2)];
  const events: TestEvent[] = [];
  for (const [i, user] of users.entries()) {
    await insertAssignment(storage, 'paywall', user, i % 2 ? 'treat' : 'control', '2026-03-09T00:00:00Z');
    events.push({ user_id: user, name: 'app_open', at: '2026-03-09T01:00:00Z' });
    events.push({ user_id: user, name: 'purchase', at: '2026-03-09T02:00:00Z', value: 5 });
  }
  await insertEvents(storage, events);
});
it.after(async (ctx) => ctx.db.close());

const counts = async (db: TestDatabase) => ({
  daily: (
    await sql<{ n: string }>(db, `select unique_users::text as n from daily_metric_rollups where event_name = '$all'`)
  )[0]?.n,
  assigned: (
    await sql<{ n: string }>(
      db,
      `select sum(exposed_users)::text as n from experiment_metric_rollups where metric = '$exposed' and window_days = 7`,
    )
  )[0]?.n,
  funnel: (await sql<{ n: string }>(db, `select users::text as n from funnel_rollups where step_index = 1`))[0]?.n,
});

it('rollups leave load-test users out of daily metrics, experiment results and funnels by default', async ({ db }) => {
  for (const job of ['daily', 'experiments', 'funnels'] as const)
    await runRollup(db.storage, job, { windowDays: 7, now: NOW });
  assert.equal(await counts(db), { daily: '2', assigned: '2', funnel: '2' });
});

it('includeLoadTestUsers counts them too', async ({ db }) => {
  for (const job of ['daily', 'experiments', 'funnels'] as const)
    await runRollup(db.storage, job, { windowDays: 7, now: NOW, includeLoadTestUsers: true });
  assert.equal(await counts(db), { daily: '5', assigned: '5', funnel: '5' });
});

it.run();
