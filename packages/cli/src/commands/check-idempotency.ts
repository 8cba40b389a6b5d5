/**
 * `calicritters check idempotency`: run each job twice over one window and diff the rows. The first run builds on the
 * job's last one where it can (incremental), the second recomputes the whole window, so the check also shows that an
 * incremental run leaves exactly the rows a full one writes.
 */
import {
  RollupCancelledError,
  rollupSnapshot,
  runRollup,
  type RollupJob,
  type RollupOptions,
  type Storage,
} from '@ab-calicritters/server';
import { cancelledRollup, checkStatementTimeout, checkWindowDays, jobsFor, type RollupJobChoice } from './rollup.js';

export interface IdempotencyReport {
  ok: boolean;
  window_days: number;
  jobs: Array<{ job: RollupJob; rows: number; missing: string[]; extra: string[] }>;
}

export function rowDifference(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const n = counts.get(line) ?? 0;
    if (n > 0) counts.set(line, n - 1);
    return n === 0;
  });
}

export interface IdempotencyOptions {
  windowDays: number;
  job?: RollupJobChoice;
  now?: Date;
  /** Per-statement limit of each run, ms (ROLLUP_STATEMENT_TIMEOUT_MS; default 30 minutes). */
  statementTimeoutMs?: number;
  /** Aborting it cancels the running job (rolled back, recorded as failed) and ends the check. */
  signal?: AbortSignal;
}

export async function checkIdempotency(storage: Storage, options: IdempotencyOptions): Promise<IdempotencyReport> {
  checkWindowDays(options.windowDays);
  checkStatementTimeout(options.statementTimeoutMs);
  const jobs: IdempotencyReport['jobs'] = [];
  const { windowDays, now, statementTimeoutMs, signal } = options;
  const run: RollupOptions = { windowDays, now, statementTimeoutMs, signal };
  for (const job of jobsFor(options.job ?? 'all')) {
    try {
      await runRollup(storage, job, run);
      const first = await rollupSnapshot(storage, job);
      await runRollup(storage, job, { ...run, full: true });
      const second = await rollupSnapshot(storage, job);
      jobs.push({
        job,
        rows: first.length,
        missing: rowDifference(first, second),
        extra: rowDifference(second, first),
      });
    } catch (error) {
      if (error instanceof RollupCancelledError)
        throw cancelledRollup(
          error,
          signal,
          jobs.map((j) => j.job),
        );
      throw error;
    }
  }
  return { ok: jobs.every((j) => j.missing.length === 0 && j.extra.length === 0), window_days: windowDays, jobs };
}

export function formatIdempotencyReport(report: IdempotencyReport): string {
  const lines = report.jobs.map((j) =>
    j.missing.length + j.extra.length === 0
      ? `  ${j.job}: identical (${j.rows} rows)`
      : `  ${j.job}: DIFFERENT: ${j.missing.length} rows gone, ${j.extra.length} rows new\n${[...j.missing.map((l) => `    - ${l}`), ...j.extra.map((l) => `    + ${l}`)].slice(0, 20).join('\n')}`,
  );
  return `${report.ok ? 'Idempotent' : 'NOT idempotent'} over ${report.window_days} days:\n${lines.join('\n')}`;
}
