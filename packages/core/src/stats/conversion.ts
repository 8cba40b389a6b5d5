/** Conversion metrics: rate with Wald interval, pooled two-proportion z-test, Beta-Binomial chance to beat. */
import { betaChanceToBeat } from './beta-chance-to-beat.js';
import { Z_CRITICAL } from './confidence-level.js';
import { normalCdf } from './normal.js';

/** Per-variant input of a conversion metric: users counted (assigned) and how many of them converted. */
export interface ConversionStats {
  users: number;
  conversions: number;
}

/** Conversion rate with its standard error and 95% Wald interval. */
export interface RateEstimate {
  users: number;
  /** conversions / users; null when users is 0 or the input is invalid. */
  estimate: number | null;
  /** √(p (1 - p) / n); null with the estimate. */
  std_error: number | null;
  /** p ± z₀.₉₇₅ · std_error, clipped to [0, 1]; null when the standard error is 0 (rate 0 or 1). */
  ci_lower: number | null;
  ci_upper: number | null;
}

/** Result of a two-sided test: the statistic and its p-value, null when the test is undefined. */
export interface ZTestResult {
  z: number | null;
  p_value: number | null;
}

/** True for finite counts with 0 <= conversions <= users and users > 0. */
export function isUsableConversion(stats: ConversionStats): boolean {
  const { users, conversions } = stats;
  return (
    Number.isFinite(users) && Number.isFinite(conversions) && users > 0 && conversions >= 0 && conversions <= users
  );
}

/**
 * Conversion rate p = conversions / users with the Wald (normal) 95% interval p ± 1.96 √(p (1 - p) / n).
 * Degenerate inputs (no users, conversions outside [0, users]) give nulls; rates of exactly 0 or 1 give a
 * standard error of 0 and a null interval, since the Wald interval collapses there.
 * @example conversionEstimate({ users: 1000, conversions: 100 }).estimate // 0.1
 */
export function conversionEstimate(stats: ConversionStats): RateEstimate {
  const users = stats.users;
  if (!isUsableConversion(stats)) return { users, estimate: null, std_error: null, ci_lower: null, ci_upper: null };
  const rate = stats.conversions / users;
  const stdError = Math.sqrt((rate * (1 - rate)) / users);
  if (stdError === 0) return { users, estimate: rate, std_error: 0, ci_lower: null, ci_upper: null };
  const margin = Z_CRITICAL * stdError;
  return {
    users,
    estimate: rate,
    std_error: stdError,
    ci_lower: Math.max(0, rate - margin),
    ci_upper: Math.min(1, rate + margin),
  };
}

/**
 * Two-sided pooled two-proportion z-test: p̂ = (x_A + x_B) / (n_A + n_B),
 * z = (p_B - p_A) / √(p̂ (1 - p̂) (1/n_A + 1/n_B)), p = 2 Φ(-|z|).
 * Nulls when either arm is unusable or the pooled rate is 0 or 1 (no variance).
 * @example twoProportionZTest({ users: 1000, conversions: 200 }, { users: 1000, conversions: 250 }).z // ≈ 2.677
 */
export function twoProportionZTest(control: ConversionStats, treatment: ConversionStats): ZTestResult {
  if (!isUsableConversion(control) || !isUsableConversion(treatment)) return { z: null, p_value: null };
  const pooled = (control.conversions + treatment.conversions) / (control.users + treatment.users);
  const variance = pooled * (1 - pooled) * (1 / control.users + 1 / treatment.users);
  if (!(variance > 0)) return { z: null, p_value: null };
  const z = (treatment.conversions / treatment.users - control.conversions / control.users) / Math.sqrt(variance);
  return { z, p_value: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

/**
 * Bayesian chance that the treatment's true rate beats control's: P(p_B > p_A) with independent
 * Beta(1 + conversions, 1 + users - conversions) posteriors (uniform Beta(1, 1) prior). Null when either arm is
 * unusable (including 0 users).
 * @example conversionChanceToBeat({ users: 1, conversions: 0 }, { users: 1, conversions: 1 }) // 5/6
 */
export function conversionChanceToBeat(control: ConversionStats, treatment: ConversionStats): number | null {
  if (!isUsableConversion(control) || !isUsableConversion(treatment)) return null;
  const posterior = (s: ConversionStats) => ({ alpha: 1 + s.conversions, beta: 1 + s.users - s.conversions });
  return betaChanceToBeat(posterior(control), posterior(treatment));
}

/** @deprecated Use {@link ConversionStats}; `binomial` is the old name of the `conversion` metric kind. */
export type BinomialStats = ConversionStats;
/** @deprecated Use {@link conversionEstimate}. */
export const binomialEstimate = conversionEstimate;
/** @deprecated Use {@link conversionChanceToBeat}. */
export const binomialChanceToBeat = conversionChanceToBeat;
/** @deprecated Use {@link isUsableConversion}. */
export const isUsableBinomial = isUsableConversion;
