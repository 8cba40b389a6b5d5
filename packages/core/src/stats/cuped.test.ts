import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frequentistTest, seededRandom, type CupedSummary, type Moments } from '../index.js';
import { cupedAdjustment } from './cuped.js';

function moments(values: readonly number[]): Moments {
  return {
    n: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    sum_squares: values.reduce((a, b) => a + b * b, 0),
  };
}

function arm(post: readonly number[], pre: readonly number[]): CupedSummary {
  return {
    n: post.length,
    post: moments(post),
    pre: moments(pre),
    post_pre_sum_of_products: post.reduce((sum, y, i) => sum + y * (pre[i] as number), 0),
  };
}

test('θ is the pooled regression slope, and a post value that is pre + constant is fully explained', () => {
  // Slopes 1 (control) and 2 (treatment) on the same pre values; pooled: Var(pre) = (10 − 36/6) / 5 = 0.8,
  // Cov = (18 − 6·12/6) / 5 = 1.2, θ = 1.5.
  const adjustment = cupedAdjustment(arm([1, 2, 3], [0, 1, 2]), arm([0, 2, 4], [0, 1, 2]));
  assert.ok(typeof adjustment !== 'string');
  assert.ok(Math.abs(adjustment.theta - 1.5) < 1e-12, `pooled θ ${adjustment.theta}`);
  const same = cupedAdjustment(arm([1, 2, 3], [0, 1, 2]), arm([1, 2, 3], [0, 1, 2]));
  assert.ok(typeof same !== 'string' && same.theta === 1 && same.control.variance === 0);
});

test('a pre-period value that never varies leaves θ at 0 and the test equal to the plain mean test', () => {
  const control = arm([3, 5, 9, 1], [2, 2, 2, 2]);
  const treatment = arm([4, 8, 6, 7, 5], [2, 2, 2, 2, 2]);
  const adjusted = frequentistTest({ kind: 'cuped', control, treatment }, { scale: 'absolute' });
  const plain = frequentistTest(
    { kind: 'mean', control: control.post, treatment: treatment.post },
    { scale: 'absolute' },
  );
  assert.equal({ ...adjusted, variance_reduction: null }, plain);
  assert.is(adjusted.variance_reduction, 0);
});

test('pre-period values constant within each arm but different between them leave θ at 0: the plain test', () => {
  // Pooled, the pre-period is an arm indicator; regressing on it would take out the whole difference (effect 0).
  const control = arm([3, 5, 9, 1], [0, 0, 0, 0]);
  const treatment = arm([4, 8, 6, 7, 5], [1, 1, 1, 1, 1]);
  const adjustment = cupedAdjustment(control, treatment);
  assert.ok(typeof adjustment !== 'string' && adjustment.theta === 0);
  for (const scale of ['relative', 'absolute'] as const) {
    const adjusted = frequentistTest({ kind: 'cuped', control, treatment }, { scale });
    const plain = frequentistTest({ kind: 'mean', control: control.post, treatment: treatment.post }, { scale });
    assert.equal({ ...adjusted, variance_reduction: null }, plain);
    assert.is(adjusted.variance_reduction, 0);
    assert.ok(adjusted.effect !== 0 && adjusted.p_value !== null);
  }
});

test('both arms fully explained by their pre-period: no test, with the reason, never a NaN p-value', () => {
  // post = pre + 1 in both arms (θ = 1 exactly): the adjusted values do not vary, so Welch's df would be 0/0 while
  // the relative variance keeps control's delta-method term 2(r − 1)² / n_A / ȳ_A² > 0.
  const input = { kind: 'cuped', control: arm([1, 3], [0, 2]), treatment: arm([5, 7], [4, 6]) } as const;
  for (const method of ['fixed', 'sequential'] as const) {
    for (const scale of ['relative', 'absolute'] as const) {
      const result = frequentistTest(input, { method, scale });
      assert.is(result.reason, 'zero_variance', `${method} ${scale}`);
      assert.is(result.p_value, null);
    }
  }
  // Constant post and pre in each arm, different between the arms (the case that gave p NaN with no reason).
  const constant = { kind: 'cuped', control: arm([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]), treatment: arm([3, 3], [3, 3]) };
  assert.is(frequentistTest(constant as typeof input).reason, 'zero_variance');
});

test('CUPED reports the variance it removed and narrows the interval by √(1 − reduction)', () => {
  const uniform = seededRandom(7);
  const random = () => 2 * uniform() - 1;
  const sample = (users: number, shift: number) => {
    const pre = Array.from({ length: users }, () => 10 + 3 * random());
    return arm(
      pre.map((x) => x + shift + random()),
      pre,
    );
  };
  const control = sample(400, 0);
  const treatment = sample(400, 0.2);
  const cuped = frequentistTest({ kind: 'cuped', control, treatment }, { scale: 'absolute' });
  const plain = frequentistTest(
    { kind: 'mean', control: control.post, treatment: treatment.post },
    { scale: 'absolute' },
  );
  const reduction = cuped.variance_reduction ?? Number.NaN;
  // Var(pre) = 3² / 3 = 3 against noise 1/3: about 90 % of the variance is explained.
  assert.ok(reduction > 0.85 && reduction < 0.95, `reduction ${reduction}`);
  const ratio = (cuped.std_error ?? 0) / (plain.std_error ?? 1);
  assert.ok(Math.abs(ratio - Math.sqrt(1 - reduction)) < 1e-12);
  // With this seed: p ≈ 0.0004 adjusted, ≈ 0.88 unadjusted.
  assert.ok((cuped.p_value ?? 1) < 0.001 && (plain.p_value ?? 0) > 0.5, 'only the adjustment finds the +0.2 shift');
});

test('a CUPED arm with unusable moments gives a reason', () => {
  const good = arm([1, 2, 3], [0, 1, 2]);
  assert.is(cupedAdjustment(good, { ...good, post_pre_sum_of_products: Number.NaN }), 'invalid_input');
  assert.is(cupedAdjustment(good, arm([1], [1])), 'too_few_units');
});

test.run();
