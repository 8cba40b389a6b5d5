/** Student's t distribution: CDF through the incomplete beta function, and its quantile by safeguarded Newton. */
import { incompleteBetaFromPair, logBeta } from './incomplete-beta.js';
import { normalCdf, normalQuantile } from './normal.js';

/** P(T > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2, with both the argument and its complement formed without cancellation. */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return 0.5 * incompleteBetaFromPair(x, y, 0.5 * df, 0.5);
}

/**
 * CDF of Student's t with `df` degrees of freedom (any real df > 0; Infinity gives the normal). NaN for df <= 0.
 * @example studentTCdf(2.228138851986, 10) // 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  if (t === 0) return 0.5;
  const tail = upperTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/** Density of Student's t, for the Newton steps. */
function studentTDensity(t: number, df: number): number {
  return Math.exp(-0.5 * (df + 1) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(0.5 * df, 0.5));
}

const MAX_ITERATIONS = 200;

/**
 * Quantile (inverse CDF) of Student's t: -Infinity at 0, Infinity at 1, NaN for p outside [0, 1] or df <= 0.
 * @example studentTQuantile(0.975, 10) // 2.228138851986…
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bracket [low, high] with cdf(low) < p <= cdf(high); Newton steps that leave it fall back to bisection,
  // because the heavy tails at small df make plain Newton overshoot.
  let low = 0;
  let high = Math.max(1, normalQuantile(p));
  while (studentTCdf(high, df) < p && high < 1e300) {
    low = high;
    high *= 2;
  }
  let t = 0.5 * (low + high);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const error = studentTCdf(t, df) - p;
    if (error === 0) return t;
    if (error < 0) low = t;
    else high = t;
    let next = t - error / studentTDensity(t, df);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
