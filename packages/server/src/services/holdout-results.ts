/**
 * Holdout results from rollup rows: a holdout is analysed as a two-arm experiment, `holdout` (the held-out users,
 * the control) against `exposed` (everyone else who met a covered experiment), with the statistics of experiments,
 * the power of every comparison, and the sample-ratio check against the holdout's `share`.
 */
import {
  DEFAULT_ALPHA,
  DEFAULT_SEQUENTIAL_TUNING,
  type FrequentistMethod,
  type HoldoutRecord,
  type HoldoutResults,
  type ResultsAnalysis,
} from '@ab-calicritters/core';
import { holdoutRollupKey } from '../rollups/experiments-job.js';
import type { ExperimentRollupRow } from '../storage/rollup-store.js';
import type { Storage } from '../storage/storage.js';
import { armResults } from './experiment-results.js';
import type { AnalysisSettings } from './power-results.js';

/** `windowComputedAt` as for experiments (see armResults); `settings` give the method, alpha and power plan. */
function holdoutResults(
  holdout: HoldoutRecord,
  windowDays: number,
  rows: ExperimentRollupRow[],
  windowComputedAt: string | null,
  settings: AnalysisSettings,
): HoldoutResults {
  const arms = [
    { key: 'holdout', weight: holdout.share },
    { key: 'exposed', weight: 1 - holdout.share },
  ];
  const { key, name, status, share, experiment_keys, all_experiments } = holdout;
  return {
    holdout: { key, name, status, share, experiment_keys, all_experiments },
    ...armResults(arms, windowDays, rows, windowComputedAt, settings.method, settings),
  };
}

/** How a holdout's results are planned: a relative effect to plan power for (default: each observed effect). */
export interface HoldoutPlan {
  target_effect?: number | null;
  /** The clock of the users-per-day estimate; default the current time. */
  now?: Date;
}

/**
 * A holdout's results for one window length from the experiments rollup; null when the holdout does not exist.
 * Archived holdouts too: their users stay analysed. A holdout stores no analysis: `method` is the caller's
 * (`analysis.source` `request`) or sequential at alpha 0.05 and tuning 5000 (`default`). Every comparison has its
 * `power`, with the users per day since the holdout was created.
 * @example await readHoldoutResults(storage, 'h2', 28) // { holdout, assignments, sample_ratio, metrics, … }
 */
export async function readHoldoutResults(
  storage: Storage,
  key: string,
  windowDays: number,
  method?: FrequentistMethod,
  plan: HoldoutPlan = {},
): Promise<HoldoutResults | null> {
  const holdout = await storage.holdouts.get(key);
  if (!holdout) return null;
  const analysis: ResultsAnalysis = {
    method: method ?? 'sequential',
    alpha: DEFAULT_ALPHA,
    sequential_tuning: DEFAULT_SEQUENTIAL_TUNING,
    source: method === undefined ? 'default' : 'request',
  };
  const settings: AnalysisSettings = {
    method: analysis.method,
    alpha: analysis.alpha,
    sequential_tuning: analysis.sequential_tuning,
    started_at: holdout.created_at,
    now: plan.now ?? new Date(),
    target_effect: plan.target_effect ?? null,
  };
  const results = holdoutResults(
    holdout,
    windowDays,
    await storage.rollups.experiment(holdoutRollupKey(key), windowDays),
    await storage.rollups.experimentWindowComputedAt(windowDays),
    settings,
  );
  return { ...results, method: analysis.method, analysis };
}
