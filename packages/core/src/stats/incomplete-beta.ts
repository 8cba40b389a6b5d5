/** The log beta function and the regularized incomplete beta function I_x(a, b). */
import { logGamma, stirlingSeries } from './log-gamma.js';

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 1_000_000;

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b) for a, b > 0.
 * @example logBeta(2, 3) // ln(1/12)
 */
export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (!(small > 0) || big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  // ln Γ(big) - ln Γ(big + small) from the Stirling form directly: subtracting two huge log-gammas would lose
  // ~log10(big) digits, which matters for t tails at large df.
  const ratio =
    -(big - 0.5) * Math.log1p(small / big) -
    small * Math.log(big + small) +
    small +
    stirlingSeries(big) -
    stirlingSeries(big + small);
  return logGamma(small) + ratio;
}

/** Continued fraction for I_x(a, b) (modified Lentz); converges fast for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step: d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    let coefficient = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step: d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    coefficient = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/**
 * I_x(a, b) given both x and y = 1 - x, so callers that know the complement exactly (the t distribution, points
 * next to 1) keep full precision. NaN outside a, b > 0; clamps to 0 / 1 at the ends.
 */
export function incompleteBetaFromPair(x: number, y: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  // The fraction converges quickly only on the near side of the mean; use I_x(a, b) = 1 - I_y(b, a) beyond it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), the CDF of Beta(a, b) at x; NaN outside a, b > 0.
 * @example regularizedIncompleteBeta(0.5, 3, 3) // 0.5
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return incompleteBetaFromPair(x, 1 - x, a, b);
}
