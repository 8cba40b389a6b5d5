/**
 * The rollup scheduler with fake timers (a round per interval, never two at once, a job whose lock another session
 * holds skipped) and the endpoints over it: POST /v1/admin/rollups and GET /v1/metrics/rollups/status.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { createRollupScheduler, type RollupScheduler, type SchedulerTimers } from '../src/rollups/rollup-scheduler.js';
import { ROLLUP_LOCK_KEYS } from '../src/rollups/rollup-lock.js';
import { createTestStorage, testDatabaseKind, testSql } from '../src/testing.js';
import { insertEvents } from './helpers/seed-rows.js';
import { admin, DASHBOARD_TOKEN, startTestServer } from './helpers/test-server.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const dashboard = { 'x-dashboard-token': DASHBOARD_TOKEN };

/** Timers that fire only when the test says so. */
function fakeTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  let next = 0;
  const timers: SchedulerTimers = {
    setTimeout(run, ms) {
      pending.set(++next, { run, ms });
      return next;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending,
    fire() {
      const entries = [...pending.entries()];
      pending.clear();
      for (const [, timer] of entries) timer.run();
      return entries.length;
    },
  };
}

const runsOf = async (storage: Parameters<typeof testSql>[0]) =>
  (await testSql<{ job: string; status: string }>(storage, 'select job, status from rollup_runs order by id')).map(
    (r) => `${r.job}:${r.status}`,
  );

const it = suite('rollup scheduler');

it('runs every job once per interval, not before the first interval, and nothing after stop()', async () => {
  const db = await createTestStorage();
  try {
    await insertEvents(db.storage, [{ user_id: 'u1', name: 'app_open', at: '2026-03-10T08:00:00Z' }]);
    const clock = fakeTimers();
    const scheduler = createRollupScheduler(db.storage, {
      intervalMs: 60_000,
      timers: clock.timers,
      now: () => NOW,
      logger: { error: () => undefined },
    });
    scheduler.start();
    assert.is(clock.pending.size, 1);
    assert.is([...clock.pending.values()][0]?.ms, 60_000);
    assert.equal(await runsOf(db.storage), []);
    clock.fire();
    assert.ok(scheduler.running, 'a round runs once the interval has passed');
    assert.is(scheduler.running?.window_days, 90);
    // The next tick while the round still runs starts nothing: rounds never overlap.
    assert.is(scheduler.trigger(), undefined);
    await scheduler.idle();
    assert.equal(await runsOf(db.storage), [
      'daily:succeeded',
      'experiments:succeeded',
      'funnels:succeeded',
      'metrics:succeeded',
    ]);
    const [row] = await testSql<{ events: number }>(
      db.storage,
      `select events::int as events from daily_metric_rollups where event_name = '$all'`,
    );
    assert.is(row?.events, 1);
    assert.is(clock.pending.size, 1, 'the next round is scheduled');
    clock.fire();
    await scheduler.idle();
    assert.is((await runsOf(db.storage)).length, 8);
    await scheduler.stop();
    assert.is(clock.pending.size, 0);
    assert.is(scheduler.trigger(), undefined, 'nothing starts after stop()');
  } finally {
    await db.close();
  }
});

it('skips a job whose lock another session holds, quietly, and runs the others', async () => {
  if (testDatabaseKind() !== 'postgresql') return; // PGlite has one connection: no other session can hold the lock
  const db = await createTestStorage();
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query('select pg_advisory_lock($1)', [ROLLUP_LOCK_KEYS.daily]);
    const errors: unknown[] = [];
    const scheduler = createRollupScheduler(db.storage, { now: () => NOW, logger: { error: (e) => errors.push(e) } });
    assert.ok(scheduler.trigger());
    await scheduler.idle();
    assert.equal(await runsOf(db.storage), ['experiments:succeeded', 'funnels:succeeded', 'metrics:succeeded']);
    assert.is(scheduler.outcomes.get('daily'), 'skipped');
    assert.equal(errors, []);
    await scheduler.stop();
  } finally {
    await holder.end();
    await db.close();
  }
});

it('stop() cancels a running round and waits for it', async () => {
  const db = await createTestStorage();
  try {
    const scheduler = createRollupScheduler(db.storage, { now: () => NOW, logger: { error: () => undefined } });
    assert.ok(scheduler.trigger());
    await scheduler.stop();
    assert.is(scheduler.running, undefined);
    const runs = await runsOf(db.storage);
    assert.ok(runs.length < 3 && runs.every((r) => r.endsWith(':failed') || r.endsWith(':succeeded')), String(runs));
  } finally {
    await db.close();
  }
});

it('refuses bad options', () => {
  assert.throws(() => createRollupScheduler({} as never, { intervalMs: -1 }), /intervalMs/);
  assert.throws(() => createRollupScheduler({} as never, { windowDays: 0 }), /windowDays/);
});

it.run();

const api = suite('rollup endpoints');

async function untilIdle(server: Awaited<ReturnType<typeof startTestServer>>) {
  for (let i = 0; i < 200; i++) {
    const status = await server.get('/v1/metrics/rollups/status', dashboard);
    if (status.body.running === null) return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the rollup did not finish');
}

api('POST /v1/admin/rollups starts a run (202), the status says how it went', async () => {
  const server = await startTestServer({ now: () => NOW, rollups: { now: () => NOW } });
  try {
    await insertEvents(server.db.storage, [{ user_id: 'u1', name: 'app_open', at: '2026-03-10T08:00:00Z' }]);
    const before = await server.get('/v1/metrics/rollups/status', dashboard);
    assert.is(before.status, 200);
    assert.equal(
      before.body.jobs.map((j: { job: string; last_run_at: unknown; lag_seconds: unknown }) => [
        j.job,
        j.last_run_at,
        j.lag_seconds,
      ]),
      [
        ['daily', null, null],
        ['experiments', null, null],
        ['funnels', null, null],
        ['metrics', null, null],
      ],
    );
    const started = await server.send('POST', '/v1/admin/rollups', undefined, admin);
    assert.is(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.jobs, ['daily', 'experiments', 'funnels', 'metrics']);
    assert.is(started.body.window_days, 90);
    const status = await untilIdle(server);
    for (const job of status.body.jobs) {
      assert.is(job.last_status, 'succeeded', JSON.stringify(job));
      assert.type(job.last_duration_ms, 'number');
      assert.ok(job.lag_seconds >= 0);
      assert.is(job.last_window_days, 90);
    }
    const one = await server.post('/v1/admin/rollups', { job: 'funnels', window_days: 7 }, admin);
    assert.is(one.status, 202);
    assert.equal(one.body.jobs, ['funnels']);
    assert.is(one.body.window_days, 7);
    await untilIdle(server);
    const runs = await server.sql<{ n: number }>(`select count(*)::int as n from rollup_runs where job = 'funnels'`);
    assert.is(runs[0]?.n, 2);
  } finally {
    await server.close();
  }
});

api('POST /v1/admin/rollups while a run is going is a 409, and the status shows the running one', async () => {
  const running = {
    jobs: ['daily' as const],
    window_days: 90,
    full: false,
    started_at: NOW.toISOString(),
    reason: 'schedule' as const,
  };
  const busy: RollupScheduler = {
    start: () => undefined,
    stop: async () => undefined,
    trigger: () => undefined,
    idle: async () => undefined,
    running,
    outcomes: new Map(),
  };
  const server = await startTestServer({ now: () => NOW, rollups: busy });
  try {
    const response = await server.post('/v1/admin/rollups', { job: 'funnels' }, admin);
    assert.is(response.status, 409);
    assert.match(response.body.error.message, /daily/);
    const status = await server.get('/v1/metrics/rollups/status', dashboard);
    assert.equal(status.body.running, { jobs: ['daily'], window_days: 90, full: false, started_at: NOW.toISOString() });
  } finally {
    await server.close();
  }
});

api('POST /v1/admin/rollups refuses bad bodies naming the field, and wants the admin token', async () => {
  const server = await startTestServer();
  try {
    for (const body of [{ job: 'weekly' }, { window_days: 0 }, { window_days: 1.5 }, { extra: 1 }, []]) {
      const response = await server.post('/v1/admin/rollups', body, admin);
      assert.is(response.status, 400, JSON.stringify(body));
      assert.ok(response.body.error.details.length > 0);
    }
    assert.is((await server.post('/v1/admin/rollups', {}, {})).status, 401);
    assert.is((await server.post('/v1/admin/rollups', {}, dashboard)).status, 401);
    assert.is((await server.get('/v1/metrics/rollups/status', admin)).status, 401);
  } finally {
    await server.close();
  }
});

api.run();
