/** `calicritters check idempotency`: run each job twice over one window and diff the rows. */
import { rollupSnapshot, runRollup, type RollupJob, type Storage } from '@ab-calicritters/server';
import { checkWindowDays, jobsFor, type RollupJobChoice } from './rollup.js';

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

export async function checkIdempotency(
  storage: Storage,
  options: { windowDays: number; job?: RollupJobChoice; now?: Date },
): Promise<IdempotencyReport> {
  checkWindowDays(options.windowDays);
  const jobs: IdempotencyReport['jobs'] = [];
  for (const job of jobsFor(options.job ?? 'all')) {
    await runRollup(storage, job, { windowDays: options.windowDays, now: options.now });
    const first = await rollupSnapshot(storage, job);
    await runRollup(storage, job, { windowDays: options.windowDays, now: options.now });
    const second = await rollupSnapshot(storage, job);
    jobs.push({ job, rows: first.length, missing: rowDifference(first, second), extra: rowDifference(second, first) });
  }
  return { ok: jobs.every((j) => j.missing.length === 0 && j.extra.length === 0), window_days: options.windowDays, jobs };
}

export function formatIdempotencyReport(report: IdempotencyReport): string {
  const lines = report.jobs.map((j) =>
    j.missing.length + j.extra.length === 0
      ? `  ${j.job}: identical (${j.rows} rows)`
      : `  ${j.job}: DIFFERENT: ${j.missing.length} rows gone, ${j.extra.length} rows new\n${[...j.missing.map((l) => `    - ${l}`), ...j.extra.map((l) => `    + ${l}`)].slice(0, 20).join('\n')}`,
  );
  return `${report.ok ? 'Idempotent' : 'NOT idempotent'} over ${report.window_days} days:\n${lines.join('\n')}`;
}
