import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalCdf } from './normal.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

function close(actual: number, expected: number, tolerance = 1e-10): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('studentTCdf matches the closed forms for df = 1 (Cauchy), 2 and 3', () => {
  for (const t of [-30, -2.5, -0.3, 0.7, 4]) {
    close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-13);
    close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13);
    const u = t / Math.sqrt(3);
    close(studentTCdf(t, 3), 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 1e-13);
  }
});

test('studentTCdf hits the t-table critical values (R qt / scipy.stats.t.ppf)', () => {
  close(studentTCdf(2.228138851986274, 10), 0.975);
  close(studentTCdf(2.0422724563012378, 30), 0.975);
  close(studentTCdf(2.0150483733330233, 5), 0.95);
  close(studentTCdf(1.5, 7), 0.911350756505015); // scipy.stats.t.cdf(1.5, 7)
  close(studentTCdf(-2.5, 2.5), 0.0522849815390777); // non-integer df, scipy.stats.t.cdf(-2.5, 2.5)
});

test('studentTCdf approaches the normal CDF as df grows', () => {
  close(studentTCdf(-2, 1e9), normalCdf(-2), 1e-8);
  close(studentTCdf(-2, 1e3), 0.04577034649325166 / 2, 1e-12); // scipy: 2 * t.cdf(-2, 1000)
  assert.is(studentTCdf(1.3, Number.POSITIVE_INFINITY), normalCdf(1.3));
});

test('studentTQuantile inverts the table: t(0.975, 4) = 2.7764451051977934, t(0.975, 1) = tan(0.475 π)', () => {
  close(studentTQuantile(0.975, 4), 2.7764451051977934, 1e-10);
  close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-10);
  close(studentTQuantile(0.975, 1), Math.tan(0.475 * Math.PI), 1e-8);
  close(studentTQuantile(0.025, 30), -2.0422724563012378, 1e-10);
  close(studentTQuantile(0.5, 3), 0, 0);
});

test('studentT functions return NaN for invalid df and probabilities', () => {
  assert.ok(Number.isNaN(studentTCdf(1, 0)));
  assert.ok(Number.isNaN(studentTQuantile(0.5, -1)));
  assert.ok(Number.isNaN(studentTQuantile(2, 5)));
  assert.is(studentTQuantile(1, 5), Number.POSITIVE_INFINITY);
});

test.run();
