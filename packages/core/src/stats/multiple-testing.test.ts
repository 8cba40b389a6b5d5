import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { benjaminiHochberg, holmBonferroni } from '../index.js';

function closeAll(actual: (number | null)[], expected: (number | null)[]): void {
  assert.is(actual.length, expected.length);
  actual.forEach((value, i) => {
    const want = expected[i];
    if (want === null || want === undefined) assert.is(value, null);
    else assert.ok(value !== null && Math.abs(value - want) < 1e-12, `[${i}] expected ${want}, got ${value}`);
  });
}

test('Holm by hand: sorted 0.01, 0.03, 0.04 times 3, 2, 1, made monotone, in input order', () => {
  // 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → max(0.06, 0.04) = 0.06
  closeAll(holmBonferroni([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
});

test('Benjamini–Hochberg by hand: sorted p·m/rank, made monotone from the largest', () => {
  // 0.04·3/3 = 0.04; 0.03·3/2 = 0.045 → 0.04; 0.01·3/1 = 0.03
  closeAll(benjaminiHochberg([0.01, 0.04, 0.03]), [0.03, 0.04, 0.04]);
});

// Benjamini and Hochberg (1995), section 4: 15 p-values from a clinical trial.
const trial = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
];

test('on the 1995 trial at 5 %, Holm rejects 3 hypotheses and Benjamini–Hochberg 4, as the paper reports', () => {
  const holm = holmBonferroni(trial);
  const bh = benjaminiHochberg(trial);
  assert.is(holm.filter((p) => p !== null && p < 0.05).length, 3);
  assert.is(bh.filter((p) => p !== null && p < 0.05).length, 4);
  // 0.0095·15/4 = 0.035625; the fifth is min over ranks ≥ 5 of p·15/rank = 0.0201·3 = 0.0603
  assert.ok(Math.abs((bh[3] as number) - 0.035625) < 1e-12);
  assert.ok(Math.abs((bh[4] as number) - 0.0603) < 1e-12);
  // Holm: 0.0095·12 = 0.114 is the first above 5 %.
  assert.ok(Math.abs((holm[3] as number) - 0.114) < 1e-12);
});

test('adjusted p-values are capped at 1, ties share a value, and nulls or non-p-values are left out of m', () => {
  closeAll(holmBonferroni([0.6, 0.9]), [1, 1]);
  closeAll(holmBonferroni([0.02, 0.02]), [0.04, 0.04]);
  closeAll(holmBonferroni([null, 0.02, Number.NaN, 0.01, 1.5]), [null, 0.02, null, 0.02, null]);
  closeAll(benjaminiHochberg([null, 0.02, 0.01]), [null, 0.02, 0.02]);
  assert.equal(holmBonferroni([]), []);
  assert.equal(benjaminiHochberg([]), []);
});

test.run();
