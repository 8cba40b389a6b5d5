import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleRatioMismatch } from '../index.js';

function close(actual: number | null, expected: number, tolerance = 1e-10): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('a 5000 / 5500 split of a 50/50 test is a sample-ratio mismatch', () => {
  // E = 5250 each: χ² = 2 · 250² / 5250 = 23.80952…; scipy.stats.chisquare([5000, 5500]).pvalue = 1.0635492679527356e-06.
  const result = sampleRatioMismatch([5000, 5500]);
  close(result.chi_square, 500 / 21, 1e-10);
  assert.is(result.degrees_of_freedom, 1);
  close((result.p_value ?? 0) / 1.0635492679527356e-6, 1, 1e-8);
  assert.is(result.srm, true);
});

test('a 5000 / 5100 split is within chance', () => {
  // χ² = 2 · 50² / 5050 = 0.990099…, p = 0.3197181768128675 (scipy.stats.chisquare).
  const result = sampleRatioMismatch([5000, 5100]);
  close(result.p_value, 0.3197181768128675, 1e-12);
  assert.is(result.srm, false);
});

test('weights set the expected counts and need not sum to 1', () => {
  // Expected 2000 / 3000 / 5000: χ² = 100²/2000 + 100²/3000 + 0 = 8.3333…, df 2, p = e^(-χ²/2) = 0.0155038…
  const result = sampleRatioMismatch([1900, 3100, 5000], [20, 30, 50]);
  close(result.chi_square, 25 / 3, 1e-10);
  close(result.p_value, Math.exp(-25 / 6), 1e-12);
  assert.is(result.srm, false);
  close(sampleRatioMismatch([2040, 2950, 5010], [0.2, 0.3, 0.5]).p_value, 0.4375052091325492, 1e-12);
});

test('users in a zero-weight variant are a certain mismatch; an empty zero-weight variant is ignored', () => {
  assert.equal(sampleRatioMismatch([500, 500, 3], [0.5, 0.5, 0]), {
    chi_square: Number.POSITIVE_INFINITY,
    degrees_of_freedom: 1,
    p_value: 0,
    srm: true,
  });
  assert.equal(sampleRatioMismatch([500, 500, 0], [0.5, 0.5, 0]), {
    chi_square: 0,
    degrees_of_freedom: 1,
    p_value: 1,
    srm: false,
  });
});

test('the test is undefined (nulls, no flag) for no users, bad weights or bad counts', () => {
  const none = { chi_square: null, degrees_of_freedom: null, p_value: null, srm: false };
  assert.equal(sampleRatioMismatch([0, 0]), none);
  assert.equal(sampleRatioMismatch([10, 10], [1]), none);
  assert.equal(sampleRatioMismatch([10, 10], [0.5, -0.5]), none);
  assert.equal(sampleRatioMismatch([10, Number.NaN]), none);
  assert.equal(sampleRatioMismatch([10]), none);
});

test.run();
