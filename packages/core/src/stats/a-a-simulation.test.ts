import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frequentistTest, holmBonferroni, seededRandom, type ProportionSummary } from '../index.js';

// A/A experiments: every arm converts at the same rate, so every "significant" verdict is a false positive.
const RATE = 0.1;
const USERS_PER_ARM_PER_DAY = 500;
const ALPHA = 0.05;

/** Converted users among `users` Bernoulli(RATE) draws. */
function conversions(random: () => number, users: number): number {
  let converted = 0;
  for (let i = 0; i < users; i++) if (random() < RATE) converted++;
  return converted;
}

function isSignificant(control: ProportionSummary, treatment: ProportionSummary, sequential: boolean): boolean {
  const result = frequentistTest(
    { kind: 'proportion', control, treatment },
    { scale: 'relative', method: sequential ? 'sequential' : 'fixed' },
  );
  return result.p_value !== null && result.p_value < ALPHA;
}

test('with 14 daily looks the fixed-horizon test cries wolf far above 5 %, the sequential test stays under it', () => {
  const random = seededRandom(20261130);
  const experiments = 1000;
  const looks = 14;
  let fixedOnce = 0; // one planned look, at the end
  let fixedPeeking = 0; // "significant" at any of the 14 looks
  let sequentialPeeking = 0;
  for (let e = 0; e < experiments; e++) {
    const control = { n: 0, sum: 0 };
    const treatment = { n: 0, sum: 0 };
    let fixedHit = false;
    let sequentialHit = false;
    for (let day = 1; day <= looks; day++) {
      control.n += USERS_PER_ARM_PER_DAY;
      control.sum += conversions(random, USERS_PER_ARM_PER_DAY);
      treatment.n += USERS_PER_ARM_PER_DAY;
      treatment.sum += conversions(random, USERS_PER_ARM_PER_DAY);
      fixedHit ||= isSignificant(control, treatment, false);
      sequentialHit ||= isSignificant(control, treatment, true);
      if (day === looks && isSignificant(control, treatment, false)) fixedOnce++;
    }
    if (fixedHit) fixedPeeking++;
    if (sequentialHit) sequentialPeeking++;
  }
  const rate = (count: number) => count / experiments;
  console.log(
    `A/A, ${experiments} experiments, ${looks} daily looks: fixed one look ${rate(fixedOnce)}, ` +
      `fixed any look ${rate(fixedPeeking)}, sequential any look ${rate(sequentialPeeking)}`,
  );
  assert.ok(rate(fixedOnce) <= 0.07, 'one planned look keeps the nominal 5 %');
  assert.ok(rate(fixedPeeking) >= 0.12, 'peeking at a fixed-horizon test inflates false positives');
  assert.ok(rate(sequentialPeeking) <= 0.05, 'the always-valid test holds 5 % across all looks');
});

/** Share of `experiments` null experiments of `arms` arms against one control with any p < ALPHA: uncorrected, Holm. */
function familyWiseRates(seed: number, arms: number, experiments = 1000, users = 2000) {
  const random = seededRandom(seed);
  let uncorrected = 0;
  let holm = 0;
  for (let e = 0; e < experiments; e++) {
    const control = { n: users, sum: conversions(random, users) };
    const pValues: (number | null)[] = [];
    for (let arm = 0; arm < arms; arm++) {
      const treatment = { n: users, sum: conversions(random, users) };
      pValues.push(frequentistTest({ kind: 'proportion', control, treatment }, { scale: 'relative' }).p_value);
    }
    if (pValues.some((p) => p !== null && p < ALPHA)) uncorrected++;
    if (holmBonferroni(pValues).some((p) => p !== null && p < ALPHA)) holm++;
  }
  console.log(
    `A/A, ${experiments} experiments with ${arms} null arms: any false positive uncorrected ` +
      `${uncorrected / experiments}, Holm ${holm / experiments}`,
  );
  return { uncorrected: uncorrected / experiments, holm: holm / experiments };
}

test('Holm-Bonferroni keeps the family-wise false-positive rate of 9 null arms near 5 %', () => {
  const { uncorrected, holm } = familyWiseRates(9, 9);
  assert.ok(uncorrected >= 0.2, 'nine uncorrected tests give a false positive far more often');
  assert.ok(holm <= 0.06, 'Holm holds the family-wise rate near 5 %');
});

test('Holm-Bonferroni keeps the family-wise false-positive rate of 5 null arms at or under 5 %', () => {
  const { uncorrected, holm } = familyWiseRates(5, 5);
  assert.ok(uncorrected >= 0.12, 'five uncorrected tests give a false positive far more often');
  assert.ok(holm <= 0.05, 'Holm holds the family-wise rate at or under 5 %');
});

test.run();
