import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createTestStorage, testDatabaseKind, type TestDatabase, storageOrm } from '@ab-calicritters/server/testing';
import { cliNodeArgs } from './helpers/cli-bin.js';

const DAILY_LOCK_KEY = 720_001;

type Sql = (query: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;
const sqlOn =
  (em: unknown): Sql =>
  (query, params = []) =>
    (em as { execute(q: string, p: unknown[]): Promise<Array<Record<string, unknown>>> }).execute(query, params);

/** Holds a row lock on today's daily rollup row in an open transaction, so a daily rollup's DELETE waits on it. */
async function blockTodaysDailyRow(db: TestDatabase, day: string): Promise<() => Promise<void>> {
  const sql = sqlOn(storageOrm(db.storage).em.fork());
  await sql(
    `insert into daily_metric_rollups (day, event_name, events, unique_users) values (?::date, 'blocker', 1, 1) on conflict do nothing`,
    [day],
  );
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = storageOrm(db.storage)
    .em.fork()
    .transactional(async (trx) => {
      await sqlOn(trx)('select 1 from daily_metric_rollups where day = ?::date for update', [day]);
      locked();
      await released;
    });
  await isLocked;
  return async () => {
    release();
    await holding;
  };
}

async function waitForBlockedRollup(sql: Sql, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await sql(`select pid from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query ilike '%delete from daily_metric_rollups%'`);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the rollup never reached its DELETE within ${timeoutMs} ms`);
}

if (testDatabaseKind() === 'postgresql') {
  test('SIGINT to `calicritters rollup` mid-query: one line, exit 130, lock released, the run recorded as failed', async () => {
    const db = await createTestStorage();
    const sql = sqlOn(storageOrm(db.storage).em.fork());
    const release = await blockTodaysDailyRow(db, new Date().toISOString().slice(0, 10));
    const env = { ...process.env, DATABASE_URL: db.url, DATA_DIR: '' };
    const child = spawn(process.execPath, [...cliNodeArgs, 'rollup', '--job', 'daily', '--window-days', '1'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitForBlockedRollup(sql, 60_000);
      child.kill('SIGINT');
      const deadline = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const result = await exited.finally(() => clearTimeout(deadline));
      assert.equal(result, { code: 130, signal: null }, stderr);
      const lines = stderr.trim().split('\n');
      assert.is(lines.length, 1, stderr);
      assert.match(lines[0] as string, /^error: rollup 'daily' interrupted by SIGINT: cancelled and rolled back$/);
      assert.is(stdout, '');
      const locks = await sql(
        `select 1 from pg_locks where locktype = 'advisory' and granted and classid = 0 and objid = ? and objsubid = 1`,
        [DAILY_LOCK_KEY],
      );
      assert.is(locks.length, 0, 'the advisory lock is released');
      const [run] = await sql(`select status, error from rollup_runs order by id desc limit 1`);
      assert.equal(run, { status: 'failed', error: 'cancelled: interrupted by SIGINT' });
    } finally {
      child.kill('SIGKILL');
      await release();
      await db.close();
    }
  });
} else {
  test('SIGINT to `calicritters rollup` skipped: TEST_DB=pglite, and a second PostgreSQL session is needed to hold the row', () => {});
}

test.run();
