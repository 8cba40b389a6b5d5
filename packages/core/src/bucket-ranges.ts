/** Bucket ranges: which slice of [0, 1) each variant owns, given weights and coverage. */
import { WEIGHT_SUM_EPSILON } from './experiment-rules.js';

/** A half-open interval [start, end) of the hash space. */
export type BucketRange = readonly [start: number, end: number];

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 1;
  return Math.min(1, Math.max(0, value));
}

/** Equal weights for n variants. */
function equalWeights(count: number): number[] {
  return count > 0 ? Array.from({ length: count }, () => 1 / count) : [];
}

/**
 * True when the weights can be used as given: right length, non-negative, summing to 1 within
 * `WEIGHT_SUM_EPSILON`, the tolerance the server validates definitions with, so every accepted definition
 * buckets by its own weights.
 */
export function hasUsableWeights(weights: readonly number[] | undefined, count: number): weights is readonly number[] {
  if (!weights || weights.length !== count) return false;
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) return false;
  const total = weights.reduce((sum, w) => sum + w, 0);
  return Math.abs(total - 1) <= WEIGHT_SUM_EPSILON;
}

/**
 * Ranges `[cum, cum + coverage * w]` for each weight; falls back to equal weights when the weights are missing
 * or unusable, so a malformed definition still buckets deterministically.
 * @example bucketRanges(2, 0.5) // [[0, 0.25], [0.5, 0.75]]
 */
export function bucketRanges(count: number, coverage = 1, weights?: readonly number[]): BucketRange[] {
  const cover = clamp01(coverage);
  const used = hasUsableWeights(weights, count) ? weights : equalWeights(count);
  let cumulative = 0;
  return used.map((weight) => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + cover * weight] as const;
  });
}

/** Index of the range holding n, or -1 when n falls outside every range (not in the experiment). */
export function chooseBucket(n: number, ranges: readonly BucketRange[]): number {
  return ranges.findIndex(([start, end]) => n >= start && n < end);
}
