import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { effectMoments, type TwoArmSummaries } from '../index.js';

/** Ten users at each of mean − 1 and mean + 1: variance 20/19. */
function spread(mean: number) {
  return { n: 20, sum: 20 * mean, sum_squares: 10 * (mean - 1) ** 2 + 10 * (mean + 1) ** 2 };
}

test('a negative control mean still reads a loss as negative: −10 → −12 is −20 %', () => {
  const moments = effectMoments({ kind: 'mean', control: spread(-10), treatment: spread(-12) }, 'relative');
  assert.ok(typeof moments !== 'string');
  assert.ok(Math.abs(moments.effect - -0.2) < 1e-12, `effect ${moments.effect}`);
  assert.is(moments.baseline, -10);
  const absolute = effectMoments({ kind: 'mean', control: spread(-10), treatment: spread(-12) }, 'absolute');
  assert.ok(typeof absolute !== 'string' && absolute.effect === -2);
});

test('the relative variance is the delta method (s_B²/n_B + r² s_A²/n_A) / μA², r = μB / μA', () => {
  const moments = effectMoments(
    { kind: 'proportion', control: { n: 1000, sum: 200 }, treatment: { n: 1000, sum: 250 } },
    'relative',
  );
  assert.ok(typeof moments !== 'string');
  // (0.1875/1000 + 1.5625 · 0.16/1000) / 0.04 = 0.0109375
  assert.ok(Math.abs(moments.variance - 0.0109375) < 1e-15);
  assert.is(moments.n, 2000);
  assert.is(moments.variance_reduction, null);
});

test('each unusable comparison names its reason', () => {
  const zero = { n: 50, sum: 0 };
  const some = { n: 50, sum: 5 };
  assert.is(effectMoments({ kind: 'proportion', control: zero, treatment: some }, 'relative'), 'baseline_zero');
  assert.is(effectMoments({ kind: 'proportion', control: zero, treatment: zero }, 'absolute'), 'zero_variance');
  assert.is(
    effectMoments({ kind: 'proportion', control: { n: 1, sum: 0 }, treatment: some }, 'absolute'),
    'too_few_units',
  );
  assert.is(
    effectMoments({ kind: 'proportion', control: { n: -3, sum: 0 }, treatment: some }, 'absolute'),
    'invalid_input',
  );
  const untyped = { kind: 'median', control: some, treatment: some } as unknown as TwoArmSummaries;
  assert.is(effectMoments(untyped, 'absolute'), 'invalid_input');
});

test.run();
