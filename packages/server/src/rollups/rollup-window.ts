/** Rollup windows: whole UTC days, the last `windowDays` of them including today, as [start, end). */
import { ROLLUP_JOB_NAMES } from '@ab-calicritters/core';

/** The rollup jobs, in the order `all` runs them (core owns the list: the request schema names them too). */
export const ROLLUP_JOBS = ROLLUP_JOB_NAMES;
export type RollupJob = (typeof ROLLUP_JOBS)[number];

export interface RollupWindow {
  windowDays: number;
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/** The window ending at the end of `now`'s UTC day. */
export function rollupWindow(windowDays: number, now: Date): RollupWindow {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  return { windowDays, start: new Date(end - windowDays * DAY_MS), end: new Date(end) };
}
