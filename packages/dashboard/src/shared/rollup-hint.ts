/**
 * What to say about a window the rollups have never computed (the experiments API's `computed_at: null`, or a job
 * the rollup status says never succeeded): that it is not computed yet, which is not the same as nobody assigned or
 * no events, and the command that computes it.
 */
import type { RollupJobName, RollupStatus } from '../api/api-types.js';

/** The command that computes every rollup for a window of `days` days (and the standard windows below it). */
export function rollupCommand(days: number): string {
  return `calicritters rollup --window-days ${days}`;
}

/** True when an experiment's figures for the window were never computed (`computed_at: null`). */
export function isNotComputed(result: { computed_at: string | null } | undefined): boolean {
  return result !== undefined && result.computed_at === null;
}

/**
 * What the rollup status says about one job's figures for a window of `days` days: `not_computed` when the job never
 * succeeded (its rows are missing, not zero), `partial` when its newest run succeeded over fewer days than the window
 * (older days of the window may be missing), `computed` otherwise, and `unknown` without a status.
 */
export type RollupCoverage = 'unknown' | 'not_computed' | 'partial' | 'computed';

export function rollupCoverage(status: RollupStatus | undefined, job: RollupJobName, days: number): RollupCoverage {
  const entry = status?.jobs.find((j) => j.job === job);
  if (!entry) return 'unknown';
  if (entry.last_success_at === null) return 'not_computed';
  const window = entry.last_window_days;
  return entry.last_status === 'succeeded' && window !== null && window < days ? 'partial' : 'computed';
}
