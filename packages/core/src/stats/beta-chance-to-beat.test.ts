import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { betaChanceToBeat } from './beta-chance-to-beat.js';
import { betaChanceToBeatByIntegration } from './beta-chance-to-beat.js';

function close(actual: number | null, expected: number, tolerance = 1e-10): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

function factorial(n: number): number {
  let product = 1;
  for (let k = 2; k <= n; k++) product *= k;
  return product;
}

function binomialCoefficient(n: number, k: number): number {
  return factorial(n) / (factorial(k) * factorial(n - k));
}

/**
 * Reference P(X_B > X_A) for small integer parameters, by a route independent of the code under test:
 * ∫ f_A(x) (1 - F_B(x)) dx with the midpoint rule on 20 000 cells, the density from factorials and the Beta CDF
 * from the binomial identity F_B(x) = P(Binomial(αB + βB - 1, x) >= αB).
 */
function bruteForce(alphaA: number, betaA: number, alphaB: number, betaB: number): number {
  const normA = factorial(alphaA + betaA - 1) / (factorial(alphaA - 1) * factorial(betaA - 1));
  const trials = alphaB + betaB - 1;
  const cells = 20_000;
  let total = 0;
  for (let i = 0; i < cells; i++) {
    const x = (i + 0.5) / cells;
    let cdfB = 0;
    for (let j = alphaB; j <= trials; j++) cdfB += binomialCoefficient(trials, j) * x ** j * (1 - x) ** (trials - j);
    total += normA * x ** (alphaA - 1) * (1 - x) ** (betaA - 1) * (1 - cdfB);
  }
  return total / cells;
}

test('betaChanceToBeat has the closed forms worked by hand', () => {
  // A ~ U(0,1), B has density 2y: ∫ 2y · y dy = 2/3.
  close(betaChanceToBeat({ alpha: 1, beta: 1 }, { alpha: 2, beta: 1 }), 2 / 3, 1e-14);
  // A density 2(1-x), B density 2y: ∫ 2(1-x)(1-x²) dx = 2 (1 - 1/2 - 1/3 + 1/4) = 5/6.
  close(betaChanceToBeat({ alpha: 1, beta: 2 }, { alpha: 2, beta: 1 }), 5 / 6, 1e-14);
  // Identical distributions: exactly one half by symmetry.
  close(betaChanceToBeat({ alpha: 7, beta: 13 }, { alpha: 7, beta: 13 }), 0.5, 1e-12);
});

test('betaChanceToBeat matches brute-force integration on every summation route', () => {
  const cases: Array<[number, number, number, number]> = [
    [3, 5, 4, 2], // sums over βB = 2
    [2, 30, 30, 30], // sums over αA = 2
    [60, 2, 50, 5], // sums over βA = 2
    [20, 20, 3, 40], // sums over αB = 3
    [12, 9, 9, 12],
  ];
  for (const [a1, b1, a2, b2] of cases) {
    close(betaChanceToBeat({ alpha: a1, beta: b1 }, { alpha: a2, beta: b2 }), bruteForce(a1, b1, a2, b2), 1e-7);
  }
});

test('betaChanceToBeat is exact for large counts (reference: scipy.integrate.quad of pdf × betaincc)', () => {
  close(betaChanceToBeat({ alpha: 1001, beta: 9001 }, { alpha: 1061, beta: 8941 }), 0.9185718969834472, 1e-9);
  close(betaChanceToBeat({ alpha: 50001, beta: 950001 }, { alpha: 51001, beta: 949001 }), 0.9993792806077783, 1e-9);
  close(betaChanceToBeat({ alpha: 5, beta: 100000 }, { alpha: 9, beta: 99996 }), 0.8665850035639203, 1e-9);
});

test('the integration fallback agrees with the exact sums and with mpmath for non-integer parameters', () => {
  close(betaChanceToBeatByIntegration({ alpha: 3, beta: 5 }, { alpha: 4, beta: 2 }), bruteForce(3, 5, 4, 2), 1e-7);
  close(
    betaChanceToBeatByIntegration({ alpha: 1001, beta: 9001 }, { alpha: 1061, beta: 8941 }),
    0.9185718969834472,
    1e-9,
  );
  close(
    betaChanceToBeatByIntegration({ alpha: 50001, beta: 950001 }, { alpha: 51001, beta: 949001 }),
    0.9993792806077783,
    1e-9,
  );
  // mpmath.quad at 30 digits: 0.734221696338069 and 0.716186252771619.
  close(betaChanceToBeat({ alpha: 2.5, beta: 3.5 }, { alpha: 3.5, beta: 2.5 }), 0.734221696338069, 1e-10);
  close(betaChanceToBeatByIntegration({ alpha: 2, beta: 3 }, { alpha: 0.7, beta: 0.4 }), 0.716186252771619, 1e-9);
});

test('betaChanceToBeat returns null for non-positive or non-finite parameters', () => {
  assert.is(betaChanceToBeat({ alpha: 0, beta: 1 }, { alpha: 1, beta: 1 }), null);
  assert.is(betaChanceToBeat({ alpha: 1, beta: 1 }, { alpha: Number.NaN, beta: 1 }), null);
  assert.is(betaChanceToBeat({ alpha: 1, beta: Number.POSITIVE_INFINITY }, { alpha: 1, beta: 1 }), null);
});

test.run();
