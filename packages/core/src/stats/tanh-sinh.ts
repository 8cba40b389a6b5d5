/** Tanh-sinh (double-exponential) quadrature on a sub-interval of [0, 1]; tolerates integrable end singularities. */

/** Integrand receiving x and 1 - x, the latter formed without cancellation next to 1. */
export type UnitIntegrand = (x: number, oneMinusX: number) => number;

/** Abscissae run over t in [-T, T]; at T = 6 the distance to an end is ~1e-275 of the width, still above underflow. */
const T_MAX = 6;
const MIN_LEVEL = 3;
const MAX_LEVEL = 10;
const HALF_PI = 0.5 * Math.PI;

/** Sum of weight × integrand over the abscissae t = k h for the k selected by `step` (1: all, 2: odd only). */
function levelSum(f: UnitIntegrand, low: number, high: number, h: number, step: number): number {
  const half = 0.5 * (high - low);
  let sum = 0;
  for (let k = step === 1 ? 0 : 1; k * h <= T_MAX; k += step) {
    const t = k * h;
    const u = HALF_PI * Math.sinh(t);
    const coshU = Math.cosh(u);
    const weight = (half * HALF_PI * Math.cosh(t)) / (coshU * coshU);
    if (weight === 0) break;
    // Distance from the nearer end, half (1 - tanh u), written so it stays exact as it heads towards 0.
    const distance = (2 * half) / (1 + Math.exp(2 * u));
    if (k === 0) {
      const mid = low + half;
      sum += weight * f(mid, 1 - mid);
      continue;
    }
    if (distance === 0) break;
    sum += weight * (f(low + distance, 1 - low - distance) + f(high - distance, 1 - high + distance));
  }
  return sum;
}

/**
 * ∫ f over [low, high] ⊆ [0, 1] by tanh-sinh quadrature, halving the step until two levels agree to `tolerance`
 * (absolute) or 10 halvings are reached.
 * @example integrateUnit((x) => x * x, 0, 1) // 1/3
 */
export function integrateUnit(f: UnitIntegrand, low: number, high: number, tolerance = 1e-12): number {
  if (!(high > low)) return 0;
  let h = 1;
  let sum = levelSum(f, low, high, h, 1);
  let estimate = h * sum;
  for (let level = 1; level <= MAX_LEVEL; level++) {
    h /= 2;
    sum += levelSum(f, low, high, h, 2);
    const next = h * sum;
    const converged = level >= MIN_LEVEL && Math.abs(next - estimate) <= tolerance;
    estimate = next;
    if (converged) break;
  }
  return estimate;
}
