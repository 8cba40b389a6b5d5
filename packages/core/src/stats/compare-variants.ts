/**
 * compareVariants(): every statistic for each variant against control, as snake_case wire objects. The relative
 * lift, its interval and the p-value come from one test (frequentistTest: Welch, or sequential for results that are
 * refreshed and watched), so "significant" and "the interval excludes 0" always agree; p-values are also given
 * Holm-adjusted over the variants, so more arms do not mean more false verdicts.
 */
import { bayesianTest } from './bayesian-effect.js';
import { conversionEstimate, type ConversionStats } from './conversion.js';
import { frequentistTest, type FrequentistMethod, type FrequentistOptions } from './frequentist-test.js';
import { meanEstimate, type MeanStats } from './mean.js';
import { holmBonferroni } from './multiple-testing.js';
import { sampleRatioMismatch, type SampleRatioResult } from './sample-ratio.js';
import type { TwoArmSummaries } from './summary-statistics.js';

/** The metric kind: `conversion` (share of users with the event) or `mean` (value per user). */
export type MetricType = 'conversion' | 'mean';

/** Input of {@link compareVariants}: control, the other variants, and optionally the configured weights. */
export type ComparisonInput =
  | {
      /** `'binomial'` is the deprecated old name of `'conversion'`, accepted for one release; results say `'conversion'`. */
      metric_type: 'conversion' | 'binomial';
      control: ConversionStats;
      variants: readonly ConversionStats[];
      /** Traffic weights, control first then `variants` in order; equal when omitted. */
      weights?: readonly number[];
      /** `fixed` (default): one planned look. `sequential`: valid however often the results are looked at. */
      method?: FrequentistMethod;
      /** Two-sided significance level of the lift's interval (default 0.05); the arms' intervals stay 95 %. */
      alpha?: number;
      /** Sequential tuning parameter N* (default 5000). */
      sequential_tuning?: number;
    }
  | {
      metric_type: 'mean';
      control: MeanStats;
      variants: readonly MeanStats[];
      weights?: readonly number[];
      method?: FrequentistMethod;
      /** Two-sided significance level of the lift's interval (default 0.05); the arms' intervals stay 95 %. */
      alpha?: number;
      /** Sequential tuning parameter N* (default 5000). */
      sequential_tuning?: number;
    };

/** One arm's estimate (conversion rate or mean) with its 95% interval. */
export interface ArmSummary {
  users: number;
  estimate: number | null;
  std_error: number | null;
  ci_lower: number | null;
  ci_upper: number | null;
}

/** A variant compared with control; every null marks a statistic that is undefined for the data. */
export interface VariantComparison extends ArmSummary {
  /** (treatment − control) / |control|: negative whenever treatment is below control, also for negative means. */
  lift: number | null;
  /** 95 % interval of the lift, from the same test as `p_value`. */
  lift_ci_lower: number | null;
  lift_ci_upper: number | null;
  /** The test statistic: lift / its standard error (delta method). */
  statistic: number | null;
  /** Welch–Satterthwaite df of the fixed-horizon test; null for the sequential test. */
  degrees_of_freedom: number | null;
  /** Two-sided p-value of the lift. */
  p_value: number | null;
  /** `p_value` adjusted (Holm-Bonferroni) over this comparison's variants. */
  adjusted_p_value: number | null;
  /** Bayesian P(variant beats control): GrowthBook's effect model with a flat prior on the lift. */
  chance_to_beat_control: number | null;
}

/** Output of {@link compareVariants}; `variants` keeps the input order. */
export interface ComparisonResult {
  metric_type: MetricType;
  /** How the p-values and intervals were computed. */
  method: FrequentistMethod;
  /** The correction behind `adjusted_p_value`. */
  correction: 'holm';
  control: ArmSummary;
  variants: VariantComparison[];
  sample_ratio: SampleRatioResult;
}

function summary(estimate: ArmSummary): ArmSummary {
  const { users, estimate: value, std_error, ci_lower, ci_upper } = estimate;
  return { users, estimate: value, std_error, ci_lower, ci_upper };
}

/** The comparison of one variant: the estimate from `arm`, every test statistic from `summaries`. */
function compare(arm: ArmSummary, summaries: TwoArmSummaries, options: FrequentistOptions): VariantComparison {
  const test = frequentistTest(summaries, { ...options, scale: 'relative' });
  const bayes = bayesianTest(summaries, { scale: 'relative' });
  const { effect, std_error: se } = test;
  return {
    ...summary(arm),
    lift: effect,
    lift_ci_lower: test.ci?.[0] ?? null,
    lift_ci_upper: test.ci?.[1] ?? null,
    statistic: effect !== null && se ? effect / se : null,
    degrees_of_freedom: test.degrees_of_freedom,
    p_value: test.p_value,
    adjusted_p_value: null,
    chance_to_beat_control: bayes.chance_to_win,
  };
}

function withAdjusted(variants: VariantComparison[]): VariantComparison[] {
  const adjusted = holmBonferroni(variants.map((v) => v.p_value));
  return variants.map((v, i) => ({ ...v, adjusted_p_value: adjusted[i] ?? null }));
}

const proportion = (a: ConversionStats) => ({ n: a.users, sum: a.conversions });
const moments = (a: MeanStats) => ({ n: a.users, sum: a.sum, sum_squares: a.sum_squares });

/**
 * Compares each variant with control: estimate and 95% CI, relative lift with its interval and two-sided p-value
 * from one test (Welch's t-test on the delta-method lift, fixed-horizon or sequential), the p-values Holm-adjusted
 * over the variants, Bayesian chance to beat control, plus a sample-ratio-mismatch test of all arms' users against
 * `weights`. Never throws: undefined statistics are null (see the per-statistic
 * functions), and an unknown `metric_type` yields an all-null comparison per variant.
 * @example
 * compareVariants({
 *   metric_type: 'conversion',
 *   control: { users: 1000, conversions: 200 },
 *   variants: [{ users: 1000, conversions: 250 }],
 * }).variants[0].p_value // ≈ 0.017 (Welch on the relative lift; the absolute difference alone gives 0.0074)
 */
export function compareVariants(input: ComparisonInput): ComparisonResult {
  const users = [input.control, ...input.variants].map((arm) => arm.users);
  const sample_ratio = sampleRatioMismatch(users, input.weights);
  const method: FrequentistMethod = input.method === 'sequential' ? 'sequential' : 'fixed';
  const common = { method, correction: 'holm' as const, sample_ratio };
  const options = { method, alpha: input.alpha, sequential_tuning: input.sequential_tuning };
  if (input.metric_type === 'conversion' || input.metric_type === 'binomial') {
    const { control } = input;
    const variants = input.variants.map((variant) =>
      compare(
        conversionEstimate(variant),
        { kind: 'proportion', control: proportion(control), treatment: proportion(variant) },
        options,
      ),
    );
    return {
      metric_type: 'conversion',
      control: summary(conversionEstimate(control)),
      variants: withAdjusted(variants),
      ...common,
    };
  }
  if (input.metric_type === 'mean') {
    const { control } = input;
    const variants = input.variants.map((variant) =>
      compare(meanEstimate(variant), { kind: 'mean', control: moments(control), treatment: moments(variant) }, options),
    );
    return {
      metric_type: 'mean',
      control: summary(meanEstimate(control)),
      variants: withAdjusted(variants),
      ...common,
    };
  }
  // Reachable only from untyped (wire) input; report nothing rather than guess a metric type.
  const unknown = input as {
    metric_type: MetricType;
    control: { users: number };
    variants: readonly { users: number }[];
  };
  const empty = (n: number): ArmSummary => ({
    users: n,
    estimate: null,
    std_error: null,
    ci_lower: null,
    ci_upper: null,
  });
  return {
    metric_type: unknown.metric_type,
    control: empty(unknown.control.users),
    variants: unknown.variants.map((v) => ({
      ...empty(v.users),
      lift: null,
      lift_ci_lower: null,
      lift_ci_upper: null,
      statistic: null,
      degrees_of_freedom: null,
      p_value: null,
      adjusted_p_value: null,
      chance_to_beat_control: null,
    })),
    ...common,
  };
}
