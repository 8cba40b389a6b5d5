/** Continuous (mean) metrics from sufficient statistics: mean with t interval, Welch's t-test, normal chance. */
import { CONFIDENCE_LEVEL } from './confidence-level.js';
import { normalCdf } from './normal.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

/** Per-variant input of a mean metric: users and the sum and sum of squares of their per-user values. */
export interface MeanStats {
  users: number;
  sum: number;
  sum_squares: number;
}

/** Mean with sample variance, standard error and 95% t interval. */
export interface MeanEstimate {
  users: number;
  /** sum / users; null when users is 0 or the input is invalid. */
  estimate: number | null;
  /** Sample variance (sum_squares - sum² / n) / (n - 1); null when n < 2. */
  variance: number | null;
  /** √(variance / n); null when n < 2. */
  std_error: number | null;
  /** mean ± t₀.₉₇₅,ₙ₋₁ · std_error; null when n < 2 or the variance is 0. */
  ci_lower: number | null;
  ci_upper: number | null;
}

/** Result of Welch's t-test; all null when the test is undefined. */
export interface WelchTestResult {
  t: number | null;
  degrees_of_freedom: number | null;
  p_value: number | null;
}

/** True for finite statistics with users > 0. */
function isUsableMean(stats: MeanStats): boolean {
  return (
    Number.isFinite(stats.users) && Number.isFinite(stats.sum) && Number.isFinite(stats.sum_squares) && stats.users > 0
  );
}

/** Sample variance; rounding can push a constant sample's variance slightly below 0, so it is clamped. */
function sampleVariance(stats: MeanStats): number {
  const n = stats.users;
  return Math.max(0, (stats.sum_squares - (stats.sum * stats.sum) / n) / (n - 1));
}

/**
 * Mean of the per-user values and its 95% interval from Student's t with n - 1 degrees of freedom:
 * mean ± t₀.₉₇₅,ₙ₋₁ √(s² / n), s² = (Σx² - (Σx)² / n) / (n - 1).
 * Nulls: everything but `users` for no users or non-finite input; variance, error and interval for n = 1; the
 * interval for zero variance.
 * @example meanEstimate({ users: 5, sum: 15, sum_squares: 55 }).variance // 2.5
 */
export function meanEstimate(stats: MeanStats): MeanEstimate {
  const users = stats.users;
  const none = { users, estimate: null, variance: null, std_error: null, ci_lower: null, ci_upper: null };
  if (!isUsableMean(stats)) return none;
  const mean = stats.sum / users;
  if (users < 2) return { ...none, estimate: mean };
  const variance = sampleVariance(stats);
  const stdError = Math.sqrt(variance / users);
  if (stdError === 0) return { users, estimate: mean, variance, std_error: 0, ci_lower: null, ci_upper: null };
  const margin = studentTQuantile(1 - (1 - CONFIDENCE_LEVEL) / 2, users - 1) * stdError;
  return { users, estimate: mean, variance, std_error: stdError, ci_lower: mean - margin, ci_upper: mean + margin };
}

/**
 * Welch's two-sided t-test for a difference in means (unequal variances):
 * t = (m_B - m_A) / √(s_A²/n_A + s_B²/n_B), df by Welch–Satterthwaite
 * (s_A²/n_A + s_B²/n_B)² / ((s_A²/n_A)²/(n_A - 1) + (s_B²/n_B)²/(n_B - 1)), p = 2 P(T_df > |t|).
 * Nulls when either arm has fewer than 2 users or both variances are 0.
 * @example welchTTest({ users: 5, sum: 15, sum_squares: 55 }, { users: 6, sum: 42, sum_squares: 364 }).t // ≈ 2.3764
 */
export function welchTTest(control: MeanStats, treatment: MeanStats): WelchTestResult {
  const none = { t: null, degrees_of_freedom: null, p_value: null };
  if (!isUsableMean(control) || !isUsableMean(treatment) || control.users < 2 || treatment.users < 2) return none;
  const shareA = sampleVariance(control) / control.users;
  const shareB = sampleVariance(treatment) / treatment.users;
  const variance = shareA + shareB;
  if (!(variance > 0)) return none;
  const t = (treatment.sum / treatment.users - control.sum / control.users) / Math.sqrt(variance);
  const df =
    (variance * variance) / ((shareA * shareA) / (control.users - 1) + (shareB * shareB) / (treatment.users - 1));
  return { t, degrees_of_freedom: df, p_value: Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) };
}

/**
 * Chance that the treatment's true mean beats control's, by the normal approximation to both posteriors
 * (flat prior): Φ((m_B - m_A) / √(se_A² + se_B²)). Null when either arm has fewer than 2 users or both
 * standard errors are 0.
 * @example meanChanceToBeat({ users: 5, sum: 15, sum_squares: 55 }, { users: 6, sum: 42, sum_squares: 364 }) // ≈ 0.9913
 */
export function meanChanceToBeat(control: MeanStats, treatment: MeanStats): number | null {
  const a = meanEstimate(control);
  const b = meanEstimate(treatment);
  if (a.estimate === null || b.estimate === null || a.std_error === null || b.std_error === null) return null;
  const spread = Math.sqrt(a.std_error * a.std_error + b.std_error * b.std_error);
  if (!(spread > 0)) return null;
  return normalCdf((b.estimate - a.estimate) / spread);
}
