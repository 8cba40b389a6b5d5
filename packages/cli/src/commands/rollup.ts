/** `calicritters rollup`: run one or all rollup jobs over the last N days. */
import { isWindowDays, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from '@ab-calicritters/core';
import {
  ROLLUP_JOBS,
  RollupBusyError,
  RollupCancelledError,
  runRollup,
  type RollupJob,
  type RollupRunResult,
  type Storage,
} from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { interruptExitCode } from '../interrupt.js';

export type RollupJobChoice = RollupJob | 'all';

export interface RollupCommandOptions {
  job: RollupJobChoice;
  windowDays: number;
  /** Wait for a running job of the same kind (default) or fail at once. */
  wait?: boolean;
  now?: Date;
  /** Per-statement limit of each run, ms (`--statement-timeout`, ROLLUP_STATEMENT_TIMEOUT_MS; default 30 minutes). */
  statementTimeoutMs?: number;
  /** Aborting it cancels the running job (rolled back, recorded as failed) and skips the rest. */
  signal?: AbortSignal;
  /** Called before each job starts (progress display). */
  onJobStart?: (job: RollupJob, index: number, total: number) => void;
  /** Count load-test users (`lt-…`) too (`--include-load-test-users`); by default they are left out. */
  includeLoadTestUsers?: boolean;
  /** Recompute the whole window (`--full`); by default each job only recomputes what changed since its last run. */
  full?: boolean;
}

export function jobsFor(choice: RollupJobChoice): RollupJob[] {
  return choice === 'all' ? [...ROLLUP_JOBS] : [choice];
}

export function checkWindowDays(windowDays: number): void {
  if (!isWindowDays(windowDays))
    throw new CliError(
      `--window-days must be an integer from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS} (got ${windowDays})`,
      2,
    );
}

export function checkStatementTimeout(ms: number | undefined): void {
  if (ms !== undefined && !(Number.isInteger(ms) && ms >= 0 && ms <= 2_147_483_647)) {
    throw new CliError(
      `--statement-timeout must be an integer number of milliseconds from 0 (no limit) to 2147483647 (got ${ms})`,
      2,
    );
  }
}

/** One line for a job cancelled by a signal, with the exit code that signal calls for. */
export function cancelledRollup(
  error: RollupCancelledError,
  signal: AbortSignal | undefined,
  finished: readonly RollupJob[],
): CliError {
  const reason = error.recorded.replace(/^cancelled: ?/, '') || 'cancelled';
  const before = finished.length > 0 ? `; finished before: ${finished.join(', ')}` : '';
  return new CliError(
    `rollup '${error.job}' ${reason}: cancelled and rolled back${before}`,
    interruptExitCode(signal),
    { cause: error },
  );
}

export async function rollup(storage: Storage, options: RollupCommandOptions): Promise<RollupRunResult[]> {
  checkWindowDays(options.windowDays);
  checkStatementTimeout(options.statementTimeoutMs);
  const jobs = jobsFor(options.job);
  const results: RollupRunResult[] = [];
  const { windowDays, wait, now, statementTimeoutMs, signal, includeLoadTestUsers, full } = options;
  for (const [index, job] of jobs.entries()) {
    options.onJobStart?.(job, index, jobs.length);
    try {
      results.push(
        await runRollup(storage, job, {
          windowDays,
          wait,
          now,
          statementTimeoutMs,
          signal,
          includeLoadTestUsers,
          full,
        }),
      );
    } catch (error) {
      if (error instanceof RollupCancelledError)
        throw cancelledRollup(
          error,
          signal,
          results.map((r) => r.job),
        );
      if (error instanceof RollupBusyError) throw new CliError(error.message, 1, { cause: error });
      throw new CliError(`rollup '${job}' failed: ${(error as Error).message}`, 1, { cause: error });
    }
  }
  return results;
}

export function formatRollupSummary(results: readonly RollupRunResult[]): string {
  const rows = results.reduce((sum, r) => sum + r.rows_written, 0);
  const ms = results.reduce((sum, r) => sum + r.duration_ms, 0);
  const each = results
    .map((r) => `${r.job} ${r.rows_written} rows in ${r.duration_ms} ms (${r.mode}, run ${r.run_id})`)
    .join('; ');
  return `Rolled up ${results.length} job(s), ${rows} rows in ${ms} ms: ${each}`;
}
