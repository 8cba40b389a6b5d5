/** CUPED: regression adjustment of a post-exposure mean by the same metric's pre-exposure mean. */
import { momentsProblem, type ArmMoments } from './arm-moments.js';
import type { FallbackReason } from './fallback-reason.js';
import { sampleCovariance, sampleVariance, type CupedSummary } from './summary-statistics.js';

/** One arm after CUPED: the adjusted arm plus the moments the relative effect's variance needs. */
export interface CupedArm extends ArmMoments {
  /** Unadjusted post-period variance per user. */
  post_variance: number;
  pre_mean: number;
  pre_variance: number;
  post_pre_covariance: number;
}

/** Both arms adjusted with one θ. */
export interface CupedAdjustment {
  /** θ = Cov(post, pre) / Var(pre) over both arms pooled; 0 when the pre-period values do not vary within an arm. */
  theta: number;
  control: CupedArm;
  treatment: CupedArm;
}

function inputProblem(arm: CupedSummary): FallbackReason | null {
  const problem = momentsProblem(arm.post, arm.n) ?? momentsProblem(arm.pre, arm.n);
  if (problem !== null) return problem;
  return Number.isFinite(arm.post_pre_sum_of_products) ? null : 'invalid_input';
}

/**
 * θ from both arms pooled, so the same adjustment is subtracted in each and the difference stays unbiased. 0 (no
 * adjustment, the plain test) when the pre-period values do not vary within either arm: pooled, they could then vary
 * only between the arms, and regressing on an arm's own pre-period constant would subtract exactly the difference
 * between the arms, reading every effect as 0. GrowthBook sets θ to 0 when the pooled values do not vary at all.
 */
function pooledTheta(control: CupedSummary, treatment: CupedSummary): number {
  const within = (arm: CupedSummary) => sampleVariance({ ...arm.pre, n: arm.n }) > 0;
  if (!within(control) && !within(treatment)) return 0;
  const n = control.n + treatment.n;
  const preSum = control.pre.sum + treatment.pre.sum;
  const preVariance = sampleVariance({
    n,
    sum: preSum,
    sum_squares: control.pre.sum_squares + treatment.pre.sum_squares,
  });
  if (!(preVariance > 0)) return 0;
  const covariance = sampleCovariance(
    n,
    control.post.sum + treatment.post.sum,
    preSum,
    control.post_pre_sum_of_products + treatment.post_pre_sum_of_products,
  );
  return covariance / preVariance;
}

function adjustArm(arm: CupedSummary, theta: number): CupedArm {
  const { n } = arm;
  const post_variance = sampleVariance({ ...arm.post, n });
  const pre_variance = sampleVariance({ ...arm.pre, n });
  const post_pre_covariance = sampleCovariance(n, arm.post.sum, arm.pre.sum, arm.post_pre_sum_of_products);
  const postMean = arm.post.sum / n;
  const pre_mean = arm.pre.sum / n;
  const variance = post_variance + theta * theta * pre_variance - 2 * theta * post_pre_covariance;
  return {
    n,
    mean: postMean - theta * pre_mean,
    variance: Math.max(0, variance),
    unadjusted_mean: postMean,
    post_variance,
    pre_mean,
    pre_variance,
    post_pre_covariance,
  };
}

/**
 * CUPED adjustment of both arms: ȳ − θ x̄ per arm with one pooled θ = Cov(y, x) / Var(x), per-user variance
 * Var(y) + θ² Var(x) − 2θ Cov(y, x). A reason instead when an arm's moments are unusable.
 * @example
 * const arm = { n: 3, post: { n: 3, sum: 6, sum_squares: 14 }, pre: { n: 3, sum: 3, sum_squares: 5 }, post_pre_sum_of_products: 8 };
 * cupedAdjustment(arm, arm).theta // 1 (post = pre + 1: post 1, 2, 3 and pre 0, 1, 2)
 */
export function cupedAdjustment(control: CupedSummary, treatment: CupedSummary): CupedAdjustment | FallbackReason {
  const problem = inputProblem(control) ?? inputProblem(treatment);
  if (problem !== null) return problem;
  const theta = pooledTheta(control, treatment);
  return { theta, control: adjustArm(control, theta), treatment: adjustArm(treatment, theta) };
}

/**
 * Delta-method variance of the relative CUPED effect (ȳ_B − θx̄_B − ȳ_A + θx̄_A) / ȳ_A, with control's
 * gradient taken at r = ȳ_B / ȳ_A as GrowthBook's engine does:
 * (Var_adj,B / n_B + (r² Var(y_A) + θ² Var(x_A) − 2θ r Cov_A) / n_A) / ȳ_A².
 */
export function cupedRelativeVariance(adjustment: CupedAdjustment): number {
  const { theta, control: a, treatment: b } = adjustment;
  const base = a.unadjusted_mean;
  const r = b.unadjusted_mean / base;
  const controlPart = r * r * a.post_variance + theta * theta * a.pre_variance - 2 * theta * r * a.post_pre_covariance;
  return (b.variance / b.n + controlPart / a.n) / (base * base);
}
