import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { powerEstimate, sequentialHalfWidth, sequentialRho } from '../index.js';
import { normalQuantile } from './normal.js';

// z₀.₉₇₅ and z₀.₈ (scipy.stats.norm.ppf): their sum is the textbook (z₁₋α/₂ + z₁₋β) at α = 0.05, power 0.8.
const Z_ALPHA = 1.959963984540054;
const Z_POWER = 0.8416212335729143;

/** n users per arm with mean 10 and sample variance 1: Σx = 10n, Σx² = (n − 1) + (10n)²/n. */
const meanArm = (n: number, mean = 10) => ({ n, sum: mean * n, sum_squares: n - 1 + mean * mean * n });
const equalMeans = { kind: 'mean', control: meanArm(1000), treatment: meanArm(1000) } as const;

const close = (actual: number | null, expected: number, tolerance = 1e-9) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance * Math.abs(expected),
    `${actual} vs ${expected}`,
  );

test('z quantiles are the tabulated ones', () => {
  close(normalQuantile(0.975), Z_ALPHA, 1e-12);
  close(normalQuantile(0.8), Z_POWER, 1e-12);
});

test('fixed MDE of equal means is (z₀.₉₇₅ + z₀.₈) σ √(2/n) / μ, the textbook formula solved for δ', () => {
  // σ = 1, n = 1000 per arm, μ = 10: δ = 2.80159 · √0.002 = 0.125291 absolute, 0.0125291 relative.
  const result = powerEstimate(equalMeans);
  close(result.mde_relative, ((Z_ALPHA + Z_POWER) * Math.sqrt(2 / 1000)) / 10);
  close(result.mde_relative, 0.01252907, 1e-7);
  assert.is(result.method, 'fixed');
  assert.is(result.reason, null);
});

test('days to power come from n = 2(z₁₋α/₂ + z₁₋β)² σ² / δ² per arm at the current daily users', () => {
  // δ = 1 % of 10 = 0.1: n = 2 · 2.80159² / 0.01 = 1569.78 per arm, 3139.55 in all; 2000 so far.
  const perArm = (2 * (Z_ALPHA + Z_POWER) ** 2) / 0.1 ** 2;
  close(perArm, 1569.776, 1e-6);
  const result = powerEstimate(equalMeans, { target_effect: 0.01, users_per_day: 200 });
  assert.is(result.days_to_power, Math.ceil((2 * perArm - 2000) / 200)); // 1139.55 / 200 → 6
  assert.is(result.days_to_power, 6);
  assert.is(result.target_effect, 0.01);
  assert.is(result.target_source, 'stated');
  assert.is(powerEstimate(equalMeans, { target_effect: -0.01, users_per_day: 1 }).days_to_power, 1140);
});

test('a target already within reach needs 0 more days', () => {
  assert.is(powerEstimate(equalMeans, { target_effect: 0.05, users_per_day: 10 }).days_to_power, 0);
});

test('conversion MDE uses the Bernoulli variance p(1 − p): 10 % on 5000 users per arm', () => {
  // Var(relative) = (0.09/5000 + 0.09/5000) / 0.1² = 0.0036, se = 0.06: MDE = 2.80159 · 0.06 = 0.168095.
  const input = { kind: 'proportion', control: { n: 5000, sum: 500 }, treatment: { n: 5000, sum: 500 } } as const;
  close(powerEstimate(input).mde_relative, (Z_ALPHA + Z_POWER) * 0.06);
});

test('the target defaults to the observed effect, and to none when the observed effect is 0', () => {
  const input = { kind: 'proportion', control: { n: 2000, sum: 200 }, treatment: { n: 2000, sum: 220 } } as const;
  const observed = powerEstimate(input, { users_per_day: 400 });
  close(observed.target_effect, 0.1, 1e-12);
  assert.is(observed.target_source, 'observed');
  // Var(relative) = (0.11·0.89/2000 + 1.1²·0.09/2000) / 0.01; users needed = 4000 · (MDE / 0.1)².
  const variance = ((0.11 * 0.89) / 2000 + (1.21 * 0.09) / 2000) / 0.01;
  const users = 4000 * (((Z_ALPHA + Z_POWER) * Math.sqrt(variance)) / 0.1) ** 2;
  assert.is(observed.days_to_power, Math.ceil((users - 4000) / 400));
  const none = powerEstimate(equalMeans, { users_per_day: 400 });
  assert.is(none.target_effect, null);
  assert.is(none.target_source, null);
  assert.is(none.days_to_power, null);
});

test('sequential MDE is the always-valid half-width plus z₀.₈ · se, wider than the fixed one', () => {
  const variance = 2e-5; // (1/1000 + 1/1000) / 10²
  const rho = sequentialRho(0.05, 5000);
  const spread = 2000 * rho * rho + 1;
  const halfWidth =
    Math.sqrt(variance * 2000) * Math.sqrt((2 * spread * Math.log(Math.sqrt(spread) / 0.05)) / (2000 * rho) ** 2);
  close(sequentialHalfWidth(variance, 2000, 0.05, 5000), halfWidth, 1e-12);
  const sequential = powerEstimate(equalMeans, { method: 'sequential' });
  close(sequential.mde_relative, halfWidth + Z_POWER * Math.sqrt(variance));
  assert.ok((sequential.mde_relative as number) > (powerEstimate(equalMeans).mde_relative as number));
});

test('sequential days to power land where the planned MDE reaches the target', () => {
  const result = powerEstimate(equalMeans, { method: 'sequential', target_effect: 0.01, users_per_day: 1 });
  const days = result.days_to_power as number;
  const mdeAfter = (extra: number) => {
    const users = 2000 + extra;
    const variance = (2e-5 * 2000) / users;
    return sequentialHalfWidth(variance, users, 0.05, 5000) + Z_POWER * Math.sqrt(variance);
  };
  assert.ok(mdeAfter(days) <= 0.01 && mdeAfter(days - 1) > 0.01, String(days));
  // The always-valid plan needs more users than the fixed one (1140 days at one user a day).
  assert.ok(days > 1140);
});

test('no days without daily users; a null MDE and a reason for unusable data or options', () => {
  assert.is(powerEstimate(equalMeans, { target_effect: 0.01 }).days_to_power, null);
  assert.is(powerEstimate(equalMeans, { target_effect: 0.01, users_per_day: 0 }).days_to_power, null);
  const tiny = { kind: 'mean', control: meanArm(1), treatment: meanArm(1) } as const;
  assert.is(powerEstimate(tiny).reason, 'too_few_units');
  assert.is(powerEstimate(tiny).mde_relative, null);
  assert.is(powerEstimate(equalMeans, { power: 1 }).reason, 'invalid_options');
  assert.is(powerEstimate(equalMeans, { target_effect: Number.NaN }).reason, 'invalid_options');
  const zero = { kind: 'proportion', control: { n: 100, sum: 0 }, treatment: { n: 100, sum: 5 } } as const;
  assert.is(powerEstimate(zero).reason, 'baseline_zero');
});

test.run();
