/** Summary statistics of one variant, as a rollup produces them, and the sample moments computed from them. */

/** Moments of one per-user value over `n` users: Σx and Σx². */
export interface Moments {
  n: number;
  sum: number;
  sum_squares: number;
}

/** A conversion (0/1 per user) metric: `sum` users converted out of `n`; Σx² = Σx, so it is not stored. */
export interface ProportionSummary {
  n: number;
  sum: number;
}

/** A mean metric: n users and the Σ and Σ² of their per-user values. */
export type MeanSummary = Moments;

/**
 * A ratio metric Σnumerator / Σdenominator over users (revenue per session): both per-user values' moments and
 * Σ numerator·denominator. `n` counts the users; the nested `n`s repeat it.
 */
export interface RatioSummary {
  n: number;
  numerator: Moments;
  denominator: Moments;
  sum_of_products: number;
}

/** A mean metric with the same metric's pre-exposure value per user for CUPED: Σ post·pre joins the two. */
export interface CupedSummary {
  n: number;
  post: Moments;
  pre: Moments;
  post_pre_sum_of_products: number;
}

/** Control and treatment of one comparison; both arms have the same metric kind. */
export type TwoArmSummaries =
  | { kind: 'proportion'; control: ProportionSummary; treatment: ProportionSummary }
  | { kind: 'mean'; control: MeanSummary; treatment: MeanSummary }
  | { kind: 'ratio'; control: RatioSummary; treatment: RatioSummary }
  | { kind: 'cuped'; control: CupedSummary; treatment: CupedSummary };

/** The metric kinds a {@link TwoArmSummaries} can carry. */
export type SummaryKind = TwoArmSummaries['kind'];

/**
 * Unbiased sample variance (Σx² − (Σx)²/n) / (n − 1), clamped at 0 because rounding can push a constant
 * sample's variance slightly below it. NaN for n < 2.
 * @example sampleVariance({ n: 5, sum: 15, sum_squares: 55 }) // 2.5
 */
export function sampleVariance(moments: Moments): number {
  const { n, sum, sum_squares } = moments;
  if (!(n >= 2)) return Number.NaN;
  return Math.max(0, (sum_squares - (sum * sum) / n) / (n - 1));
}

/**
 * Unbiased sample covariance (Σxy − Σx Σy / n) / (n − 1) of two per-user values. NaN for n < 2.
 * @example sampleCovariance(3, 6, 12, 28) // 2 (x = 1, 2, 3 and y = 2x)
 */
export function sampleCovariance(n: number, sumX: number, sumY: number, sumOfProducts: number): number {
  if (!(n >= 2)) return Number.NaN;
  return (sumOfProducts - (sumX * sumY) / n) / (n - 1);
}
