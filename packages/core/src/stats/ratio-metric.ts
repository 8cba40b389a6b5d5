/** Ratio metrics (Σ numerator / Σ denominator over users) as one arm estimate, by the delta method. */
import { momentsProblem, type ArmMoments } from './arm-moments.js';
import type { FallbackReason } from './fallback-reason.js';
import { sampleCovariance, sampleVariance, type RatioSummary } from './summary-statistics.js';

/**
 * Delta-method variance of a ratio of two means m / d with variances var_m, var_d and covariance cov:
 * var_m / d² + var_d m² / d⁴ − 2 cov m / d³.
 * @example ratioVariance(2, 1, 4, 1, 0) // 0.0625 + 0.015625
 */
export function ratioVariance(
  numeratorMean: number,
  numeratorVariance: number,
  denominatorMean: number,
  denominatorVariance: number,
  covariance: number,
): number {
  const d2 = denominatorMean * denominatorMean;
  return (
    numeratorVariance / d2 +
    (denominatorVariance * numeratorMean * numeratorMean) / (d2 * d2) -
    (2 * covariance * numeratorMean) / (d2 * denominatorMean)
  );
}

/**
 * A ratio arm: estimate Σnum / Σden and the per-user delta-method variance of that ratio, so its variance over
 * the arm is variance / n as for a mean. The variance is clamped at 0 against rounding.
 * @example
 * ratioMoments({
 *   n: 3,
 *   numerator: { n: 3, sum: 6, sum_squares: 14 },
 *   denominator: { n: 3, sum: 6, sum_squares: 14 },
 *   sum_of_products: 14,
 * }).mean // 1 (and variance 0: numerator = denominator)
 */
export function ratioMoments(stats: RatioSummary): ArmMoments | FallbackReason {
  const { n, numerator, denominator } = stats;
  const problem = momentsProblem(numerator, n) ?? momentsProblem(denominator, n);
  if (problem !== null) return problem;
  if (!Number.isFinite(stats.sum_of_products)) return 'invalid_input';
  if (denominator.sum === 0) return 'zero_denominator';
  const numeratorMean = numerator.sum / n;
  const denominatorMean = denominator.sum / n;
  const variance = ratioVariance(
    numeratorMean,
    sampleVariance({ ...numerator, n }),
    denominatorMean,
    sampleVariance({ ...denominator, n }),
    sampleCovariance(n, numerator.sum, denominator.sum, stats.sum_of_products),
  );
  const mean = numeratorMean / denominatorMean;
  return { n, mean, variance: Math.max(0, variance), unadjusted_mean: mean };
}
