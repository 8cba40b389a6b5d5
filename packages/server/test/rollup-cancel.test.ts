import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createTestStorage, testDatabaseKind, type TestDatabase, storageOrm } from '../src/testing.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { createStorage } from '../src/storage/storage.js';
import { isQueryTimeout } from '../src/storage/database-errors.js';
import { RollupBusyError, RollupCancelledError, runRollup } from '../src/rollups/run-rollup.js';
import {
  advisoryLockHeld,
  backendState,
  blockDailyRow,
  DAILY_LOCK_KEY,
  settleWithin,
  waitForBlockedRollup,
} from './helpers/rollup-blocker.js';

const NOW = new Date('2026-03-10T12:00:00Z'); // daily, 1 day: deletes the rows of 2026-03-10
const LATER = new Date('2026-03-20T12:00:00Z'); // a window that shares no rows with NOW's
const it = suite<{ db: TestDatabase }>('rollup cancellation and stale locks');
const onPostgres = testDatabaseKind() === 'postgresql';

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
});
it.after(async (ctx) => ctx.db.close());

const sql = <T>(db: TestDatabase, query: string, params: Array<string | number> = []) =>
  rawQuery<T>(storageOrm(db.storage).em.fork(), query, params);
const lastRun = async (db: TestDatabase) =>
  (
    await sql<{ status: string; error: string | null }>(
      db,
      'select status, error from rollup_runs order by id desc limit 1',
    )
  )[0];

it('a signal aborted before the run starts rejects with RollupCancelledError and touches nothing', async ({ db }) => {
  const before = (await sql<{ n: string }>(db, 'select count(*) as n from rollup_runs'))[0]?.n;
  const error = await runRollup(db.storage, 'daily', {
    windowDays: 1,
    now: NOW,
    signal: AbortSignal.abort('stop'),
  }).catch((e: unknown) => e);
  assert.instance(error, RollupCancelledError);
  assert.is((error as RollupCancelledError).job, 'daily');
  assert.is((await sql<{ n: string }>(db, 'select count(*) as n from rollup_runs'))[0]?.n, before);
});

it('an abort between statements rolls the run back and records it as failed: cancelled (PostgreSQL and PGlite)', async ({
  db,
}) => {
  const controller = new AbortController();
  const run = runRollup(db.storage, 'daily', { windowDays: 1, full: true, now: NOW, signal: controller.signal });
  controller.abort('interrupted by test');
  const error = await run.catch((e: unknown) => e);
  assert.instance(error, RollupCancelledError);
  assert.match((error as Error).message, /cancelled: interrupted by test/);
  assert.equal(await lastRun(db), { status: 'failed', error: 'cancelled: interrupted by test' });
  // The lock went with the transaction: the next run proceeds without waiting.
  const next = await runRollup(db.storage, 'daily', { windowDays: 1, full: true, now: NOW, wait: false });
  assert.ok(next.run_id > 0);
});

if (onPostgres) {
  it('aborting a rollup mid-query cancels its backend statement, releases the advisory lock and records the run as failed', async ({
    db,
  }) => {
    const blocker = await blockDailyRow(db.url as string, '2026-03-10');
    const controller = new AbortController();
    const run = runRollup(db.storage, 'daily', { windowDays: 1, full: true, now: NOW, signal: controller.signal });
    run.catch(() => undefined);
    try {
      const pid = await waitForBlockedRollup(db.storage);
      assert.ok(await advisoryLockHeld(db.storage), 'the running rollup holds its lock');
      const aborted = Date.now();
      controller.abort('interrupted by SIGINT');
      const error = await settleWithin(run, 3000, 'the aborted rollup');
      assert.instance(error, RollupCancelledError);
      assert.ok(Date.now() - aborted < 2000, `cancelled in ${Date.now() - aborted} ms`);
      // The backend went back to the pool (this very check may run on it): it must not be in the DELETE any more.
      const backend = await backendState(db.storage, pid);
      const stillDeleting = backend?.state === 'active' && /delete from daily_metric_rollups/i.test(backend.query);
      assert.not.ok(stillDeleting, `backend ${pid} is no longer running the rollup's statement`);
      assert.not.ok(await advisoryLockHeld(db.storage), 'advisory lock released');
      assert.equal(await lastRun(db), { status: 'failed', error: 'cancelled: interrupted by SIGINT' });
    } finally {
      await blocker.release();
      await run.catch(() => undefined);
    }
  });

  it('with wait: false the busy error names the session holding the lock and since when', async ({ db }) => {
    const holder = new pg.Client({ connectionString: db.url, application_name: 'nightly-maintenance' });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1)', [DAILY_LOCK_KEY]);
      const pid = Number((await holder.query('select pg_backend_pid() as pid')).rows[0].pid);
      const error = await runRollup(db.storage, 'daily', { windowDays: 1, full: true, now: NOW, wait: false }).catch(
        (e: unknown) => e,
      );
      assert.instance(error, RollupBusyError);
      const busy = error as RollupBusyError;
      assert.is(busy.holder?.pid, pid);
      assert.is(busy.holder?.application_name, 'nightly-maintenance');
      assert.match(busy.message, new RegExp(`pid ${pid}`));
      assert.match(busy.message, /nightly-maintenance/);
      assert.match(busy.message, /since \d{4}-\d\d-\d\dT/);
      assert.match(busy.message, /pg_terminate_backend/);
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
    }
  });

  it('a rollup waits past the pool lock and statement timeouts, but its own statement timeout stops it', async ({
    db,
  }) => {
    const strict = await createStorage({ databaseUrl: db.url, statementTimeoutMs: 300, lockTimeoutMs: 200 });
    try {
      const blocker = await blockDailyRow(db.url as string, '2026-03-10');
      setTimeout(() => void blocker.release(), 800);
      const ok = await runRollup(strict, 'daily', { windowDays: 1, full: true, now: NOW });
      assert.ok(ok.duration_ms >= 600, `waited for the row (${ok.duration_ms} ms)`);

      const second = await blockDailyRow(db.url as string, '2026-03-10');
      try {
        const error = await settleWithin(
          runRollup(strict, 'daily', { windowDays: 1, full: true, now: NOW, statementTimeoutMs: 300 }),
          5000,
          'the rollup',
        );
        assert.ok(isQueryTimeout(error), `a query timeout (${(error as Error).message})`);
        assert.not.instance(error, RollupCancelledError);
        assert.not.ok(await advisoryLockHeld(db.storage), 'advisory lock released');
        const run = await lastRun(db);
        assert.is(run?.status, 'failed');
        assert.match(run?.error ?? '', /statement timeout/);
      } finally {
        await second.release();
      }
    } finally {
      await strict.close();
    }
  });

  it('runRollup refuses a bad statementTimeoutMs, naming the option', async ({ db }) => {
    const error = await runRollup(db.storage, 'daily', {
      windowDays: 1,
      full: true,
      now: NOW,
      statementTimeoutMs: -5,
    }).catch((e: unknown) => e);
    assert.match((error as Error).message, /statementTimeoutMs/);
  });

  it('a SIGKILLed rollup process releases its lock within seconds, so the next wait: false run succeeds', async ({
    db,
  }) => {
    const blocker = await blockDailyRow(db.url as string, '2026-03-10');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('./helpers/rollup-child.ts', import.meta.url).pathname,
        db.url as string,
        NOW.toISOString(),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => line === 'started' && resolve());
        child.once('exit', (code) => reject(new Error(`rollup child exited early (${code})`)));
      });
      const pid = await waitForBlockedRollup(db.storage);
      assert.ok(await advisoryLockHeld(db.storage), 'the child holds the lock');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const killed = Date.now();
      let result;
      while (!result) {
        try {
          result = await runRollup(db.storage, 'daily', { windowDays: 1, full: true, now: LATER, wait: false });
        } catch (error) {
          if (!(error instanceof RollupBusyError)) throw error;
          if (Date.now() - killed > 8000) assert.unreachable(`lock still held 8 s after SIGKILL: ${error.message}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      assert.ok(result.run_id > 0);
      assert.is(await backendState(db.storage, pid), undefined, 'the dead client’s backend has exited');
    } finally {
      child.kill('SIGKILL');
      await blocker.release();
    }
  });
} else {
  it('PostgreSQL-only checks skipped: on TEST_DB=pglite no second session can hold a lock or watch a running statement', () => {});
}

it.run();
