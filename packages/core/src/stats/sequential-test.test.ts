import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frequentistTest, sequentialHalfWidth, sequentialPValue, sequentialRho } from '../index.js';

test('ρ for α = 0.05 and the default tuning 5000 is √((−2 ln 0.05 + ln(1 − 2 ln 0.05)) / 5000)', () => {
  const logAlpha = Math.log(0.05);
  assert.ok(
    Math.abs(sequentialRho(0.05, 5000) - Math.sqrt((-2 * logAlpha + Math.log(1 - 2 * logAlpha)) / 5000)) < 1e-16,
  );
});

test('the always-valid interval is wider than the fixed one and tightest relative to it near the tuning size', () => {
  const fixedHalfWidth = 1.959963984540054 * 0.01;
  const widths = [1000, 5000, 50_000].map((n) => sequentialHalfWidth(1e-4, n, 0.05, 5000) / fixedHalfWidth);
  assert.ok(
    widths.every((ratio) => ratio > 1),
    widths.join(', '),
  );
  assert.ok((widths[1] as number) < (widths[0] as number) && (widths[1] as number) < (widths[2] as number));
});

test('the sequential p-value crosses alpha where the interval reaches 0', () => {
  const halfWidth = sequentialHalfWidth(1e-4, 10_000, 0.05, 5000);
  assert.ok(Math.abs(sequentialPValue(halfWidth, 1e-4, 10_000, 0.05, 5000) - 0.05) < 1e-12);
  assert.is(sequentialPValue(0, 1e-4, 10_000, 0.05, 5000), 1);
  assert.is(sequentialPValue(1e6, 1e-4, 10_000, 0.05, 5000), 0); // e-value overflows: p is 0, not NaN
});

test('frequentistTest with method sequential reports no degrees of freedom and a wider interval', () => {
  const input = { kind: 'proportion', control: { n: 4000, sum: 400 }, treatment: { n: 4000, sum: 460 } } as const;
  const fixed = frequentistTest(input);
  const sequential = frequentistTest(input, { method: 'sequential' });
  assert.is(sequential.degrees_of_freedom, null);
  assert.is(sequential.effect, fixed.effect);
  assert.ok((sequential.ci?.[1] ?? 0) - (sequential.ci?.[0] ?? 0) > (fixed.ci?.[1] ?? 0) - (fixed.ci?.[0] ?? 0));
  assert.ok((sequential.p_value ?? 0) > (fixed.p_value ?? 1));
});

test.run();
