/**
 * Runs one rollup job over one window: inside a single transaction it takes the job's advisory lock (so runs of the
 * same job never overlap), records the run, deletes the window's rows and recomputes them set-based, then marks
 * the run succeeded. A failure rolls the rows back and is recorded as a failed run.
 */
import type { EntityManager } from '@mikro-orm/core';
import { rawQuery, type SqlValue } from '../storage/raw-query.js';
import type { Storage } from '../storage/storage.js';
import {
  DAILY_DELETE,
  DAILY_ROLLUP,
  EXPERIMENT_DELETE,
  EXPERIMENT_ROLLUP,
  FUNNEL_DELETE,
  FUNNEL_ROLLUP,
} from './rollup-sql.js';
import { rollupWindow, type RollupJob, type RollupWindow } from './rollup-window.js';

export interface RollupOptions {
  windowDays: number;
  /** Reference time; the window ends at the end of its UTC day. Default: now. */
  now?: Date;
  /** When another run of the job holds the lock: wait for it (default) or fail at once with {@link RollupBusyError}. */
  wait?: boolean;
}

export interface RollupRunResult {
  run_id: number;
  job: RollupJob;
  window_start: string;
  window_end: string;
  rows_written: number;
  duration_ms: number;
}

/** Another run of the same job is in progress and `wait: false` was asked. */
export class RollupBusyError extends Error {
  constructor(readonly job: RollupJob) {
    super(`another '${job}' rollup is running; try again when it has finished`);
    this.name = 'RollupBusyError';
  }
}

// Stable advisory-lock keys, one per job (arbitrary constants in our own namespace).
const LOCK_KEYS: Record<RollupJob, number> = { daily: 720_001, experiments: 720_002, funnels: 720_003 };

const day = (d: Date) => d.toISOString().slice(0, 10);

async function countRows(trx: EntityManager, sql: string, params: SqlValue[]): Promise<number> {
  const rows = await rawQuery<{ n: number | string }>(trx, `with written as (${sql} returning 1) select count(*) as n from written`, params);
  return Number(rows[0]?.n ?? 0);
}

/** Deletes the window's rows and writes them again; returns rows written. */
async function rewrite(trx: EntityManager, job: RollupJob, window: RollupWindow, runId: number): Promise<number> {
  const { start, end } = window;
  if (job === 'daily') {
    await rawQuery(trx, DAILY_DELETE, [day(start), day(end)]);
    return countRows(trx, DAILY_ROLLUP, [runId, start, end]);
  }
  if (job === 'funnels') {
    await rawQuery(trx, FUNNEL_DELETE, [day(start), day(end)]);
    return countRows(trx, FUNNEL_ROLLUP, [start, end, runId]);
  }
  const days = window.windowDays;
  await rawQuery(trx, EXPERIMENT_DELETE, [days, days]);
  return countRows(trx, EXPERIMENT_ROLLUP, [end, days, days, end, end, end, runId]);
}

export async function runRollup(storage: Storage, job: RollupJob, options: RollupOptions): Promise<RollupRunResult> {
  const window = rollupWindow(options.windowDays, options.now ?? new Date());
  const started = Date.now();
  const em = storage.orm.em.fork();
  let lockedAt: Date | undefined;
  try {
    return await em.transactional(async (trx) => {
      if (options.wait === false) {
        const [got] = await rawQuery<{ ok: boolean }>(trx, 'select pg_try_advisory_xact_lock(?) as ok', [LOCK_KEYS[job]]);
        if (!got?.ok) throw new RollupBusyError(job);
      } else {
        await rawQuery(trx, 'select pg_advisory_xact_lock(?)', [LOCK_KEYS[job]]);
      }
      lockedAt = new Date();
      // clock_timestamp(): the time after the lock was granted, so recorded runs of one job never overlap.
      const [run] = await rawQuery<{ id: string | number }>(
        trx,
        `insert into rollup_runs (job, window_start, window_end, started_at) values (?, ?, ?, clock_timestamp()) returning id`,
        [job, window.start, window.end],
      );
      const runId = Number(run?.id);
      const rowsWritten = await rewrite(trx, job, window, runId);
      await rawQuery(trx, `update rollup_runs set status = 'succeeded', ended_at = clock_timestamp(), rows_written = ? where id = ?`, [
        rowsWritten,
        runId,
      ]);
      return {
        run_id: runId,
        job,
        window_start: window.start.toISOString(),
        window_end: window.end.toISOString(),
        rows_written: rowsWritten,
        duration_ms: Date.now() - started,
      };
    });
  } catch (error) {
    if (!(error instanceof RollupBusyError)) await recordFailure(storage, job, window, lockedAt ?? new Date(started), error);
    throw error;
  }
}

async function recordFailure(storage: Storage, job: RollupJob, window: RollupWindow, startedAt: Date, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  await rawQuery(
    storage.orm.em.fork(),
    `insert into rollup_runs (job, window_start, window_end, started_at, ended_at, status, error)
     values (?, ?, ?, ?, clock_timestamp(), 'failed', ?)`,
    [job, window.start, window.end, startedAt, message.slice(0, 2000)],
  ).catch(() => undefined); // the database may be the reason it failed; the original error is what matters
}
