/** compareVariants(): every statistic for each variant against control, as snake_case wire objects. */
import { conversionChanceToBeat, conversionEstimate, twoProportionZTest, type ConversionStats } from './conversion.js';
import { meanChanceToBeat, meanEstimate, welchTTest, type MeanStats } from './mean.js';
import { relativeLift } from './relative-lift.js';
import { sampleRatioMismatch, type SampleRatioResult } from './sample-ratio.js';

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
    }
  | { metric_type: 'mean'; control: MeanStats; variants: readonly MeanStats[]; weights?: readonly number[] };

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
  lift_ci_lower: number | null;
  lift_ci_upper: number | null;
  /** z (conversion) or Welch t (mean). */
  statistic: number | null;
  /** Welch–Satterthwaite df for means; null for the z-test. */
  degrees_of_freedom: number | null;
  /** Two-sided p-value. */
  p_value: number | null;
  /** Bayesian P(variant beats control). */
  chance_to_beat_control: number | null;
}

/** Output of {@link compareVariants}; `variants` keeps the input order. */
export interface ComparisonResult {
  metric_type: MetricType;
  control: ArmSummary;
  variants: VariantComparison[];
  sample_ratio: SampleRatioResult;
}

function summary(estimate: ArmSummary): ArmSummary {
  const { users, estimate: value, std_error, ci_lower, ci_upper } = estimate;
  return { users, estimate: value, std_error, ci_lower, ci_upper };
}

function compareConversion(control: ConversionStats, variant: ConversionStats): VariantComparison {
  const arm = conversionEstimate(variant);
  const lift = relativeLift(conversionEstimate(control), arm);
  const test = twoProportionZTest(control, variant);
  return {
    ...summary(arm),
    lift: lift.lift,
    lift_ci_lower: lift.ci_lower,
    lift_ci_upper: lift.ci_upper,
    statistic: test.z,
    degrees_of_freedom: null,
    p_value: test.p_value,
    chance_to_beat_control: conversionChanceToBeat(control, variant),
  };
}

function compareMean(control: MeanStats, variant: MeanStats): VariantComparison {
  const arm = meanEstimate(variant);
  const lift = relativeLift(meanEstimate(control), arm);
  const test = welchTTest(control, variant);
  return {
    ...summary(arm),
    lift: lift.lift,
    lift_ci_lower: lift.ci_lower,
    lift_ci_upper: lift.ci_upper,
    statistic: test.t,
    degrees_of_freedom: test.degrees_of_freedom,
    p_value: test.p_value,
    chance_to_beat_control: meanChanceToBeat(control, variant),
  };
}

/**
 * Compares each variant with control: estimate and 95% CI, relative lift and its delta-method CI, two-sided
 * p-value (pooled z-test or Welch's t-test), Bayesian chance to beat control, plus a sample-ratio-mismatch test
 * of all arms' users against `weights`. Never throws: undefined statistics are null (see the per-statistic
 * functions), and an unknown `metric_type` yields an all-null comparison per variant.
 * @example
 * compareVariants({
 *   metric_type: 'conversion',
 *   control: { users: 1000, conversions: 200 },
 *   variants: [{ users: 1000, conversions: 250 }],
 * }).variants[0].p_value // ≈ 0.0074
 */
export function compareVariants(input: ComparisonInput): ComparisonResult {
  const users = [input.control, ...input.variants].map((arm) => arm.users);
  const sample_ratio = sampleRatioMismatch(users, input.weights);
  if (input.metric_type === 'conversion' || input.metric_type === 'binomial') {
    const { control } = input;
    return {
      metric_type: 'conversion',
      control: summary(conversionEstimate(control)),
      variants: input.variants.map((variant) => compareConversion(control, variant)),
      sample_ratio,
    };
  }
  if (input.metric_type === 'mean') {
    const { control } = input;
    return {
      metric_type: 'mean',
      control: summary(meanEstimate(control)),
      variants: input.variants.map((variant) => compareMean(control, variant)),
      sample_ratio,
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
      chance_to_beat_control: null,
    })),
    sample_ratio,
  };
}
