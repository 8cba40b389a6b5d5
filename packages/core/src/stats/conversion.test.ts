import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  binomialChanceToBeat,
  binomialEstimate,
  conversionChanceToBeat,
  conversionEstimate,
  twoProportionZTest,
} from '../index.js';

function close(actual: number | null, expected: number, tolerance = 1e-10): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('conversionEstimate gives the Wald interval worked by hand', () => {
  // p = 0.2, se = √(0.2 · 0.8 / 1000) = 0.01264911…, margin = 1.959964 · se = 0.0247918…
  const result = conversionEstimate({ users: 1000, conversions: 200 });
  close(result.estimate, 0.2, 1e-15);
  close(result.std_error, 0.0126491106406735, 1e-14);
  close(result.ci_lower, 0.1752082, 1e-6);
  close(result.ci_upper, 0.2247918, 1e-6);
});

test('conversionEstimate clips the interval to [0, 1]', () => {
  // p = 0.1, margin = 1.959964 · √(0.1 · 0.9 / 10) = 0.1859384 > p, so the lower end would be negative.
  const result = conversionEstimate({ users: 10, conversions: 1 });
  assert.is(result.ci_lower, 0);
  close(result.ci_upper, 0.2859384, 1e-6);
});

test('conversionEstimate returns nulls for no users or impossible counts, and no interval at rate 0', () => {
  assert.equal(conversionEstimate({ users: 0, conversions: 0 }), {
    users: 0,
    estimate: null,
    std_error: null,
    ci_lower: null,
    ci_upper: null,
  });
  assert.is(conversionEstimate({ users: 10, conversions: 11 }).estimate, null);
  assert.is(conversionEstimate({ users: 10, conversions: -1 }).estimate, null);
  assert.equal(conversionEstimate({ users: 50, conversions: 0 }), {
    users: 50,
    estimate: 0,
    std_error: 0,
    ci_lower: null,
    ci_upper: null,
  });
});

test('twoProportionZTest reproduces the pooled z-test worked by hand', () => {
  // 200/1000 vs 250/1000: pooled p̂ = 450/2000 = 0.225, se = √(0.225 · 0.775 · 0.002) = 0.0186748…,
  // z = 0.05 / se = 2.6773977630083294, p = 2 (1 - Φ(z)) = 0.007419649261025672 (scipy.stats.norm.sf · 2).
  const result = twoProportionZTest({ users: 1000, conversions: 200 }, { users: 1000, conversions: 250 });
  close(result.z, 2.6773977630083294, 1e-12);
  close(result.p_value, 0.007419649261025672, 1e-12);
});

test('twoProportionZTest is symmetric in sign and gives p = 1 for equal rates', () => {
  const result = twoProportionZTest({ users: 1000, conversions: 250 }, { users: 1000, conversions: 200 });
  close(result.z, -2.6773977630083294, 1e-12);
  close(twoProportionZTest({ users: 100, conversions: 10 }, { users: 300, conversions: 30 }).p_value, 1, 1e-15);
});

test('twoProportionZTest returns nulls when the pooled rate has no variance or an arm is empty', () => {
  assert.equal(twoProportionZTest({ users: 100, conversions: 0 }, { users: 100, conversions: 0 }), {
    z: null,
    p_value: null,
  });
  assert.equal(twoProportionZTest({ users: 0, conversions: 0 }, { users: 100, conversions: 5 }), {
    z: null,
    p_value: null,
  });
});

test('conversionChanceToBeat uses Beta(1 + x, 1 + n - x) posteriors', () => {
  // 0/1 vs 1/1: Beta(1, 2) vs Beta(2, 1), 5/6 by hand (see beta-chance-to-beat tests).
  close(conversionChanceToBeat({ users: 1, conversions: 0 }, { users: 1, conversions: 1 }), 5 / 6, 1e-14);
  // Beta(201, 801) vs Beta(251, 751), scipy.integrate.quad(beta.pdf · betaincc) = 0.9962833291304396.
  close(
    conversionChanceToBeat({ users: 1000, conversions: 200 }, { users: 1000, conversions: 250 }),
    0.9962833291304396,
    1e-9,
  );
  // Beta(101, 901) vs Beta(121, 881): 0.9231834389735597.
  close(
    conversionChanceToBeat({ users: 1000, conversions: 100 }, { users: 1000, conversions: 120 }),
    0.9231834389735597,
    1e-9,
  );
});

test('conversionChanceToBeat is null when an arm has no users', () => {
  assert.is(conversionChanceToBeat({ users: 0, conversions: 0 }, { users: 10, conversions: 1 }), null);
});

test('the deprecated binomial* names still answer as the conversion* functions', () => {
  assert.is(binomialEstimate, conversionEstimate);
  assert.is(binomialChanceToBeat, conversionChanceToBeat);
});

test.run();
