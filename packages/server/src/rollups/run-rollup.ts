/**
 * Runs one rollup job over one window: inside a single transaction it takes the job's advisory lock (so runs of the
 * same job never overlap), records the run, recomputes set-based what changed since the job's watermark (or the
 * whole window), moves the watermark and marks the run succeeded. A failure or a cancellation rolls the rows back (releasing the lock) and is recorded as a failed
 * run.
 */
import { hostname } from 'node:os';
import type { AbMetrics, RollupOutcome } from '../metrics/ab-metrics.js';
import type { SqlQuery, SqlValue } from '../storage/raw-query.js';
import { MAX_TIMEOUT_MS } from '../storage/storage.js';
import type { Storage } from '../storage/storage-types.js';
import { createBackendCanceller } from './backend-canceller.js';
import { describeLockHolder, findLockHolder, ROLLUP_LOCK_KEYS, type RollupLockHolder } from './rollup-lock.js';
import { runDailyJob } from './daily-job.js';
import { EXPERIMENTS_CONFIG, runExperimentsJob } from './experiments-job.js';
import { FUNNELS_CONFIG, runFunnelsJob } from './funnels-job.js';
import { runMetricsJob } from './metrics-job.js';
import type { JobRun, JobRunResult, PreviousRun } from './job-run.js';
import {
  DAILY_CONFIG,
  readWatermark,
  RUN_FAILED,
  RUN_SESSION,
  RUN_START,
  RUN_SUCCEEDED,
  TRY_LOCK,
  WAIT_LOCK,
  WRITE_WATERMARK,
} from './rollup-sql.js';
import { rollupWindow, type RollupJob, type RollupWindow } from './rollup-window.js';

export interface RollupOptions {
  windowDays: number;
  /** Reference time; the window ends at the end of its UTC day. Default: now. */
  now?: Date;
  /** When another run of the job holds the lock: wait for it (default) or fail at once with {@link RollupBusyError}. */
  wait?: boolean;
  /**
   * PostgreSQL: longest one statement of the run may take, ms, waiting for the job's lock included (default
   * {@link DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS}; 0: no limit). It replaces the pool's shorter statement and lock
   * timeouts inside the run's transaction only.
   */
  statementTimeoutMs?: number;
  /**
   * Aborting it cancels the run: on PostgreSQL the running statement is cancelled at once (on PGlite, whose one
   * in-process connection cannot be interrupted, the run stops before its next statement); the transaction rolls back,
   * releasing the lock; the run is recorded as failed (`cancelled: <reason>`) and runRollup rejects with
   * {@link RollupCancelledError}.
   * @example runRollup(storage, 'daily', { windowDays: 14, signal: AbortSignal.timeout(600_000) })
   */
  signal?: AbortSignal;
  /**
   * Count load-test users (user ids starting with core's `LOAD_TEST_USER_PREFIX`) too. Default false: load runs
   * would otherwise swamp the experiment results.
   */
  includeLoadTestUsers?: boolean;
  /** Records the run's duration and outcome in `ab_rollup_duration_seconds` (metrics from `createMetrics()`). */
  metrics?: AbMetrics;
  /**
   * Recompute the whole window even when an incremental run could build on the job's last one (default false). A
   * run is full anyway when the job never ran, its window length, its load-test choice or its definitions (funnels,
   * metrics) changed, or its window moved backwards; funnels also when the window moved.
   */
  full?: boolean;
}

/**
 * How long an event's insert may take to commit after its `received_at` (its transaction's start) on PostgreSQL: a
 * run's watermark is this much before its own start, so an insert still in flight is counted by the next run.
 * Ingestion statements time out after 30 s. On PGlite every statement runs alone on one connection: no settle time.
 */
const ROLLUP_SETTLE_MS = 60_000;

/** Default per-statement limit of a rollup run: 30 minutes. */
export const DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS = 30 * 60_000;

export interface RollupRunResult {
  run_id: number;
  job: RollupJob;
  window_start: string;
  window_end: string;
  rows_written: number;
  duration_ms: number;
  /** `incremental`: only what changed since the job's last run was recomputed. */
  mode: 'full' | 'incremental';
  /** Incremental runs: days (daily), users (experiments) or user × funnel pairs (funnels) recomputed. */
  recomputed?: number;
}

/**
 * Another run of the same job is in progress and `wait: false` was asked. On PostgreSQL `holder` (and the message)
 * says which session holds the lock, from where and since when.
 */
export class RollupBusyError extends Error {
  readonly code = 'rollup_busy';
  override name = 'RollupBusyError';
  constructor(
    readonly job: RollupJob,
    readonly holder?: RollupLockHolder,
  ) {
    super(
      holder
        ? `another '${job}' rollup is running: its lock is held by ${describeLockHolder(holder)}; try again when it has ` +
            `finished, or if that session is stuck end it with select pg_terminate_backend(${holder.pid})`
        : `another '${job}' rollup is running; try again when it has finished`,
    );
  }
}

/** The run was cancelled through its `signal`; `recorded` is the error stored with the failed run. */
export class RollupCancelledError extends Error {
  readonly code = 'rollup_cancelled';
  override name = 'RollupCancelledError';
  readonly recorded: string;
  constructor(
    readonly job: RollupJob,
    reason?: unknown,
    options?: ErrorOptions,
  ) {
    const text =
      typeof reason === 'string'
        ? reason
        : reason instanceof Error && reason.name !== 'AbortError'
          ? reason.message
          : '';
    const recorded = text ? `cancelled: ${text}` : 'cancelled';
    super(`'${job}' rollup ${recorded}`, options);
    this.recorded = recorded;
  }
}

type Query = SqlQuery;

const JOBS: Record<RollupJob, { config: string; run: (run: JobRun) => Promise<JobRunResult> }> = {
  daily: { config: DAILY_CONFIG, run: runDailyJob },
  experiments: { config: EXPERIMENTS_CONFIG, run: runExperimentsJob },
  funnels: { config: FUNNELS_CONFIG, run: runFunnelsJob },
  // Always a full recompute (see metrics-job.ts): the configuration only records the window and load-test choice.
  metrics: { config: DAILY_CONFIG, run: runMetricsJob },
};

async function countRows(query: Query, sql: string, params: SqlValue[]): Promise<number> {
  const rows = await query<{ n: number | string }>(
    `with written as (${sql} returning 1) select count(*) as n from written`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/**
 * The job's last successful run if this one can build on it: same configuration, and a window that did not move
 * backwards. Returns the configuration to store with this run too.
 */
async function previousRun(
  query: Query,
  job: RollupJob,
  window: RollupWindow,
  includeLoadTestUsers: boolean,
  full: boolean,
): Promise<{ config: string; previous?: PreviousRun }> {
  const [row] = await query<{
    config: string;
    received_before: unknown;
    window_start: unknown;
    window_end: unknown;
    same: boolean;
  }>(readWatermark(JOBS[job].config), [window.windowDays, includeLoadTestUsers, job]);
  const config = String(row?.config);
  if (full || !row?.same || !row.received_before) return { config };
  const windowStart = asDate(row.window_start);
  const windowEnd = asDate(row.window_end);
  if (windowEnd.getTime() > window.end.getTime()) return { config };
  return { config, previous: { mark: asDate(row.received_before), windowStart, windowEnd } };
}

function checkStatementTimeout(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    throw new Error(
      `statementTimeoutMs must be an integer number of milliseconds from 0 (no limit) to ${MAX_TIMEOUT_MS} (got ${value})`,
    );
  }
  return value;
}

/**
 * Runs `job` over the window of `options.windowDays` days ending with `now`'s UTC day.
 * @example const run = await runRollup(storage, 'daily', { windowDays: 14, wait: false, signal: controller.signal });
 */
export async function runRollup(storage: Storage, job: RollupJob, options: RollupOptions): Promise<RollupRunResult> {
  const statementTimeoutMs = checkStatementTimeout(options.statementTimeoutMs ?? DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS);
  const { signal } = options;
  if (signal?.aborted) throw new RollupCancelledError(job, signal.reason);
  const window = rollupWindow(options.windowDays, options.now ?? new Date());
  const started = Date.now();
  const postgres = storage.kind === 'postgresql';
  const canceller = postgres && signal ? createBackendCanceller(storage) : undefined;
  const onAbort = () => canceller?.start();
  signal?.addEventListener('abort', onAbort, { once: true });
  const lockKey = ROLLUP_LOCK_KEYS[job];
  let lockedAt: Date | undefined;
  const observe = (outcome: RollupOutcome) =>
    options.metrics?.observeRollup(job, outcome, (Date.now() - started) / 1000);
  try {
    const result = await storage.rollups.transaction(async (inTransaction) => {
      // Every statement starts here: after an abort none does (on PGlite that is the only way to stop a run).
      const query: Query = (sql, params = []) => {
        if (signal?.aborted) throw new RollupCancelledError(job, signal.reason);
        return inTransaction(sql, params);
      };
      if (postgres) {
        // The pool's timeouts fit requests; a run may legitimately take longer and wait for the job's lock. The
        // pid and transaction start let an abort cancel exactly this transaction's statement.
        const [session] = await query<{ pid: number; xact_start: string }>(RUN_SESSION, [
          String(statementTimeoutMs),
          `ab-calicritters rollup ${job} (${hostname()} pid ${process.pid})`,
        ]);
        if (session) canceller?.target(Number(session.pid), session.xact_start);
      }
      if (options.wait === false) {
        const [got] = await query<{ ok: boolean }>(TRY_LOCK, [lockKey]);
        if (!got?.ok)
          throw new RollupBusyError(job, postgres ? await findLockHolder(inTransaction, lockKey) : undefined);
      } else {
        await query(WAIT_LOCK, [lockKey]);
      }
      lockedAt = new Date();
      const [run] = await query<{ id: string | number }>(RUN_START, [job, window.start, window.end]);
      const runId = Number(run?.id);
      const includeLoadTestUsers = options.includeLoadTestUsers ?? false;
      const { config, previous } = await previousRun(query, job, window, includeLoadTestUsers, options.full ?? false);
      const [marked] = await query<{ mark: unknown }>(`select now() - make_interval(secs => ?::float8) as mark`, [
        postgres ? ROLLUP_SETTLE_MS / 1000 : 0,
      ]);
      const mark = asDate(marked?.mark);
      const done = await JOBS[job].run({
        query,
        mark,
        countRows: (sql, params) => countRows(query, sql, params),
        window,
        runId,
        includeLoadTestUsers,
        previous,
      });
      await query(WRITE_WATERMARK, [job, mark, window.start, window.end, config]);
      await query(RUN_SUCCEEDED, [done.rows, done.mode, runId]);
      return {
        run_id: runId,
        job,
        window_start: window.start.toISOString(),
        window_end: window.end.toISOString(),
        rows_written: done.rows,
        duration_ms: Date.now() - started,
        mode: done.mode,
        ...(done.recomputed === undefined ? {} : { recomputed: done.recomputed }),
      };
    });
    observe('succeeded');
    return result;
  } catch (error) {
    // No cancel may land once the transaction's connection is back in the pool.
    await canceller?.stop();
    if (error instanceof RollupBusyError) {
      observe('busy');
      throw error;
    }
    const failure =
      signal?.aborted && !(error instanceof RollupCancelledError)
        ? new RollupCancelledError(job, signal.reason, { cause: error })
        : error;
    const message =
      failure instanceof RollupCancelledError
        ? failure.recorded
        : error instanceof Error
          ? error.message
          : String(error);
    await recordFailure(storage, job, window, lockedAt ?? new Date(started), message);
    observe(failure instanceof RollupCancelledError ? 'cancelled' : 'failed');
    throw failure;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await canceller?.stop();
  }
}

async function recordFailure(storage: Storage, job: RollupJob, window: RollupWindow, startedAt: Date, message: string) {
  await storage.rollups
    .execute(RUN_FAILED, [job, window.start, window.end, startedAt, message.slice(0, 2000)])
    .catch(() => undefined); // the database may be the reason it failed; the original error is what matters
}
