import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chiSquareSurvival } from './chi-square.js';
import { normalCdf } from './normal.js';

function close(actual: number, expected: number, tolerance = 1e-10): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('chiSquareSurvival hits table critical values: 3.8415 (df 1, 0.05), 10.8276 (df 1, 0.001), 11.3449 (df 3, 0.01)', () => {
  close(chiSquareSurvival(3.841458820694124, 1), 0.05);
  close(chiSquareSurvival(10.827566170662733, 1), 0.001);
  close(chiSquareSurvival(11.344866730144373, 3), 0.01);
  close(chiSquareSurvival(7.5, 5), 0.186029833602867); // scipy.stats.chi2.sf(7.5, 5)
});

test('chiSquareSurvival matches closed forms: df 2 is e^(-x/2), df 4 is e^(-x/2)(1 + x/2), df 1 is 2Φ(-√x)', () => {
  for (const x of [0.1, 1, 4, 13.8, 60]) {
    close(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-14);
    close(chiSquareSurvival(x, 4), Math.exp(-x / 2) * (1 + x / 2), 1e-14);
    close(chiSquareSurvival(x, 1), 2 * normalCdf(-Math.sqrt(x)), 1e-14);
  }
});

test('chiSquareSurvival is 1 at or below 0 and NaN for df <= 0', () => {
  assert.is(chiSquareSurvival(0, 3), 1);
  assert.ok(Number.isNaN(chiSquareSurvival(1, 0)));
});

test.run();
