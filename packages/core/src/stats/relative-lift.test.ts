import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { relativeLift } from './relative-lift.js';

function close(actual: number | null, expected: number, tolerance = 1e-10): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('relativeLift follows the delta method worked by hand', () => {
  // Rates 0.20 (se² = 0.2·0.8/1000 = 0.00016) and 0.25 (se² = 0.25·0.75/1000 = 0.0001875):
  // lift = 0.25 / 0.2 - 1 = 0.25; Var = 0.0001875 / 0.04 + 0.0625 · 0.00016 / 0.0016 = 0.0046875 + 0.00625
  // = 0.0109375; margin = 1.959963984540054 · √0.0109375 = 0.2049787…
  const result = relativeLift(
    { estimate: 0.2, std_error: Math.sqrt(0.00016) },
    { estimate: 0.25, std_error: Math.sqrt(0.0001875) },
  );
  const margin = 1.959963984540054 * Math.sqrt(0.0109375);
  close(result.lift, 0.25, 1e-14);
  close(result.ci_lower, 0.25 - margin, 1e-12);
  close(result.ci_upper, 0.25 + margin, 1e-12);
  close(result.ci_lower, 0.0450213, 1e-6);
});

test('relativeLift keeps the sign of the difference for negative means: −10 → −12 is −20 %, −12 → −10 is +16.7 %', () => {
  const loss = relativeLift({ estimate: -10, std_error: 1 }, { estimate: -12, std_error: 1 });
  close(loss.lift, -0.2, 1e-15);
  // The interval is symmetric around the lift with the same delta-method width as for positive means.
  const mirrored = relativeLift({ estimate: 10, std_error: 1 }, { estimate: 12, std_error: 1 });
  close((loss.ci_upper ?? 0) - (loss.ci_lower ?? 0), (mirrored.ci_upper ?? 0) - (mirrored.ci_lower ?? 0), 1e-15);
  close(loss.ci_upper, -0.2 + ((mirrored.ci_upper ?? 0) - 0.2), 1e-15);
  close(relativeLift({ estimate: -12, std_error: 1 }, { estimate: -10, std_error: 1 }).lift, 2 / 12, 1e-15);
});

test('relativeLift is null when the control estimate is 0 or missing', () => {
  assert.equal(relativeLift({ estimate: 0, std_error: 0 }, { estimate: 0.1, std_error: 0.01 }), {
    lift: null,
    ci_lower: null,
    ci_upper: null,
  });
  assert.is(relativeLift({ estimate: null, std_error: null }, { estimate: 0.1, std_error: 0.01 }).lift, null);
});

test('relativeLift keeps the point estimate but drops the interval without variance', () => {
  assert.equal(relativeLift({ estimate: 2, std_error: 0 }, { estimate: 3, std_error: 0 }), {
    lift: 0.5,
    ci_lower: null,
    ci_upper: null,
  });
  assert.equal(relativeLift({ estimate: 2, std_error: null }, { estimate: 3, std_error: 1 }).ci_upper, null);
});

test.run();
