import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVariants, type ComparisonInput } from '../index.js';

function close(actual: number | null | undefined, expected: number, tolerance = 1e-10): void {
  assert.ok(actual != null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('a conversion comparison carries every statistic worked by hand for 200/1000 vs 250/1000', () => {
  const result = compareVariants({
    metric_type: 'conversion',
    control: { users: 1000, conversions: 200 },
    variants: [{ users: 1000, conversions: 250 }],
  });
  assert.is(result.metric_type, 'conversion');
  close(result.control.estimate, 0.2, 1e-15);
  close(result.control.ci_lower, 0.1752082, 1e-6);
  const [variant] = result.variants;
  close(variant?.estimate, 0.25, 1e-15);
  close(variant?.lift, 0.25, 1e-14);
  close(variant?.lift_ci_lower, 0.25 - 1.959963984540054 * Math.sqrt(0.0109375), 1e-12);
  close(variant?.statistic, 2.6773977630083294, 1e-12);
  assert.is(variant?.degrees_of_freedom, null);
  close(variant?.p_value, 0.007419649261025672, 1e-12);
  close(variant?.chance_to_beat_control, 0.9962833291304396, 1e-9);
  // Equal weights by default: 1000 / 1000 is a perfect split.
  assert.equal(result.sample_ratio, { chi_square: 0, degrees_of_freedom: 1, p_value: 1, srm: false });
});

test('a mean comparison uses the t interval, Welch test and normal chance to beat', () => {
  const result = compareVariants({
    metric_type: 'mean',
    control: { users: 5, sum: 15, sum_squares: 55 }, // 1..5
    variants: [{ users: 6, sum: 42, sum_squares: 364 }], // 2, 4, …, 12
  });
  close(result.control.ci_upper, 4.963243161477557, 1e-9);
  const [variant] = result.variants;
  close(variant?.lift, 7 / 3 - 1, 1e-14);
  close(variant?.statistic, 4 / Math.sqrt(17 / 6), 1e-13);
  close(variant?.degrees_of_freedom, 6.972255729794934, 1e-12);
  close(variant?.p_value, 0.04928433820673053, 1e-10);
  close(variant?.chance_to_beat_control, 0.9912576627947394, 1e-12);
  // Lift CI by the delta method: Var = (14/6)/9 + 49 · 0.5 / 81 = 0.5617284; 4/3 ± 1.959964 · 0.7494854.
  close(variant?.lift_ci_lower, 4 / 3 - 1.959963984540054 * Math.sqrt(14 / 54 + 24.5 / 81), 1e-12);
});

test('a net-revenue metric with negative means reads −10 → −12 as a −20 % loss', () => {
  // 100 users per arm at mean ± 1: Σx² = n (mean² + 1) up to the n − 1 divisor.
  const arm = (mean: number) => ({ users: 100, sum: 100 * mean, sum_squares: 100 * (mean * mean + 1) });
  const [variant] = compareVariants({ metric_type: 'mean', control: arm(-10), variants: [arm(-12)] }).variants;
  close(variant?.lift, -0.2, 1e-14);
  assert.ok((variant?.lift_ci_upper ?? 0) < 0, 'the whole interval is a loss');
  assert.ok((variant?.chance_to_beat_control ?? 1) < 0.001);
});

test('several variants keep their order and the SRM test covers every arm against the weights', () => {
  const result = compareVariants({
    metric_type: 'conversion',
    control: { users: 1900, conversions: 190 },
    variants: [
      { users: 3100, conversions: 300 },
      { users: 5000, conversions: 600 },
    ],
    weights: [0.2, 0.3, 0.5],
  });
  assert.equal(
    result.variants.map((v) => v.users),
    [3100, 5000],
  );
  close(result.sample_ratio.p_value, Math.exp(-25 / 6), 1e-12);
  assert.is(result.sample_ratio.srm, false);
});

test('an unequal split of an equal-weight test is flagged as SRM', () => {
  // χ² = 2 · 100² / 1100 = 18.1818…, p = 2.007865612426481e-05 (scipy.stats.chisquare([1000, 1200])).
  const result = compareVariants({
    metric_type: 'mean',
    control: { users: 1000, sum: 10, sum_squares: 20 },
    variants: [{ users: 1200, sum: 12, sum_squares: 24 }],
  });
  close((result.sample_ratio.p_value ?? 0) / 2.007865612426481e-5, 1, 1e-8);
  assert.is(result.sample_ratio.srm, true);
});

test('degenerate data gives nulls instead of throwing: empty arms and a zero control rate', () => {
  const result = compareVariants({
    metric_type: 'conversion',
    control: { users: 100, conversions: 0 },
    variants: [
      { users: 100, conversions: 5 },
      { users: 0, conversions: 0 },
    ],
  });
  const [withData, empty] = result.variants;
  assert.is(withData?.lift, null);
  assert.is(withData?.lift_ci_lower, null);
  // The test is still defined: pooled 5/200, z = 0.05 / √(0.025 · 0.975 · 0.02) = 2.2645540682891916.
  close(withData?.p_value, 0.023540058261177936, 1e-12);
  assert.ok(withData?.chance_to_beat_control !== null);
  assert.equal(empty, {
    users: 0,
    estimate: null,
    std_error: null,
    ci_lower: null,
    ci_upper: null,
    lift: null,
    lift_ci_lower: null,
    lift_ci_upper: null,
    statistic: null,
    degrees_of_freedom: null,
    p_value: null,
    chance_to_beat_control: null,
  });
});

test("the deprecated metric type 'binomial' is read as 'conversion'", () => {
  const input = { control: { users: 1000, conversions: 200 }, variants: [{ users: 1000, conversions: 250 }] };
  const old = compareVariants({ metric_type: 'binomial', ...input });
  assert.equal(old, compareVariants({ metric_type: 'conversion', ...input }));
  assert.is(old.metric_type, 'conversion');
});

test('an unknown metric type from untyped input yields nulls, not an exception', () => {
  const input = {
    metric_type: 'ratio',
    control: { users: 10 },
    variants: [{ users: 12 }],
  } as unknown as ComparisonInput;
  const result = compareVariants(input);
  assert.is(result.variants[0]?.p_value, null);
  assert.is(result.control.estimate, null);
  assert.is(result.sample_ratio.degrees_of_freedom, 1);
});

test.run();
