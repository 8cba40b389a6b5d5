/** One arm reduced to what a two-arm test needs: users, mean, per-user variance and the unadjusted mean. */
import type { FallbackReason } from './fallback-reason.js';
import { sampleVariance, type MeanSummary, type Moments, type ProportionSummary } from './summary-statistics.js';

/** An arm's estimate of its metric: the mean over `n` users and the per-user variance of that mean's terms. */
export interface ArmMoments {
  n: number;
  /** The arm's estimate: a rate, mean, ratio, or CUPED-adjusted mean. */
  mean: number;
  /** Per-user variance, so the mean's variance is variance / n. */
  variance: number;
  /** The mean before CUPED adjustment; the base of relative effects. Equals `mean` for other kinds. */
  unadjusted_mean: number;
}

/** True for a finite whole number of users. */
function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

/** Checks moments before any arithmetic: a reason when they cannot give a variance, else null. */
export function momentsProblem(moments: Moments, n: number): FallbackReason | null {
  if (!isCount(n) || !Number.isFinite(moments.sum) || !Number.isFinite(moments.sum_squares)) return 'invalid_input';
  return n < 2 ? 'too_few_units' : null;
}

/**
 * A conversion arm: rate p = sum / n with the Bernoulli variance p (1 − p).
 * @example proportionMoments({ n: 200, sum: 50 }) // { n: 200, mean: 0.25, variance: 0.1875, unadjusted_mean: 0.25 }
 */
export function proportionMoments(stats: ProportionSummary): ArmMoments | FallbackReason {
  const { n, sum } = stats;
  if (!isCount(n) || !Number.isFinite(sum) || sum < 0 || sum > n) return 'invalid_input';
  if (n < 2) return 'too_few_units';
  const mean = sum / n;
  return { n, mean, variance: mean * (1 - mean), unadjusted_mean: mean };
}

/**
 * A mean arm: sum / n with the unbiased sample variance.
 * @example meanMoments({ n: 5, sum: 15, sum_squares: 55 }) // { n: 5, mean: 3, variance: 2.5, unadjusted_mean: 3 }
 */
export function meanMoments(stats: MeanSummary): ArmMoments | FallbackReason {
  const problem = momentsProblem(stats, stats.n);
  if (problem !== null) return problem;
  const mean = stats.sum / stats.n;
  return { n: stats.n, mean, variance: sampleVariance(stats), unadjusted_mean: mean };
}
