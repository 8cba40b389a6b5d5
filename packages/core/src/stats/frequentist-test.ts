/** Frequentist two-sided tests of a two-arm comparison: fixed-horizon Welch t-test or always-valid sequential test. */
import { effectMoments, type EffectScale } from './effect-moments.js';
import type { FallbackReason } from './fallback-reason.js';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialHalfWidth, sequentialPValue } from './sequential-test.js';
import { studentTCdf, studentTQuantile } from './student-t.js';
import type { TwoArmSummaries } from './summary-statistics.js';
import { DEFAULT_ALPHA, isAlpha, isPositive } from './test-options.js';

/** `fixed`: one planned look. `sequential`: valid at every look, for results that are refreshed and watched. */
export type FrequentistMethod = 'fixed' | 'sequential';

/** Options of {@link frequentistTest}; every field has a default. */
export interface FrequentistOptions {
  /** Default `relative`. */
  scale?: EffectScale;
  /** Default `fixed`. */
  method?: FrequentistMethod;
  /** Two-sided significance level, default 0.05 (95 % interval). */
  alpha?: number;
  /** Sequential tuning parameter N* (total users where the interval is tightest), default 5000. */
  sequential_tuning?: number;
}

/** A frequentist comparison; the statistics are null exactly when `reason` says why. */
export interface FrequentistResult {
  method: FrequentistMethod;
  scale: EffectScale;
  effect: number | null;
  std_error: number | null;
  /** Two-sided interval at 1 − alpha, from the same test as `p_value`. */
  ci: [number, number] | null;
  p_value: number | null;
  /** Welch–Satterthwaite df of the fixed-horizon t-test; null for the sequential test (normal). */
  degrees_of_freedom: number | null;
  /** CUPED only: the share of the effect's variance the adjustment removed. */
  variance_reduction: number | null;
  reason: FallbackReason | null;
}

/**
 * Tests treatment against control from their summary statistics. Fixed: Welch's t-test, p = 2 P(T_df > |t|) and
 * CI effect ± t_df,1−α/2 · se. Sequential: the always-valid interval and p-value (see sequentialHalfWidth). Both
 * give a p-value below alpha exactly when the interval excludes 0. Never throws: unusable data or options give
 * null statistics and a `reason`.
 * @example
 * frequentistTest(
 *   { kind: 'proportion', control: { n: 1000, sum: 200 }, treatment: { n: 1000, sum: 250 } },
 *   { scale: 'absolute' },
 * ).p_value // ≈ 0.0074 (Welch: unpooled variances)
 */
export function frequentistTest(input: TwoArmSummaries, options: FrequentistOptions = {}): FrequentistResult {
  const { scale = 'relative', method = 'fixed', alpha = DEFAULT_ALPHA } = options;
  const tuning = options.sequential_tuning ?? DEFAULT_SEQUENTIAL_TUNING;
  const fallback = (reason: FallbackReason): FrequentistResult => ({
    method,
    scale,
    effect: null,
    std_error: null,
    ci: null,
    p_value: null,
    degrees_of_freedom: null,
    variance_reduction: null,
    reason,
  });
  if (!isAlpha(alpha) || !isPositive(tuning)) return fallback('invalid_options');
  const moments = effectMoments(input, scale);
  if (typeof moments === 'string') return fallback(moments);
  const { effect, variance, n, degrees_of_freedom: df } = moments;
  const stdError = Math.sqrt(variance);
  const sequential = method === 'sequential';
  const halfWidth = sequential
    ? sequentialHalfWidth(variance, n, alpha, tuning)
    : studentTQuantile(1 - alpha / 2, df) * stdError;
  const pValue = sequential
    ? sequentialPValue(effect, variance, n, alpha, tuning)
    : Math.min(1, 2 * studentTCdf(-Math.abs(effect / stdError), df));
  return {
    method,
    scale,
    effect,
    std_error: stdError,
    ci: [effect - halfWidth, effect + halfWidth],
    p_value: pValue,
    degrees_of_freedom: sequential ? null : df,
    variance_reduction: moments.variance_reduction,
    reason: null,
  };
}
