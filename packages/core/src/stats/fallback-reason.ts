/** Why a comparison has no effect estimate: the documented fallback of every two-arm test instead of throwing. */

/**
 * - `invalid_input`: a count or sum is not a finite number, n is not a whole number, or a proportion's sum lies
 *   outside [0, n].
 * - `too_few_units`: an arm has fewer than 2 users, so its variance is undefined.
 * - `zero_denominator`: a ratio metric's denominator sums to 0 in an arm.
 * - `baseline_zero`: a relative effect was asked for and control's mean is 0.
 * - `zero_variance`: the effect's variance is 0 (both arms constant), so no test or interval exists.
 * - `invalid_options`: alpha outside (0, 1), a tuning parameter or prior variance that is not positive.
 */
export type FallbackReason =
  'invalid_input' | 'too_few_units' | 'zero_denominator' | 'baseline_zero' | 'zero_variance' | 'invalid_options';
