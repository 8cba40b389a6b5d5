/**
 * Keeps the rollups fresh inside a server: every `intervalMs` one round runs every job over the trailing window with
 * `wait: false`, so across N servers sharing a database one of them runs each job and the others skip it (the job's
 * advisory lock). A round never overlaps another in the same process; `trigger()` starts one on demand. Scheduled
 * rounds are incremental: each job recomputes only what changed since its last run (see runRollup's `full`).
 */
import { STANDARD_WINDOW_DAYS } from '@ab-calicritters/core';
import type { Logger } from '../http/error-middleware.js';
import type { AbMetrics } from '../metrics/ab-metrics.js';
import type { Storage } from '../storage/storage-types.js';
import { RollupBusyError, RollupCancelledError, runRollup } from './run-rollup.js';
import { ROLLUP_JOBS, type RollupJob } from './rollup-window.js';

/**
 * The window each scheduled round recomputes: the largest the dashboard offers. One experiments run over it also
 * computes every shorter standard window, and the daily and funnel rows of the shorter windows are among its days.
 */
export const DEFAULT_SCHEDULED_WINDOW_DAYS = Math.max(...STANDARD_WINDOW_DAYS);

/** Timers the scheduler uses; tests pass fake ones. */
export interface SchedulerTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RollupSchedulerOptions {
  /** Pause between the end of one scheduled round and the start of the next, ms; 0 (default): only on `trigger()`. */
  intervalMs?: number;
  /** Days each round recomputes (default {@link DEFAULT_SCHEDULED_WINDOW_DAYS}). */
  windowDays?: number;
  /** Where skipped and failed jobs are reported. Default: `console`. */
  logger?: Logger;
  /** Per-statement limit of each run (see runRollup's `statementTimeoutMs`). */
  statementTimeoutMs?: number;
  /** Count load-test users too (see runRollup's `includeLoadTestUsers`). */
  includeLoadTestUsers?: boolean;
  /** Default: the global setTimeout/clearTimeout, unref'd so a pending round never keeps the process alive. */
  timers?: SchedulerTimers;
  /** Reference time of each run. Default: now. */
  now?: () => Date;
  /** Records every run in `ab_rollup_duration_seconds` (metrics from `createMetrics()`). */
  metrics?: AbMetrics;
}

/** What one round runs. */
export interface RollupRound {
  jobs: RollupJob[];
  window_days: number;
  /** Whether the round recomputes the whole window rather than what changed. */
  full: boolean;
  started_at: string;
  /** `schedule` or `request` (POST /v1/admin/rollups). */
  reason: 'schedule' | 'request';
}

/** How a job ended in the last round that ran it in this process. */
export type RollupJobOutcome = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface RollupScheduler {
  /** Schedules the first round one interval from now (no-op without an interval or when started). */
  start(): void;
  /** Cancels the pending round, aborts a running one (rolled back, recorded as failed) and waits for it to end. */
  stop(): Promise<void>;
  /** Starts a round now; undefined when one is already running in this process, or after stop(). */
  trigger(request?: { job?: RollupJob; windowDays?: number; full?: boolean }): RollupRound | undefined;
  /** The round running now, if any. */
  readonly running: RollupRound | undefined;
  /** Settles when the running round (if any) has ended. */
  idle(): Promise<void>;
  /** Per job, how it ended the last time a round of this process ran it. */
  readonly outcomes: ReadonlyMap<RollupJob, RollupJobOutcome>;
  /** Pause between scheduled rounds, ms (0: only on demand). */
  readonly intervalMs?: number;
  /** When the next scheduled round starts, if one is scheduled. */
  readonly nextRunAt?: Date;
}

const realTimers: SchedulerTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function checkOptions(options: RollupSchedulerOptions): void {
  const { intervalMs = 0, windowDays = DEFAULT_SCHEDULED_WINDOW_DAYS } = options;
  if (!Number.isInteger(intervalMs) || intervalMs < 0 || intervalMs > 2_147_483_647)
    throw new Error(`rollups.intervalMs must be an integer number of milliseconds ≥ 0 (got ${intervalMs})`);
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 365)
    throw new Error(`rollups.windowDays must be an integer from 1 to 365 (got ${windowDays})`);
}

/**
 * A scheduler for `storage`'s rollups. Nothing runs until `start()` (or `trigger()`); `stop()` before closing storage.
 * @example const rollups = createRollupScheduler(storage, { intervalMs: 5 * 60_000 }); rollups.start();
 */
export function createRollupScheduler(storage: Storage, options: RollupSchedulerOptions = {}): RollupScheduler {
  checkOptions(options);
  const intervalMs = options.intervalMs ?? 0;
  const windowDays = options.windowDays ?? DEFAULT_SCHEDULED_WINDOW_DAYS;
  const logger = options.logger ?? console;
  const timers = options.timers ?? realTimers;
  const now = options.now ?? (() => new Date());
  const outcomes = new Map<RollupJob, RollupJobOutcome>();
  let timer: unknown;
  let nextRunAt: Date | undefined;
  let stopped = false;
  let running: { round: RollupRound; done: Promise<void>; controller: AbortController } | undefined;

  const schedule = () => {
    if (stopped || intervalMs === 0 || timer !== undefined) return;
    nextRunAt = new Date(now().getTime() + intervalMs);
    timer = timers.setTimeout(() => {
      timer = undefined;
      nextRunAt = undefined;
      // A requested round may still be running: this tick is skipped, the next one comes an interval later.
      if (!running) begin(ROLLUP_JOBS, windowDays, false, 'schedule');
      schedule();
    }, intervalMs);
  };

  async function runRound(round: RollupRound, signal: AbortSignal): Promise<void> {
    const rows: Partial<Record<RollupJob, number>> = {};
    const started = Date.now();
    for (const job of round.jobs) {
      try {
        const result = await runRollup(storage, job, {
          windowDays: round.window_days,
          now: now(),
          wait: false,
          signal,
          statementTimeoutMs: options.statementTimeoutMs,
          includeLoadTestUsers: options.includeLoadTestUsers,
          full: round.full,
          metrics: options.metrics,
        });
        outcomes.set(job, 'succeeded');
        rows[job] = result.rows_written;
      } catch (error) {
        if (error instanceof RollupBusyError) {
          // Another server (or a CLI run) has this job right now; its result serves everyone.
          outcomes.set(job, 'skipped');
        } else if (error instanceof RollupCancelledError) {
          outcomes.set(job, 'cancelled');
          return;
        } else {
          outcomes.set(job, 'failed');
          logger.error({ err: error, job }, `'${job}' rollup failed`);
        }
      }
    }
    const jobs = Object.fromEntries(round.jobs.map((job) => [job, outcomes.get(job)]));
    logger.info?.(
      { jobs, rows_written: rows, duration_ms: Date.now() - started, reason: round.reason },
      'rollup round',
    );
  }

  function begin(jobs: readonly RollupJob[], days: number, full: boolean, reason: RollupRound['reason']): RollupRound {
    const round: RollupRound = { jobs: [...jobs], window_days: days, full, started_at: now().toISOString(), reason };
    const controller = new AbortController();
    const done = runRound(round, controller.signal)
      .catch((error: unknown) => logger.error({ err: error }, 'rollup round failed'))
      .finally(() => {
        running = undefined;
      });
    running = { round, done, controller };
    return round;
  }

  return {
    start() {
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      nextRunAt = undefined;
      const current = running;
      if (current) {
        current.controller.abort('the server is shutting down');
        await current.done;
      }
    },
    trigger(request = {}) {
      if (stopped || running) return undefined;
      return begin(
        request.job ? [request.job] : ROLLUP_JOBS,
        request.windowDays ?? windowDays,
        request.full ?? false,
        'request',
      );
    },
    get running() {
      return running?.round;
    },
    async idle() {
      await running?.done;
    },
    outcomes,
    intervalMs,
    get nextRunAt() {
      return nextRunAt;
    },
  };
}
