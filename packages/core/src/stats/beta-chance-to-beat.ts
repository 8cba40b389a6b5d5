/** P(X_B > X_A) for independent Beta-distributed rates: exact finite sums, numerical integration as a fallback. */
import { incompleteBetaFromPair, logBeta } from './incomplete-beta.js';
import { integrateUnit } from './tanh-sinh.js';

/** Parameters of a Beta(alpha, beta) distribution; both must be positive. */
export interface BetaParams {
  alpha: number;
  beta: number;
}

/**
 * Above this many terms the exact sum gives way to integration. Each term costs two logs and an exp, so the
 * limit keeps the worst case to a few tens of milliseconds.
 */
const EXACT_SUM_MAX_TERMS = 2_000_000;

/**
 * P(X_B > X_A) for integer B.alpha = n by the closed form
 * Σ_{i=0}^{n-1} B(αA + i, βA + βB) / ((βB + i) B(1 + i, βB) B(αA, βA)).
 * Successive terms differ by the factor (αA + i)(βB + i) / ((αA + βA + βB + i)(i + 1)), so the sum runs in log
 * space with that ratio instead of four log-gammas per term, and never underflows.
 */
function exactSum(a: BetaParams, b: BetaParams): number {
  const n = b.alpha;
  let logTerm = logBeta(a.alpha, a.beta + b.beta) - logBeta(a.alpha, a.beta);
  let logMax = logTerm;
  let scaled = 1;
  for (let i = 0; i < n - 1; i++) {
    logTerm += Math.log(((a.alpha + i) * (b.beta + i)) / ((a.alpha + a.beta + b.beta + i) * (i + 1)));
    if (logTerm > logMax) {
      scaled = scaled * Math.exp(logMax - logTerm) + 1;
      logMax = logTerm;
    } else {
      scaled += Math.exp(logTerm - logMax);
    }
  }
  return Math.min(1, Math.exp(logMax) * scaled);
}

/** Mirror image X → 1 - X: Beta(α, β) becomes Beta(β, α). */
function mirror(p: BetaParams): BetaParams {
  return { alpha: p.beta, beta: p.alpha };
}

function isPositiveInteger(v: number): boolean {
  return Number.isInteger(v) && v > 0;
}

/** Mean ± 10 standard deviations of a Beta, clipped to (0, 1): where its density has practically all its mass. */
function bulk(p: BetaParams): number[] {
  const total = p.alpha + p.beta;
  const mean = p.alpha / total;
  const sd = Math.sqrt((p.alpha * p.beta) / (total * total * (total + 1)));
  return [mean - 10 * sd, mean, mean + 10 * sd].filter((x) => x > 0 && x < 1);
}

/**
 * P(X_B > X_A) = ∫ f_A(x) (1 - I_x(αB, βB)) dx by tanh-sinh quadrature, split at the bulk of both
 * distributions so narrow peaks (large counts) are resolved; absolute error ~1e-8 for parameters >= 1.
 */
export function betaChanceToBeatByIntegration(a: BetaParams, b: BetaParams): number {
  const logNormA = logBeta(a.alpha, a.beta);
  const integrand = (x: number, y: number): number => {
    const density = Math.exp((a.alpha - 1) * Math.log(x) + (a.beta - 1) * Math.log(y) - logNormA);
    // 1 - I_x(αB, βB) = I_y(βB, αB), without the cancellation.
    return density === 0 ? 0 : density * incompleteBetaFromPair(y, x, b.beta, b.alpha);
  };
  const points = [0, ...bulk(a), ...bulk(b), 1].sort((p, q) => p - q);
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    total += integrateUnit(integrand, points[i] ?? 0, points[i + 1] ?? 1);
  }
  return Math.min(1, Math.max(0, total));
}

/**
 * P(X_B > X_A) for independent X_A ~ Beta(a), X_B ~ Beta(b): the Bayesian "chance to beat".
 * When any parameter is an integer (always so for counts with a Beta(1, 1) prior) an exact finite sum is used,
 * picking the smallest integer parameter through the symmetries P(B > A) = 1 - P(A > B) and X → 1 - X; otherwise,
 * or beyond {@link EXACT_SUM_MAX_TERMS} terms, numerical integration (accurate to ~1e-8 for parameters >= 1).
 * Returns null when a parameter is not a positive finite number.
 * @example betaChanceToBeat({ alpha: 1, beta: 1 }, { alpha: 2, beta: 1 }) // 2/3
 */
export function betaChanceToBeat(a: BetaParams, b: BetaParams): number | null {
  const params = [a.alpha, a.beta, b.alpha, b.beta];
  if (!params.every((v) => Number.isFinite(v) && v > 0)) return null;
  // Each route sums over one integer parameter, the one named by `terms`.
  const routes = [
    { terms: b.alpha, value: () => exactSum(a, b) },
    { terms: a.alpha, value: () => 1 - exactSum(b, a) },
    { terms: a.beta, value: () => exactSum(mirror(b), mirror(a)) },
    { terms: b.beta, value: () => 1 - exactSum(mirror(a), mirror(b)) },
  ].filter((route) => isPositiveInteger(route.terms) && route.terms <= EXACT_SUM_MAX_TERMS);
  if (routes.length === 0) return betaChanceToBeatByIntegration(a, b);
  const cheapest = routes.reduce((best, route) => (route.terms < best.terms ? route : best));
  return Math.min(1, Math.max(0, cheapest.value()));
}
