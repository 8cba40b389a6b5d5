/**
 * Incremental rollups leave exactly the rows a full run writes. Seeded random traffic arrives in rounds — new users
 * and assignments, returning users, late events dated days back, events before an assignment, future-dated events,
 * load-test users, users meeting holdouts, a holdout created between rounds — and after each round every job runs
 * incrementally, then in full, and the rows must match.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seededRandom } from '@ab-calicritters/core';
import { rollupSnapshot } from '../src/rollups/rollup-snapshot.js';
import { runRollup, type RollupRunResult } from '../src/rollups/run-rollup.js';
import { ROLLUP_JOBS, type RollupJob } from '../src/rollups/rollup-window.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { createTestStorage, type TestDatabase, storageOrm } from '../src/testing.js';
import { insertAssignment, insertEvents, insertHoldoutAssignment, type TestEvent } from './helpers/seed-rows.js';

const it = suite<{ db: TestDatabase }>('incremental rollups');
/** The jobs with incremental runs: the metrics job recomputes its window in full every run (metrics-job.ts). */
const JOBS: readonly RollupJob[] = ROLLUP_JOBS.filter((job) => job !== 'metrics');
const DAY = 86_400_000;
const NOW = new Date('2026-03-20T12:00:00Z');
const WINDOW_DAYS = 7;
const NAMES = ['app_open', 'tutorial_complete', 'first_catch', 'purchase', 'share'];

it.before.each(async (ctx) => {
  ctx.db = await createTestStorage();
  const { storage } = ctx.db;
  await storage.funnels.create({
    name: 'core_journey',
    steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
    conversion_window_hours: 48,
  });
  await storage.funnels.create({ name: 'share_loop', steps: ['first_catch', 'share'], conversion_window_hours: 6 });
  for (const key of ['paywall', 'onboarding'])
    await storage.experiments.create({
      key,
      status: 'running',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'treat', weight: 0.5 },
      ],
    });
  await storage.holdouts.create(holdout('everything'));
});

const holdout = (key: string) => ({
  key,
  name: null,
  seed: key,
  share: 0.2,
  experiment_keys: [],
  all_experiments: true,
});
it.after.each(async ({ db }) => db.close());

const sql = <T = Record<string, unknown>>(db: TestDatabase, text: string, params: Array<string | number> = []) =>
  rawQuery<T>(storageOrm(db.storage).em.fork(), text, params);

/** One round of traffic around `now`: integer values keep every sum exact whatever the order of addition. */
async function traffic(db: TestDatabase, random: () => number, now: Date, round: number, users: number) {
  const events: TestEvent[] = [];
  const holdouts = await db.storage.holdouts.list();
  for (let i = 0; i < users; i++) {
    const returning = round > 0 && random() < 0.5;
    const id = returning ? `u${Math.floor(random() * round * users)}` : `u${round * users + i}`;
    const user = random() < 0.05 ? `lt-${id}` : id;
    if (!returning) {
      const assignedAt = new Date(now.getTime() - random() * (WINDOW_DAYS + 2) * DAY);
      for (const key of ['paywall', 'onboarding'])
        if (random() < 0.8)
          await insertAssignment(db.storage, key, user, random() < 0.5 ? 'control' : 'treat', assignedAt.toISOString());
      for (const { key } of holdouts) {
        const arm = random() < 0.2 ? 'holdout' : 'exposed';
        if (random() < 0.9) await insertHoldoutAssignment(db.storage, key, user, arm, assignedAt.toISOString());
      }
    }
    for (let n = Math.floor(random() * 6); n > 0; n--) {
      // Mostly recent, some late (dated days back) and a few dated after the window's end.
      const back = random() < 0.2 ? random() * (WINDOW_DAYS + 1) * DAY : random() * DAY;
      const at = new Date(now.getTime() - back + (random() < 0.05 ? 30 * 3_600_000 : 0));
      const name = NAMES[Math.floor(random() * NAMES.length)] as string;
      events.push({
        user_id: user,
        name,
        at: at.toISOString(),
        value: random() < 0.3 ? 1 + Math.floor(random() * 9) : undefined,
      });
    }
  }
  await insertEvents(db.storage, events);
}

async function runAll(db: TestDatabase, now: Date, full = false): Promise<Record<RollupJob, RollupRunResult>> {
  const results = {} as Record<RollupJob, RollupRunResult>;
  for (const job of JOBS) results[job] = await runRollup(db.storage, job, { windowDays: WINDOW_DAYS, now, full });
  return results;
}

async function snapshots(db: TestDatabase) {
  return Object.fromEntries(await Promise.all(JOBS.map(async (job) => [job, await rollupSnapshot(db.storage, job)])));
}

/** Events and assignments that arrived a while ago, as if the traffic had come in over the past hours. */
const settle = (db: TestDatabase) => sql(db, `update event_logs set received_at = received_at - interval '2 hours'`);

it('after each round of traffic an incremental run leaves the rows a full run writes', async ({ db }) => {
  const random = seededRandom(7);
  assert.equal(
    Object.values(await runAll(db, NOW)).map((r) => r.mode),
    ['full', 'full', 'full'],
  );
  for (let round = 0; round < 4; round++) {
    // A holdout made between runs needs no full run: its rows are new assignments.
    if (round === 2) await db.storage.holdouts.create(holdout('later'));
    await traffic(db, random, NOW, round, 40);
    const incremental = await runAll(db, NOW);
    assert.equal(
      Object.values(incremental).map((r) => r.mode),
      ['incremental', 'incremental', 'incremental'],
    );
    const afterIncremental = await snapshots(db);
    assert.ok(afterIncremental.experiments.length > 0 && afterIncremental.funnels.length > 0, 'rows to compare');
    for (const key of round < 2 ? ['~everything'] : ['~everything', '~later'])
      assert.ok(
        afterIncremental.experiments.some((row: string) => row.includes(`"experiment_key":"${key}"`)),
        `${key} rows in round ${round}`,
      );
    await runAll(db, NOW, true);
    assert.equal(afterIncremental, await snapshots(db), `round ${round}`);
  }
});

it('a rerun with nothing new recomputes nothing and writes no rows', async ({ db }) => {
  await traffic(db, seededRandom(3), NOW, 0, 30);
  await settle(db);
  await runAll(db, NOW);
  const before = await snapshots(db);
  const rerun = await runAll(db, NOW);
  for (const job of JOBS) {
    assert.is(rerun[job].mode, 'incremental', job);
    assert.is(rerun[job].recomputed, 0, job);
    assert.is(rerun[job].rows_written, 0, job);
  }
  assert.equal(await snapshots(db), before);
});

it('when the day changes, the daily and experiments jobs stay incremental and agree with a full run', async ({
  db,
}) => {
  const random = seededRandom(11);
  await traffic(db, random, NOW, 0, 40);
  await runAll(db, NOW);
  const tomorrow = new Date(NOW.getTime() + DAY);
  await traffic(db, random, tomorrow, 1, 40);
  const moved = await runAll(db, tomorrow);
  assert.equal(
    JOBS.map((job) => moved[job].mode),
    ['incremental', 'incremental', 'full'],
    'funnel entries depend on the window start',
  );
  const afterIncremental = await snapshots(db);
  await runAll(db, tomorrow, true);
  assert.equal(afterIncremental, await snapshots(db));
});

it('a changed definition (a new funnel step is a new metric) makes the next run a full one', async ({ db }) => {
  await traffic(db, seededRandom(5), NOW, 0, 20);
  await runAll(db, NOW);
  await storage(db).funnels.create({
    name: 'catch_again',
    steps: ['first_catch', 'level_up'],
    conversion_window_hours: 24,
  });
  const next = await runAll(db, NOW);
  assert.is(next.daily.mode, 'incremental');
  assert.is(next.experiments.mode, 'full');
  assert.is(next.funnels.mode, 'full');
  const other = await runRollup(db.storage, 'daily', { windowDays: WINDOW_DAYS + 1, now: NOW });
  assert.is(other.mode, 'full', 'another window length');
});

it('the run log and the status say which runs were incremental', async ({ db }) => {
  await runAll(db, NOW);
  await runAll(db, NOW);
  const rows = await sql<{ mode: string }>(
    db,
    `select job, mode from rollup_runs where status = 'succeeded' order by id`,
  );
  assert.equal(
    rows.map((r) => r.mode),
    ['full', 'full', 'full', 'incremental', 'incremental', 'incremental'],
  );
  const runs = await db.storage.rollups.jobRuns();
  assert.equal(
    runs.map((r) => r.last_run.mode),
    ['incremental', 'incremental', 'incremental'],
  );
});

it('a released experiment keeps the results of the last run before its release; back to running, it catches up', async ({
  db,
}) => {
  const random = seededRandom(13);
  await traffic(db, random, NOW, 0, 40);
  await runAll(db, NOW);
  const rowsOf = async (key: string) =>
    (await rollupSnapshot(db.storage, 'experiments')).filter((row) => row.includes(`"experiment_key":"${key}"`));
  const before = await rowsOf('paywall');
  assert.ok(before.length > 0);
  await db.storage.experiments.update('paywall', { status: 'released', released_variant: 'treat' });
  await traffic(db, random, NOW, 1, 40);
  await runAll(db, NOW);
  assert.equal(await rowsOf('paywall'), before, 'frozen after an incremental run');
  await runAll(db, NOW, true);
  assert.equal(await rowsOf('paywall'), before, 'and after a full one');
  await db.storage.experiments.update('paywall', { status: 'running' });
  await runAll(db, NOW);
  const resumed = await snapshots(db);
  assert.not.equal(await rowsOf('paywall'), before, 'the new traffic counts again');
  await runAll(db, NOW, true);
  assert.equal(resumed, await snapshots(db), 'and the incremental run agrees with a full one');
});

const storage = (db: TestDatabase) => db.storage;

it.run();
