import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { logBeta, regularizedIncompleteBeta } from './incomplete-beta.js';

function close(actual: number, expected: number, tolerance = 1e-10): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('logBeta(a, b) = ln((a-1)! (b-1)! / (a+b-1)!) for integers, including the large-argument branch', () => {
  close(logBeta(2, 3), Math.log(1 / 12), 1e-13); // 1! 2! / 4! = 2 / 24
  close(logBeta(1, 30), -Math.log(30), 1e-12); // B(1, b) = 1/b
  close(logBeta(30, 2), -Math.log(30 * 31), 1e-12); // B(a, 2) = 1 / (a (a + 1))
  close(logBeta(1e6, 2), -Math.log(1e6 * (1e6 + 1)), 1e-9);
});

test('incomplete beta has closed forms I_x(a, 1) = x^a, I_x(1, b) = 1 - (1-x)^b, I_x(2, 2) = 3x² - 2x³', () => {
  for (const x of [0.001, 0.2, 0.5, 0.77, 0.999]) {
    close(regularizedIncompleteBeta(x, 3.5, 1), x ** 3.5, 1e-13);
    close(regularizedIncompleteBeta(x, 1, 7), 1 - (1 - x) ** 7, 1e-13);
    close(regularizedIncompleteBeta(x, 2, 2), 3 * x * x - 2 * x ** 3, 1e-13);
  }
});

test('incomplete beta is 1/2 at x = 1/2 for equal parameters, and matches scipy.special.betainc(50, 60, ·)', () => {
  for (const a of [0.5, 4, 123.25, 1e5]) close(regularizedIncompleteBeta(0.5, a, a), 0.5, 1e-9);
  close(regularizedIncompleteBeta(0.3, 50, 60) / 0.0003434115187662847, 1, 1e-9);
  close(regularizedIncompleteBeta(0.5, 50, 60), 0.8309072939016693, 1e-12);
});

test('incomplete beta clamps at the ends and is NaN for non-positive parameters', () => {
  assert.is(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.is(regularizedIncompleteBeta(1, 2, 3), 1);
  assert.ok(Number.isNaN(regularizedIncompleteBeta(0.5, 0, 3)));
});

test.run();
