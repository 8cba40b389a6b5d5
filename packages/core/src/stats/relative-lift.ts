/** Relative lift of a treatment over control with a delta-method confidence interval. */
import { Z_CRITICAL } from './confidence-level.js';

/** A point estimate (rate or mean) with its standard error; nulls when it could not be estimated. */
export interface EstimateWithError {
  estimate: number | null;
  std_error: number | null;
}

/** Relative lift (treatment − control) / |control| with its 95% interval; fields are null when undefined (see relativeLift). */
export interface LiftResult {
  lift: number | null;
  ci_lower: number | null;
  ci_upper: number | null;
}

/**
 * Relative lift (μB − μA) / |μA| and its 95% CI by the delta method on the ratio of two independent means:
 * Var ≈ seB² / μA² + μB² seA² / μA⁴, interval lift ± z₀.₉₇₅ √Var. Dividing by |μA| rather than taking μB / μA − 1
 * keeps the sign of the difference when the means are negative: control −10, treatment −12 is −20 %, a loss.
 * `lift` is null when either estimate is missing or the control estimate is 0; the interval is null also when a
 * standard error is missing or the variance is 0.
 * @example relativeLift({ estimate: 0.1, std_error: 0.01 }, { estimate: 0.12, std_error: 0.01 }).lift // 0.2
 */
export function relativeLift(control: EstimateWithError, treatment: EstimateWithError): LiftResult {
  const { estimate: meanA, std_error: seA } = control;
  const { estimate: meanB, std_error: seB } = treatment;
  if (meanA === null || meanB === null || meanA === 0 || !Number.isFinite(meanA) || !Number.isFinite(meanB)) {
    return { lift: null, ci_lower: null, ci_upper: null };
  }
  const lift = (meanB - meanA) / Math.abs(meanA);
  if (seA === null || seB === null) return { lift, ci_lower: null, ci_upper: null };
  const ratioVariance = (seB * seB) / (meanA * meanA) + (meanB * meanB * seA * seA) / (meanA * meanA * meanA * meanA);
  if (!(ratioVariance > 0) || !Number.isFinite(ratioVariance)) return { lift, ci_lower: null, ci_upper: null };
  const margin = Z_CRITICAL * Math.sqrt(ratioVariance);
  return { lift, ci_lower: lift - margin, ci_upper: lift + margin };
}
