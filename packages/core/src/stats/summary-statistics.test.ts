import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleCovariance, sampleVariance } from './summary-statistics.js';

test('sampleVariance is the unbiased variance of 1..5', () => {
  assert.is(sampleVariance({ n: 5, sum: 15, sum_squares: 55 }), 2.5);
});

test('sampleVariance clamps a rounding-negative variance of a constant sample to 0, and is NaN below 2 users', () => {
  // Three users of 0.1: Σx² − (Σx)²/n rounds to about −1.4e-17.
  assert.is(sampleVariance({ n: 3, sum: 0.1 + 0.1 + 0.1, sum_squares: 0.01 + 0.01 + 0.01 }), 0);
  assert.ok(Number.isNaN(sampleVariance({ n: 1, sum: 3, sum_squares: 9 })));
});

test('sampleCovariance of x = 1, 2, 3 with y = 2x is 2 Var(x) = 2, and negative for y = −x', () => {
  assert.is(sampleCovariance(3, 6, 12, 28), 2);
  assert.is(sampleCovariance(3, 6, -6, -14), -1);
  assert.ok(Number.isNaN(sampleCovariance(1, 1, 1, 1)));
});

test.run();
