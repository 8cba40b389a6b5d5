import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meanChanceToBeat, meanEstimate, welchTTest, type MeanStats } from './mean.js';

function close(actual: number | null, expected: number, tolerance = 1e-10): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

function statsOf(values: number[]): MeanStats {
  return {
    users: values.length,
    sum: values.reduce((s, v) => s + v, 0),
    sum_squares: values.reduce((s, v) => s + v * v, 0),
  };
}

// Control 1..5: mean 3, s² = Σ(x - 3)² / 4 = 10 / 4 = 2.5. Treatment 2, 4, …, 12: mean 7, s² = 70 / 5 = 14.
const control = statsOf([1, 2, 3, 4, 5]);
const treatment = statsOf([2, 4, 6, 8, 10, 12]);

test('meanEstimate gives the mean, variance and t interval worked by hand', () => {
  const result = meanEstimate(control);
  close(result.estimate, 3, 1e-15);
  close(result.variance, 2.5, 1e-14);
  close(result.std_error, Math.sqrt(0.5), 1e-14);
  // 3 ± t(0.975, 4) · √0.5 = 3 ± 2.7764451051977934 · 0.7071068 (scipy.stats.t.interval(0.95, 4, 3, √0.5)).
  close(result.ci_lower, 1.0367568385224428, 1e-9);
  close(result.ci_upper, 4.963243161477557, 1e-9);
});

test('meanEstimate returns nulls for no users, no variance for one user, and no interval for constant values', () => {
  assert.equal(meanEstimate({ users: 0, sum: 0, sum_squares: 0 }), {
    users: 0,
    estimate: null,
    variance: null,
    std_error: null,
    ci_lower: null,
    ci_upper: null,
  });
  assert.equal(meanEstimate({ users: 1, sum: 4, sum_squares: 16 }).variance, null);
  assert.is(meanEstimate({ users: 1, sum: 4, sum_squares: 16 }).estimate, 4);
  const constant = meanEstimate(statsOf([0.1, 0.1, 0.1]));
  assert.is(constant.variance, 0);
  assert.is(constant.ci_lower, null);
});

test("welchTTest reproduces Welch's test worked by hand and scipy.stats.ttest_ind(equal_var=False)", () => {
  // se² = 2.5/5 + 14/6 = 17/6, t = 4 / √(17/6) = 2.3763541…,
  // df = (17/6)² / ((1/2)²/4 + (7/3)²/5) = (289/36) / (1/16 + 49/45) = 6.9722557…
  const result = welchTTest(control, treatment);
  close(result.t, 4 / Math.sqrt(17 / 6), 1e-13);
  close(result.degrees_of_freedom, 289 / 36 / (1 / 16 + 49 / 45), 1e-12);
  close(result.degrees_of_freedom, 6.972255729794934, 1e-12);
  close(result.p_value, 0.04928433820673053, 1e-10);
});

test('welchTTest flips the sign, not the p-value, when the arms swap', () => {
  const result = welchTTest(treatment, control);
  close(result.t, -4 / Math.sqrt(17 / 6), 1e-13);
  close(result.p_value, 0.04928433820673053, 1e-10);
});

test('welchTTest returns nulls for fewer than two users or zero variance in both arms', () => {
  const none = { t: null, degrees_of_freedom: null, p_value: null };
  assert.equal(welchTTest({ users: 1, sum: 1, sum_squares: 1 }, treatment), none);
  assert.equal(welchTTest(statsOf([2, 2, 2]), statsOf([3, 3])), none);
});

test('meanChanceToBeat is Φ of the standardized difference: Φ(4 / √(17/6)) = 0.9912576627947394', () => {
  close(meanChanceToBeat(control, treatment), 0.9912576627947394, 1e-12);
  close(meanChanceToBeat(treatment, control), 1 - 0.9912576627947394, 1e-12);
  assert.is(meanChanceToBeat({ users: 1, sum: 1, sum_squares: 1 }, treatment), null);
});

test.run();
