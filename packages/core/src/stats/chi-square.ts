/** Survival function of the chi-square distribution. */
import { regularizedGammaQ } from './incomplete-gamma.js';

/**
 * P(X > x) for X ~ χ²(df), computed as Q(df/2, x/2): 1 for x <= 0, NaN for df <= 0 or NaN.
 * @example chiSquareSurvival(3.841458820694124, 1) // 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(0.5 * df, 0.5 * x);
}
