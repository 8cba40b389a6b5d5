/**
 * Holdout results from rollup rows: a holdout is analysed as a two-arm experiment, `holdout` (the held-out users,
 * the control) against `exposed` (everyone else who met a covered experiment), with the statistics of experiments
 * and the sample-ratio check against the holdout's `share`.
 */
import type { FrequentistMethod, HoldoutRecord, HoldoutResults } from '@ab-calicritters/core';
import { holdoutRollupKey } from '../rollups/experiments-job.js';
import type { ExperimentRollupRow } from '../storage/rollup-store.js';
import type { Storage } from '../storage/storage.js';
import { armResults } from './experiment-results.js';

/** `windowComputedAt` and `method` as for experiments (see armResults). */
function holdoutResults(
  holdout: HoldoutRecord,
  windowDays: number,
  rows: ExperimentRollupRow[],
  windowComputedAt: string | null,
  method: FrequentistMethod,
): HoldoutResults {
  const arms = [
    { key: 'holdout', weight: holdout.share },
    { key: 'exposed', weight: 1 - holdout.share },
  ];
  const { key, name, status, share, experiment_keys, all_experiments } = holdout;
  return {
    holdout: { key, name, status, share, experiment_keys, all_experiments },
    ...armResults(arms, windowDays, rows, windowComputedAt, method),
  };
}

/**
 * A holdout's results for one window length from the experiments rollup; null when the holdout does not exist.
 * Archived holdouts too: their users stay analysed.
 * @example await readHoldoutResults(storage, 'h2', 28) // { holdout, assignments, sample_ratio, metrics, … }
 */
export async function readHoldoutResults(
  storage: Storage,
  key: string,
  windowDays: number,
  method: FrequentistMethod = 'sequential',
): Promise<HoldoutResults | null> {
  const holdout = await storage.holdouts.get(key);
  if (!holdout) return null;
  return holdoutResults(
    holdout,
    windowDays,
    await storage.rollups.experiment(holdoutRollupKey(key), windowDays),
    await storage.rollups.experimentWindowComputedAt(windowDays),
    method,
  );
}
