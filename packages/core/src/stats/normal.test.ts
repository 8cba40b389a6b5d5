import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Z_CRITICAL } from './confidence-level.js';
import { normalCdf, normalQuantile } from './normal.js';

function close(actual: number, expected: number, tolerance = 1e-10): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('normalCdf matches standard table values (scipy.stats.norm.cdf to 16 digits)', () => {
  close(normalCdf(1.96), 0.9750021048517795);
  close(normalCdf(-1), 0.15865525393145707); // (1 - 0.682689492137086) / 2: the 68% rule
  close(normalCdf(0), 0.5, 1e-15);
  close(normalCdf(-1.96) + normalCdf(1.96), 1, 1e-15);
});

test('normalCdf keeps relative precision deep in the lower tail: Φ(-8) = 6.22096057427174e-16', () => {
  close(normalCdf(-8) / 6.22096057427174e-16, 1, 1e-10);
  assert.is(normalCdf(Number.NEGATIVE_INFINITY), 0);
  assert.is(normalCdf(Number.POSITIVE_INFINITY), 1);
  assert.ok(Number.isNaN(normalCdf(Number.NaN)));
});

test('normalQuantile inverts the table values: Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.001) = -3.090232306167813', () => {
  close(normalQuantile(0.975), 1.959963984540054, 1e-12);
  close(normalQuantile(0.001), -3.090232306167813, 1e-12);
  close(normalQuantile(0.5), 0, 1e-15);
  close(normalQuantile(1e-10), -6.361340902404056, 1e-10);
  close(Z_CRITICAL, 1.959963984540054, 1e-12);
});

test('normalQuantile round-trips through normalCdf across the three approximation regions', () => {
  for (const p of [1e-12, 0.01, 0.02425, 0.3, 0.6, 0.97576, 0.999]) close(normalCdf(normalQuantile(p)), p, 1e-13);
});

test('normalQuantile is infinite at 0 and 1 and NaN outside [0, 1]', () => {
  assert.is(normalQuantile(0), Number.NEGATIVE_INFINITY);
  assert.is(normalQuantile(1), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

test.run();
