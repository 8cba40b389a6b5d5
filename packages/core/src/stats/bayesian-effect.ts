/** Bayesian effect model: a normal posterior for the effect, with chance to win, credible interval and risk. */
import { effectMoments, type EffectScale } from './effect-moments.js';
import type { FallbackReason } from './fallback-reason.js';
import { normalCdf, normalQuantile } from './normal.js';
import type { TwoArmSummaries } from './summary-statistics.js';
import { DEFAULT_ALPHA, isAlpha, isPositive } from './test-options.js';

/** A normal prior on the relative effect. */
export interface NormalPrior {
  mean: number;
  variance: number;
}

/** GrowthBook's proper prior: relative effect ~ N(0, 0.09), i.e. a 0.3 standard deviation around no change. */
export const DEFAULT_PROPER_PRIOR: NormalPrior = { mean: 0, variance: 0.09 };

/** Options of {@link bayesianTest}. */
export interface BayesianOptions {
  /** Default `relative`. */
  scale?: EffectScale;
  /**
   * Prior on the relative effect; omitted or null is the flat (improper) prior, whose posterior is the data's
   * normal likelihood. On the absolute scale the prior is scaled by control's mean: N(m |μA|, v μA²).
   */
  prior?: NormalPrior | null;
  /** The credible interval covers 1 − alpha; default 0.05. */
  alpha?: number;
}

/** A Bayesian comparison; the statistics are null exactly when `reason` says why. */
export interface BayesianResult {
  scale: EffectScale;
  prior: 'flat' | 'proper';
  /** Posterior mean of the effect. */
  effect: number | null;
  /** Posterior standard deviation. */
  std_error: number | null;
  /** Equal-tailed credible interval at 1 − alpha. */
  ci: [number, number] | null;
  /** Posterior P(effect > 0). */
  chance_to_win: number | null;
  /** Expected loss [choosing control, choosing treatment]: E[max(δ, 0)] and E[max(−δ, 0)]. */
  risk: [number, number] | null;
  variance_reduction: number | null;
  reason: FallbackReason | null;
}

const INVERSE_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Expected losses of a normal effect δ ~ N(mean, sd²): [E[max(δ, 0)], E[max(−δ, 0)]], i.e. what choosing control
 * and choosing treatment give up on average. Closed forms mean Φ(z) + sd φ(z) and −mean Φ(−z) + sd φ(z), z =
 * mean / sd, clamped at 0 where rounding would make a vanishing loss negative.
 * @example normalRisk(0, 1) // [0.3989…, 0.3989…]
 */
export function normalRisk(mean: number, sd: number): [number, number] {
  const z = mean / sd;
  const density = sd * INVERSE_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
  return [Math.max(0, mean * normalCdf(z) + density), Math.max(0, density - mean * normalCdf(-z))];
}

/**
 * Posterior of the effect under a normal likelihood N(effect, variance) and the given prior (flat when null):
 * precision 1/variance + 1/prior variance, mean weighted by precisions. From it: the credible interval, the
 * chance to win Φ(mean / sd) and the risk. Never throws: unusable data or options give nulls and a `reason`.
 * @example
 * bayesianTest(
 *   { kind: 'proportion', control: { n: 1000, sum: 200 }, treatment: { n: 1000, sum: 250 } },
 *   { prior: DEFAULT_PROPER_PRIOR },
 * ).chance_to_win // ≈ 0.988 (posterior mean 0.223: the prior pulls the observed 0.25 towards 0)
 */
export function bayesianTest(input: TwoArmSummaries, options: BayesianOptions = {}): BayesianResult {
  const { scale = 'relative', prior = null, alpha = DEFAULT_ALPHA } = options;
  const fallback = (reason: FallbackReason): BayesianResult => ({
    scale,
    prior: prior === null ? 'flat' : 'proper',
    effect: null,
    std_error: null,
    ci: null,
    chance_to_win: null,
    risk: null,
    variance_reduction: null,
    reason,
  });
  if (!isAlpha(alpha) || (prior !== null && (!isPositive(prior.variance) || !Number.isFinite(prior.mean)))) {
    return fallback('invalid_options');
  }
  const moments = effectMoments(input, scale);
  if (typeof moments === 'string') return fallback(moments);
  let mean = moments.effect;
  let variance = moments.variance;
  if (prior !== null) {
    const base = scale === 'relative' ? 1 : Math.abs(moments.baseline);
    if (base === 0) return fallback('baseline_zero');
    const priorVariance = prior.variance * base * base;
    const precision = 1 / variance + 1 / priorVariance;
    mean = (mean / variance + (prior.mean * base) / priorVariance) / precision;
    variance = 1 / precision;
  }
  const sd = Math.sqrt(variance);
  const halfWidth = normalQuantile(1 - alpha / 2) * sd;
  return {
    scale,
    prior: prior === null ? 'flat' : 'proper',
    effect: mean,
    std_error: sd,
    ci: [mean - halfWidth, mean + halfWidth],
    chance_to_win: normalCdf(mean / sd),
    risk: normalRisk(mean, sd),
    variance_reduction: moments.variance_reduction,
    reason: null,
  };
}
