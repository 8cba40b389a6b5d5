/** `calicritters loadtest compare`: per-endpoint and data-check deltas of a candidate run against a baseline. */
import type { LoadTestComparison } from '@ab-calicritters/core';
import { compareLoadTestRuns, type Storage } from '@ab-calicritters/server';
import { resolveRun } from './resolve-run.js';

export interface LoadtestCompareOptions {
  /** Run id, or run name (its newest run). */
  baseline: string;
  candidate: string;
}

/**
 * Deltas of `candidate` against `baseline`; unknown runs throw `CliError(…, 1)`.
 * @example formatComparison(await loadtestCompare(storage, { baseline: 'baseline-mixed', candidate: 'mixed-after' }));
 */
export async function loadtestCompare(storage: Storage, options: LoadtestCompareOptions): Promise<LoadTestComparison> {
  const baseline = await resolveRun(storage, options.baseline, '--baseline');
  const candidate = await resolveRun(storage, options.candidate, '--candidate');
  return compareLoadTestRuns(baseline, candidate);
}
