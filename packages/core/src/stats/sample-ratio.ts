/** Sample-ratio mismatch: χ² goodness-of-fit of observed users per variant against the configured weights. */
import { chiSquareSurvival } from './chi-square.js';

/** p-values below this flag a sample-ratio mismatch. */
const SRM_P_THRESHOLD = 0.001;

/** Outcome of the SRM test; statistic fields are null when the test is undefined, and then `srm` is false. */
export interface SampleRatioResult {
  chi_square: number | null;
  degrees_of_freedom: number | null;
  p_value: number | null;
  /** True when p_value < {@link SRM_P_THRESHOLD}. */
  srm: boolean;
}

const UNDEFINED_TEST: SampleRatioResult = { chi_square: null, degrees_of_freedom: null, p_value: null, srm: false };

/**
 * Pearson χ² goodness-of-fit test of users per variant (control first) against expected shares: expected
 * E_i = N w_i / Σw, χ² = Σ (O_i - E_i)² / E_i, df = k - 1 over the variants with a positive weight,
 * p = P(χ²_df > χ²). Weights default to equal and need not sum to 1. A variant with weight 0 but users makes
 * χ² infinite (p = 0). Undefined (nulls, srm false): no users, negative or non-finite counts or weights, a weight
 * list of the wrong length, or fewer than two variants with positive weight.
 * @example sampleRatioMismatch([5000, 5500]).srm // true
 */
export function sampleRatioMismatch(users: readonly number[], weights?: readonly number[]): SampleRatioResult {
  const shares = weights ?? users.map(() => 1);
  if (shares.length !== users.length) return UNDEFINED_TEST;
  if (![...users, ...shares].every((v) => Number.isFinite(v) && v >= 0)) return UNDEFINED_TEST;
  const total = users.reduce((sum, n) => sum + n, 0);
  const weightTotal = shares.reduce((sum, w) => sum + w, 0);
  if (!(total > 0) || !(weightTotal > 0)) return UNDEFINED_TEST;
  let chiSquare = 0;
  let cells = 0;
  users.forEach((observed, i) => {
    const expected = (total * (shares[i] ?? 0)) / weightTotal;
    if (expected > 0) {
      cells += 1;
      chiSquare += ((observed - expected) * (observed - expected)) / expected;
    } else if (observed > 0) {
      chiSquare = Number.POSITIVE_INFINITY;
    }
  });
  if (cells < 2) return UNDEFINED_TEST;
  const df = cells - 1;
  const pValue = chiSquare === Number.POSITIVE_INFINITY ? 0 : chiSquareSurvival(chiSquare, df);
  return { chi_square: chiSquare, degrees_of_freedom: df, p_value: pValue, srm: pValue < SRM_P_THRESHOLD };
}
