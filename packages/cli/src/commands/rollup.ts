/** `calicritters rollup`: run one or all rollup jobs over the last N days. */
import { isWindowDays, MAX_WINDOW_DAYS, ROLLUP_JOBS, RollupBusyError, runRollup, type RollupJob, type RollupRunResult, type Storage } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';

export type RollupJobChoice = RollupJob | 'all';

export interface RollupCommandOptions {
  job: RollupJobChoice;
  windowDays: number;
  /** Wait for a running job of the same kind (default) or fail at once. */
  wait?: boolean;
  now?: Date;
  /** Called before each job starts (progress display). */
  onJobStart?: (job: RollupJob, index: number, total: number) => void;
}

export function jobsFor(choice: RollupJobChoice): RollupJob[] {
  return choice === 'all' ? [...ROLLUP_JOBS] : [choice];
}

export function checkWindowDays(windowDays: number): void {
  if (!isWindowDays(windowDays)) throw new CliError(`--window-days must be an integer from 1 to ${MAX_WINDOW_DAYS} (got ${windowDays})`, 2);
}

export async function rollup(storage: Storage, options: RollupCommandOptions): Promise<RollupRunResult[]> {
  checkWindowDays(options.windowDays);
  const jobs = jobsFor(options.job);
  const results: RollupRunResult[] = [];
  for (const [index, job] of jobs.entries()) {
    options.onJobStart?.(job, index, jobs.length);
    try {
      results.push(await runRollup(storage, job, { windowDays: options.windowDays, wait: options.wait, now: options.now }));
    } catch (error) {
      if (error instanceof RollupBusyError) throw new CliError(error.message, 1, { cause: error });
      throw new CliError(`rollup '${job}' failed: ${(error as Error).message}`, 1, { cause: error });
    }
  }
  return results;
}

export function formatRollupSummary(results: readonly RollupRunResult[]): string {
  const rows = results.reduce((sum, r) => sum + r.rows_written, 0);
  const ms = results.reduce((sum, r) => sum + r.duration_ms, 0);
  const each = results.map((r) => `${r.job} ${r.rows_written} rows in ${r.duration_ms} ms (run ${r.run_id})`).join('; ');
  return `Rolled up ${results.length} job(s), ${rows} rows in ${ms} ms: ${each}`;
}
