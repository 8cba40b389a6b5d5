/** Natural log of the gamma function, from the Stirling series after shifting the argument to x >= 10. */

/** Below this the argument is shifted up with Γ(x) = Γ(x + k) / (x (x + 1) … (x + k - 1)). */
const STIRLING_MIN = 10;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0, absolute error below ~1e-14; NaN for x <= 0 or NaN (only positive arguments occur in the
 * statistics).
 * @example logGamma(5) // ln 24
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let shift = 0;
  let z = x;
  if (z < STIRLING_MIN) {
    // One product instead of a log per step: at most 10 factors, each below 10, so it cannot overflow.
    let product = 1;
    while (z < STIRLING_MIN) {
      product *= z;
      z += 1;
    }
    shift = Math.log(product);
  }
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_TWO_PI + stirlingSeries(z) - shift;
}

/**
 * The correction ln Γ(z) - [(z - 1/2) ln z - z + ln √(2π)] for z >= 10: Σ B_2k / (2k (2k - 1) z^(2k-1)),
 * k = 1..7 (the next term is below 1e-16 at z = 10). Exposed for differences of log-gammas of large arguments.
 */
export function stirlingSeries(z: number): number {
  const inv = 1 / z;
  const inv2 = inv * inv;
  return (
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 / 156))))))
  );
}
