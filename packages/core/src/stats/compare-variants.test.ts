import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVariants, frequentistTest, type ComparisonInput } from '../index.js';

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
  // Delta method: Var(lift) = 0.1875/1000/0.2² + 0.25² · 0.16/1000/0.2⁴ = 0.0109375.
  close(variant?.statistic, 0.25 / Math.sqrt(0.0109375), 1e-12);
  close(variant?.degrees_of_freedom, 1985.565168192573, 1e-6);
  // p and interval from the same Welch test: p < 0.05 exactly when the interval excludes 0.
  close(variant?.p_value, 0.0169201012911046, 1e-10);
  close(variant?.lift_ci_lower, 0.04489703432489231, 1e-10);
  assert.is(variant?.adjusted_p_value, variant?.p_value, 'one variant: nothing to adjust');
  // Flat-prior effect model: Φ(0.25 / √0.0109375).
  close(variant?.chance_to_beat_control, 0.9915862952586215, 1e-9);
  assert.is(result.method, 'fixed');
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
  // Lift by the delta method: Var = (14/6)/9 + 49 · 0.5 / 81 = 0.5617284.
  const se = Math.sqrt(14 / 54 + 24.5 / 81);
  close(variant?.statistic, 4 / 3 / se, 1e-12);
  const same = frequentistTest({
    kind: 'mean',
    control: { n: 5, sum: 15, sum_squares: 55 },
    treatment: { n: 6, sum: 42, sum_squares: 364 },
  });
  close(variant?.p_value, same.p_value as number, 1e-15);
  close(variant?.lift_ci_lower, same.ci?.[0] as number, 1e-15);
  assert.ok((variant?.p_value ?? 1) > 0.05 && (variant?.lift_ci_lower ?? 1) < 0, 'not significant, interval spans 0');
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
  // A lift over a zero control rate is undefined, and so are its test and chance to beat.
  assert.is(withData?.lift, null);
  assert.is(withData?.lift_ci_lower, null);
  assert.is(withData?.p_value, null);
  assert.is(withData?.chance_to_beat_control, null);
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
    adjusted_p_value: null,
    chance_to_beat_control: null,
  });
});

test('more arms do not mean more false verdicts: p-values are Holm-adjusted over the variants', () => {
  const result = compareVariants({
    metric_type: 'conversion',
    control: { users: 1000, conversions: 200 },
    variants: [
      { users: 1000, conversions: 250 },
      { users: 1000, conversions: 205 },
      { users: 1000, conversions: 195 },
    ],
  });
  const p = result.variants.map((v) => v.p_value as number);
  const adjusted = result.variants.map((v) => v.adjusted_p_value as number);
  // Holm: the smallest p times 3, the next times 2 (never below the previous), the largest times 1.
  close(adjusted[0], Math.min(1, 3 * (p[0] as number)), 1e-15);
  assert.ok(adjusted.every((a, i) => a >= (p[i] as number)));
  assert.is(result.correction, 'holm');
});

test('the sequential method gives wider intervals that stay valid however often they are read', () => {
  const input = {
    metric_type: 'conversion' as const,
    control: { users: 1000, conversions: 200 },
    variants: [{ users: 1000, conversions: 250 }],
  };
  const fixed = compareVariants(input).variants[0];
  const sequential = compareVariants({ ...input, method: 'sequential' });
  const variant = sequential.variants[0];
  assert.is(sequential.method, 'sequential');
  assert.ok((variant?.lift_ci_lower ?? 1) < (fixed?.lift_ci_lower ?? 0), 'wider interval');
  assert.ok((variant?.p_value ?? 0) > (fixed?.p_value ?? 1), 'larger p-value');
  // Still one test: not significant, and the interval spans 0.
  assert.ok((variant?.p_value ?? 0) > 0.05 && (variant?.lift_ci_lower ?? 1) < 0);
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
