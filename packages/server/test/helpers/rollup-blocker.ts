/**
 * Makes a daily rollup slow on purpose and watches it from outside: another session holds a row lock on a
 * daily_metric_rollups row the rollup must delete, so the rollup's DELETE waits inside its transaction, holding
 * the job's advisory lock, for as long as the test wants.
 */
import pg from 'pg';
import { rawQuery } from '../../src/storage/raw-query.js';
import type { Storage } from '../../src/storage/storage.js';
import { storageOrm } from '../../src/testing.js';

export const DAILY_LOCK_KEY = 720_001;

export interface RowBlocker {
  /** Backend pid of the blocking session. */
  pid: number;
  release(): Promise<void>;
}

/** Locks the daily rollup row of `day` (YYYY-MM-DD), creating it first, from a session of its own. */
export async function blockDailyRow(url: string, day: string): Promise<RowBlocker> {
  const client = new pg.Client({ connectionString: url, application_name: 'test row blocker' });
  await client.connect();
  await client.query(
    `insert into daily_metric_rollups (day, event_name, events, unique_users) values ($1::date, 'blocker', 1, 1)
     on conflict do nothing`,
    [day],
  );
  await client.query('begin');
  await client.query('select 1 from daily_metric_rollups where day = $1::date for update', [day]);
  const pid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
  let released = false;
  return {
    pid,
    async release() {
      if (released) return;
      released = true;
      await client.query('rollback').catch(() => undefined);
      await client.end();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a session's DELETE of daily rollup rows waits for a lock; returns that backend's pid. */
export async function waitForBlockedRollup(storage: Storage, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await rawQuery<{ pid: number }>(
      storageOrm(storage).em.fork(),
      `select pid from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query ilike '%delete from daily_metric_rollups%'`,
    );
    if (row) return Number(row.pid);
    await sleep(50);
  }
  throw new Error(`no rollup waited on the blocked row within ${timeoutMs} ms`);
}

/** What one backend is doing now: its state, or undefined when it has gone. */
export async function backendState(
  storage: Storage,
  pid: number,
): Promise<{ state: string | null; query: string } | undefined> {
  const [row] = await rawQuery<{ state: string | null; query: string }>(
    storageOrm(storage).em.fork(),
    'select state, query from pg_stat_activity where pid = ?',
    [pid],
  );
  return row;
}

/** Whether any session holds the advisory lock `key` (single bigint key form) in this database. */
export async function advisoryLockHeld(storage: Storage, key = DAILY_LOCK_KEY): Promise<boolean> {
  const rows = await rawQuery(
    storageOrm(storage).em.fork(),
    `select 1 from pg_locks
      where locktype = 'advisory' and granted and classid = 0 and objid = ? and objsubid = 1
        and database = (select oid from pg_database where datname = current_database())`,
    [key],
  );
  return rows.length > 0;
}

/** Resolves with the promise's rejection (or its value), or rejects when it takes longer than `ms`. */
export function settleWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T | unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), resolve(error)),
    );
  });
}
