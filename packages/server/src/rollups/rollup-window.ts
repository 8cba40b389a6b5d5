/** Rollup windows: whole UTC days, the last `windowDays` of them including today, as [start, end). */

export const ROLLUP_JOBS = ['daily', 'experiments', 'funnels'] as const;
export type RollupJob = (typeof ROLLUP_JOBS)[number];

export interface RollupWindow {
  windowDays: number;
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/** Bounds for `window_days` everywhere (CLI, endpoints). */
export const MIN_WINDOW_DAYS = 1;
export const MAX_WINDOW_DAYS = 365;

export function isWindowDays(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_WINDOW_DAYS && value <= MAX_WINDOW_DAYS;
}

/** The window ending at the end of `now`'s UTC day. */
export function rollupWindow(windowDays: number, now: Date): RollupWindow {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  return { windowDays, start: new Date(end - windowDays * DAY_MS), end: new Date(end) };
}

/**
 * Experiment results are per window length (per-user values are not additive across days), so the experiments job
 * computes these standard lengths up to the requested one, plus the requested one itself.
 */
export const STANDARD_EXPERIMENT_WINDOWS = [1, 7, 14, 30, 90] as const;
