import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { logGamma } from './log-gamma.js';

function close(actual: number, expected: number, tolerance = 1e-10): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('logGamma matches ln((n-1)!) for n = 1..25, factorials computed by plain multiplication', () => {
  let factorial = 1;
  for (let n = 1; n <= 25; n++) {
    close(logGamma(n), Math.log(factorial), 1e-12);
    factorial *= n;
  }
});

test('logGamma(1/2) = ln √π and the recurrence Γ(x + 1) = x Γ(x) holds across the series switch at 10', () => {
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
  for (const x of [0.1, 3.7, 9.25, 9.5, 9.999, 10, 42.5]) close(logGamma(x + 1) - logGamma(x), Math.log(x), 1e-12);
});

test('logGamma of a large argument matches scipy.special.gammaln(1e6) = 12815504.569147611', () => {
  close(logGamma(1e6) / 12815504.569147611, 1, 1e-14);
});

test('logGamma is NaN outside its domain', () => {
  assert.ok(Number.isNaN(logGamma(0)));
  assert.ok(Number.isNaN(logGamma(-1)));
});

test.run();
