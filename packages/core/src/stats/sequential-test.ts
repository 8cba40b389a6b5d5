/**
 * Always-valid (sequential) two-sided tests: the normal-mixture confidence sequence of Waudby-Smith et al.
 * (arXiv 2103.06476, eqs. 155 and 161), as in GrowthBook's stats engine.
 */

/** GrowthBook's default tuning parameter: the total sample size at which the interval is tightest. */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/**
 * Mixing parameter ρ of the confidence sequence for a tuning parameter N*:
 * ρ = √((−2 ln α + ln(1 − 2 ln α)) / N*).
 * @example sequentialRho(0.05, 5000) // ≈ 0.03984
 */
export function sequentialRho(alpha: number, tuning: number): number {
  const logAlpha = Math.log(alpha);
  return Math.sqrt((-2 * logAlpha + Math.log(1 - 2 * logAlpha)) / tuning);
}

/**
 * Half-width of the always-valid interval around an effect with variance `variance` after `n` users in all:
 * √(variance · n) · √(2 (nρ² + 1) ln(√(nρ² + 1) / α) / (nρ)²). It holds at every look, so peeking is free.
 * @example sequentialHalfWidth(1e-4, 10_000, 0.05, 5000) // ≈ 0.0306, vs 1.96 × 0.01 at a fixed horizon
 */
export function sequentialHalfWidth(variance: number, n: number, alpha: number, tuning: number): number {
  const rho = sequentialRho(alpha, tuning);
  const spread = n * rho * rho + 1;
  return Math.sqrt(variance * n) * Math.sqrt((2 * spread * Math.log(Math.sqrt(spread) / alpha)) / (n * rho * n * rho));
}

/**
 * Always-valid p-value min(1, 1 / e) with the mixture e-value e = exp(ρ² S / (2(nρ² + 1))) / √(nρ² + 1),
 * S = effect² n / variance. It is below α exactly when {@link sequentialHalfWidth}'s interval excludes 0, so the
 * p-value and the interval always agree. Computed in logs, so a huge e-value gives 0 rather than overflow.
 * @example sequentialPValue(0, 1e-4, 10_000, 0.05, 5000) // 1
 */
export function sequentialPValue(effect: number, variance: number, n: number, alpha: number, tuning: number): number {
  const rho = sequentialRho(alpha, tuning);
  const spread = n * rho * rho + 1;
  const standardized = (effect * effect * n) / variance;
  const logEValue = (rho * rho * standardized) / (2 * spread) - 0.5 * Math.log(spread);
  return Math.min(1, Math.exp(-logEValue));
}
