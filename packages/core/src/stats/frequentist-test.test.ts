import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frequentistTest, seededRandom, type TwoArmSummaries } from '../index.js';
import { studentTQuantile } from './student-t.js';

function close(actual: number | null | undefined, expected: number, tolerance = 1e-10): void {
  assert.ok(actual != null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

const means: TwoArmSummaries = {
  kind: 'mean',
  control: { n: 5, sum: 15, sum_squares: 55 }, // 1..5
  treatment: { n: 6, sum: 42, sum_squares: 364 }, // 2, 4, …, 12
};

test('the fixed-horizon absolute test is Welch’s t-test worked by hand', () => {
  // Var 2.5/5 + 14/6 = 17/6, t = 4 / √(17/6), df = 6.97225572979…
  const result = frequentistTest(means, { scale: 'absolute' });
  close(result.effect, 4, 1e-14);
  close(result.std_error, Math.sqrt(17 / 6), 1e-14);
  close(result.degrees_of_freedom, 6.972255729794934, 1e-12);
  close(result.p_value, 0.04928433820673, 1e-10);
  // t₀.₉₇₅ at that df ≈ 2.3665: the interval only just excludes 0, as p only just passes 0.05.
  close(result.ci?.[0], 4 - studentTQuantile(0.975, 6.972255729794934) * Math.sqrt(17 / 6), 1e-12);
  close(result.ci?.[0], 0.01653, 1e-5);
  assert.ok((result.ci?.[0] ?? 0) > 0);
  assert.is(result.reason, null);
});

test('the relative test divides by control: 3 → 7 is +133 %', () => {
  const result = frequentistTest(means);
  assert.is(result.scale, 'relative');
  close(result.effect, 4 / 3, 1e-14);
});

test('p < alpha exactly when the interval excludes 0, fixed and sequential, over random comparisons', () => {
  const random = seededRandom(12);
  let disagreements = 0;
  for (let i = 0; i < 500; i++) {
    const n = 20 + Math.floor(random() * 2000);
    const input: TwoArmSummaries = {
      kind: 'proportion',
      control: { n, sum: Math.floor(n * (0.1 + 0.02 * random())) },
      treatment: { n, sum: Math.floor(n * (0.1 + 0.04 * random())) },
    };
    for (const method of ['fixed', 'sequential'] as const) {
      for (const alpha of [0.05, 0.1]) {
        const { ci, p_value } = frequentistTest(input, { method, alpha });
        if (ci === null || p_value === null) continue;
        if (p_value < alpha !== (ci[0] > 0 || ci[1] < 0)) disagreements++;
      }
    }
  }
  assert.is(disagreements, 0);
});

test('unusable data and options give null statistics with a reason, never a throw', () => {
  const flat = frequentistTest({
    kind: 'mean',
    control: { n: 3, sum: 3, sum_squares: 3 },
    treatment: { n: 3, sum: 6, sum_squares: 12 },
  });
  assert.equal(flat, {
    method: 'fixed',
    scale: 'relative',
    effect: null,
    std_error: null,
    ci: null,
    p_value: null,
    degrees_of_freedom: null,
    variance_reduction: null,
    reason: 'zero_variance',
  });
  assert.is(frequentistTest(means, { alpha: 1 }).reason, 'invalid_options');
  assert.is(frequentistTest(means, { method: 'sequential', sequential_tuning: 0 }).reason, 'invalid_options');
});

test.run();
