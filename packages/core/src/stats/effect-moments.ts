/** The effect of treatment over control and its variance, the common ground of the frequentist and Bayesian tests. */
import { meanMoments, proportionMoments, type ArmMoments } from './arm-moments.js';
import { cupedAdjustment, cupedRelativeVariance } from './cuped.js';
import type { FallbackReason } from './fallback-reason.js';
import { ratioMoments } from './ratio-metric.js';
import type { TwoArmSummaries } from './summary-statistics.js';

/** `absolute`: μB − μA. `relative`: (μB − μA) / |μA|, so a loss reads negative also when the means are negative. */
export type EffectScale = 'relative' | 'absolute';

/** An effect estimate with its variance, before any test turns it into an interval. */
export interface EffectMoments {
  scale: EffectScale;
  effect: number;
  /** Variance of `effect` (delta method on the relative scale). */
  variance: number;
  /** Welch–Satterthwaite degrees of freedom from the arms' per-user variances. */
  degrees_of_freedom: number;
  /** Users in both arms; the sequential test's sample size. */
  n: number;
  /** Control's unadjusted mean: the base of the relative scale. */
  baseline: number;
  /** CUPED only: 1 − variance / (the variance without adjustment); null for other kinds. */
  variance_reduction: number | null;
}

/** Arm variance of the mean, s² / n. */
function share(arm: ArmMoments): number {
  return arm.variance / arm.n;
}

/** Delta-method variance of (μB − μA) / |μA| for independent arms: (s_B²/n_B + r² s_A²/n_A) / μA², r = μB / μA. */
function relativeVariance(control: ArmMoments, treatment: ArmMoments): number {
  const base = control.unadjusted_mean;
  const r = treatment.mean / base;
  return (share(treatment) + r * r * share(control)) / (base * base);
}

/** (s_A²/n_A + s_B²/n_B)² / ((s_A²/n_A)²/(n_A − 1) + (s_B²/n_B)²/(n_B − 1)). */
function welchDegreesOfFreedom(control: ArmMoments, treatment: ArmMoments): number {
  const a = share(control);
  const b = share(treatment);
  return ((a + b) * (a + b)) / ((a * a) / (control.n - 1) + (b * b) / (treatment.n - 1));
}

interface ReducedArms {
  control: ArmMoments;
  treatment: ArmMoments;
  variance: (scale: EffectScale) => number;
  unadjustedVariance: ((scale: EffectScale) => number) | null;
}

function plainVariance(control: ArmMoments, treatment: ArmMoments) {
  return (scale: EffectScale) =>
    scale === 'absolute' ? share(control) + share(treatment) : relativeVariance(control, treatment);
}

function plainArms(control: ArmMoments | FallbackReason, treatment: ArmMoments | FallbackReason) {
  if (typeof control === 'string') return control;
  if (typeof treatment === 'string') return treatment;
  return { control, treatment, variance: plainVariance(control, treatment), unadjustedVariance: null };
}

function reduceArms(input: TwoArmSummaries): ReducedArms | FallbackReason {
  switch (input.kind) {
    case 'proportion':
      return plainArms(proportionMoments(input.control), proportionMoments(input.treatment));
    case 'mean':
      return plainArms(meanMoments(input.control), meanMoments(input.treatment));
    case 'ratio':
      return plainArms(ratioMoments(input.control), ratioMoments(input.treatment));
    case 'cuped': {
      const adjustment = cupedAdjustment(input.control, input.treatment);
      if (typeof adjustment === 'string') return adjustment;
      const { control, treatment } = adjustment;
      const post = (arm: typeof control): ArmMoments => ({
        n: arm.n,
        mean: arm.unadjusted_mean,
        variance: arm.post_variance,
        unadjusted_mean: arm.unadjusted_mean,
      });
      const absolute = plainVariance(control, treatment);
      return {
        control,
        treatment,
        variance: (scale) => (scale === 'absolute' ? absolute(scale) : cupedRelativeVariance(adjustment)),
        unadjustedVariance: plainVariance(post(control), post(treatment)),
      };
    }
    default:
      // Reachable only from untyped (wire) input.
      return 'invalid_input';
  }
}

/**
 * Reduces two arms' summary statistics to the effect, its variance and Welch's degrees of freedom, or to the
 * reason none exists (see {@link FallbackReason}). Relative effects divide by |μA| (control's unadjusted mean).
 * @example
 * effectMoments(
 *   { kind: 'proportion', control: { n: 1000, sum: 200 }, treatment: { n: 1000, sum: 250 } },
 *   'relative',
 * ) // { effect: 0.25, variance: 0.0109375, … }
 */
export function effectMoments(input: TwoArmSummaries, scale: EffectScale): EffectMoments | FallbackReason {
  const arms = reduceArms(input);
  if (typeof arms === 'string') return arms;
  const { control, treatment } = arms;
  if (scale === 'relative' && control.unadjusted_mean === 0) return 'baseline_zero';
  const difference = treatment.mean - control.mean;
  const effect = scale === 'absolute' ? difference : difference / Math.abs(control.unadjusted_mean);
  const variance = arms.variance(scale);
  if (!Number.isFinite(effect) || !Number.isFinite(variance)) return 'invalid_input';
  if (!(variance > 0)) return 'zero_variance';
  const df = welchDegreesOfFreedom(control, treatment);
  // Both arms' (adjusted) per-user variances 0: the relative variance above is then only rounding or control's
  // delta-method term, and Welch's df is 0/0, so no test exists.
  if (!(df > 0)) return 'zero_variance';
  const unadjusted = arms.unadjustedVariance?.(scale);
  return {
    scale,
    effect,
    variance,
    degrees_of_freedom: df,
    n: control.n + treatment.n,
    baseline: control.unadjusted_mean,
    variance_reduction: unadjusted === undefined || !(unadjusted > 0) ? null : 1 - variance / unadjusted,
  };
}
