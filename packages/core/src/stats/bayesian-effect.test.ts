import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bayesianTest, DEFAULT_PROPER_PRIOR, frequentistTest, normalRisk, type TwoArmSummaries } from '../index.js';
import { normalCdf } from './normal.js';

function close(actual: number | null | undefined, expected: number, tolerance = 1e-12): void {
  assert.ok(actual != null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

const input: TwoArmSummaries = {
  kind: 'proportion',
  control: { n: 1000, sum: 200 },
  treatment: { n: 1000, sum: 250 },
};

test('with a flat prior the posterior is the likelihood: effect 0.25, sd √0.0109375, normal interval', () => {
  const result = bayesianTest(input);
  const sd = Math.sqrt(0.0109375);
  assert.is(result.prior, 'flat');
  close(result.effect, 0.25);
  close(result.std_error, sd);
  close(result.ci?.[0], 0.25 - 1.959963984540054 * sd);
  close(result.chance_to_win, normalCdf(0.25 / sd));
});

test('the proper prior N(0, 0.09) shrinks the effect by precision weighting', () => {
  const result = bayesianTest(input, { prior: DEFAULT_PROPER_PRIOR });
  const precision = 1 / 0.0109375 + 1 / 0.09;
  close(result.effect, 0.25 / 0.0109375 / precision);
  close(result.std_error, Math.sqrt(1 / precision));
  assert.is(result.prior, 'proper');
});

test('on the absolute scale the prior is scaled by control’s mean', () => {
  const absolute = bayesianTest(input, { scale: 'absolute', prior: DEFAULT_PROPER_PRIOR });
  const variance = (frequentistTest(input, { scale: 'absolute' }).std_error ?? 0) ** 2;
  const precision = 1 / variance + 1 / (0.09 * 0.04);
  close(absolute.effect, 0.05 / variance / precision);
});

test('risk is the expected loss of each choice: E[max(δ, 0)] for control, E[max(−δ, 0)] for treatment', () => {
  // Standard normal: both are φ(0) = 1/√(2π).
  close(normalRisk(0, 1)[0], 1 / Math.sqrt(2 * Math.PI));
  close(normalRisk(0, 1)[1], 1 / Math.sqrt(2 * Math.PI));
  // E[max(δ, 0)] − E[max(−δ, 0)] = E[δ]
  const [control, treatment] = normalRisk(0.3, 0.2);
  close(control - treatment, 0.3);
  // Far from 0 the losing side's risk vanishes instead of going negative.
  assert.equal(normalRisk(50, 1), [50, 0]);
});

test('unusable data or prior give nulls with a reason', () => {
  assert.is(bayesianTest(input, { prior: { mean: 0, variance: 0 } }).reason, 'invalid_options');
  const zero: TwoArmSummaries = { kind: 'proportion', control: { n: 10, sum: 0 }, treatment: { n: 10, sum: 1 } };
  const result = bayesianTest(zero);
  assert.is(result.reason, 'baseline_zero');
  assert.is(result.chance_to_win, null);
  assert.is(bayesianTest(zero, { scale: 'absolute', prior: DEFAULT_PROPER_PRIOR }).reason, 'baseline_zero');
});

test.run();
