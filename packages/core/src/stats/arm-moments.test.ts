import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meanMoments, proportionMoments } from './arm-moments.js';
import { ratioMoments } from './ratio-metric.js';

test('a proportion arm has the Bernoulli variance p (1 − p)', () => {
  assert.equal(proportionMoments({ n: 200, sum: 50 }), { n: 200, mean: 0.25, variance: 0.1875, unadjusted_mean: 0.25 });
});

test('unusable arms give a reason instead of numbers', () => {
  assert.is(proportionMoments({ n: 10, sum: 11 }), 'invalid_input');
  assert.is(proportionMoments({ n: 10.5, sum: 1 }), 'invalid_input');
  assert.is(proportionMoments({ n: 1, sum: 1 }), 'too_few_units');
  assert.is(meanMoments({ n: 5, sum: Number.NaN, sum_squares: 1 }), 'invalid_input');
  assert.is(meanMoments({ n: 0, sum: 0, sum_squares: 0 }), 'too_few_units');
  assert.equal(meanMoments({ n: 5, sum: 15, sum_squares: 55 }), { n: 5, mean: 3, variance: 2.5, unadjusted_mean: 3 });
});

test('a ratio arm follows the delta method worked by hand', () => {
  // Users (num, den): (1, 1), (2, 1), (6, 2): Σnum 9, Σnum² 41, Σden 4, Σden² 6, Σnum·den 15.
  // Means 3 and 4/3; Var(num) = (41 − 27) / 2 = 7, Var(den) = (6 − 16/3) / 2 = 1/3, Cov = (15 − 12) / 2 = 1.5.
  // Ratio 9/4; variance 7 / (16/9) + (1/3)·9 / (256/81) − 2·1.5·3 / (64/27) = 3.9375 + 0.94921875 − 3.796875.
  const arm = ratioMoments({
    n: 3,
    numerator: { n: 3, sum: 9, sum_squares: 41 },
    denominator: { n: 3, sum: 4, sum_squares: 6 },
    sum_of_products: 15,
  });
  assert.ok(typeof arm !== 'string');
  assert.is(arm.mean, 2.25);
  assert.ok(Math.abs(arm.variance - (3.9375 + 0.94921875 - 3.796875)) < 1e-12);
});

test('a ratio arm whose denominator sums to 0 has no estimate', () => {
  const zero = { n: 3, sum: 0, sum_squares: 0 };
  const arm = { n: 3, numerator: { n: 3, sum: 3, sum_squares: 5 }, denominator: zero, sum_of_products: 0 };
  assert.is(ratioMoments(arm), 'zero_denominator');
  assert.is(ratioMoments({ ...arm, sum_of_products: Number.POSITIVE_INFINITY }), 'invalid_input');
});

test.run();
