/** What every rollup job gets from the runner, and what it reports back. */
import { LOAD_TEST_USER_PREFIX } from '@ab-calicritters/core';
import type { SqlQuery, SqlValue } from '../storage/raw-query.js';
import type { RollupWindow } from './rollup-window.js';

export const DAY_MS = 86_400_000;

/** The UTC day of a time, as 'YYYY-MM-DD'. */
export const isoDay = (at: Date | number) => new Date(at).toISOString().slice(0, 10);

/**
 * Keeps `column`'s rows unless they belong to a load-test user, or load-test users are included: one boolean
 * parameter (true: include). The prefix is a constant, so it is written into the SQL text.
 */
export const unlessLoadTestUser = (column: string) =>
  `(?::boolean or not starts_with(${column}, '${LOAD_TEST_USER_PREFIX}'))`;

/** The job's last successful run, when an incremental run can build on it. */
export interface PreviousRun {
  /** Its watermark: it counted every event received before this time; later ones may be new to the job. */
  mark: Date;
  windowStart: Date;
  windowEnd: Date;
}

export interface JobRun {
  /** Runs one statement inside the run's transaction. */
  query: SqlQuery;
  /** Runs an INSERT … SELECT and returns how many rows it wrote. */
  countRows(sql: string, params: SqlValue[]): Promise<number>;
  window: RollupWindow;
  runId: number;
  /**
   * This run's watermark: events received before it are settled (committed, as far as any insert can still be in
   * flight), and the run leaves everything received before it counted, so the next run starts from here.
   */
  mark: Date;
  includeLoadTestUsers: boolean;
  /** Absent: recompute the whole window. */
  previous?: PreviousRun;
}

export interface JobRunResult {
  mode: 'full' | 'incremental';
  /** Rollup rows written. */
  rows: number;
  /** Incremental runs: how many days (daily), users (experiments) or user × funnel pairs (funnels) were recomputed. */
  recomputed?: number;
}
