/** Option defaults shared by the two-arm tests, and the check that rejects unusable values. */

/** Two-sided significance level of every test unless given: 0.05 (95 % intervals). */
export const DEFAULT_ALPHA = 0.05;

/** True for a significance level strictly between 0 and 1. */
export function isAlpha(alpha: number): boolean {
  return alpha > 0 && alpha < 1;
}

/** True for a finite number above 0 (tuning parameters, prior variances). */
export function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
