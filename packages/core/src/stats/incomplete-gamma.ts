/** Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x). */
import { logGamma } from './log-gamma.js';

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** e^-x x^a / Γ(a): the factor shared by the series and the continued fraction. */
function prefactor(a: number, x: number): number {
  return Math.exp(a * Math.log(x) - x - logGamma(a));
}

/** Power series γ(a, x) / Γ(a); converges fast for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * prefactor(a, x);
}

/** Continued fraction Γ(a, x) / Γ(a) by the modified Lentz method; converges fast for x >= a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h * prefactor(a, x);
}

/** True when the arguments are outside the domain (a > 0, x >= 0). */
function isOutsideDomain(a: number, x: number): boolean {
  return !(a > 0) || !(x >= 0) || a === Number.POSITIVE_INFINITY;
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a); NaN outside a > 0, x >= 0.
 * @example regularizedGammaP(1, 2) // 1 - e^-2
 */
export function regularizedGammaP(a: number, x: number): number {
  if (isOutsideDomain(a, x)) return Number.NaN;
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the far tail; NaN outside a > 0, x >= 0.
 * @example regularizedGammaQ(1, 2) // e^-2
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (isOutsideDomain(a, x)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}
