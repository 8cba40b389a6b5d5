/**
 * Power of a running two-arm comparison: the minimum detectable relative effect at the current sample size, and
 * about how many more days of traffic a target effect needs before the test has the requested power.
 */
import { effectMoments } from './effect-moments.js';
import type { FallbackReason } from './fallback-reason.js';
import type { FrequentistMethod } from './frequentist-test.js';
import { normalQuantile } from './normal.js';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialHalfWidth } from './sequential-test.js';
import type { TwoArmSummaries } from './summary-statistics.js';
import { DEFAULT_ALPHA, isAlpha, isPositive } from './test-options.js';

/** Power asked of a test unless given: 0.8. */
export const DEFAULT_POWER = 0.8;

/** Where the target effect of {@link PowerEstimate} came from: given by the caller, or the observed effect. */
export type TargetSource = 'stated' | 'observed';

/** Options of {@link powerEstimate}; every field has a default. */
export interface PowerOptions {
  /** Default `fixed`; `sequential` plans with the always-valid interval's half-width. */
  method?: FrequentistMethod;
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Wanted probability of a significant result when the target effect is real, default 0.8. */
  power?: number;
  /** Sequential tuning parameter N*, default 5000. */
  sequential_tuning?: number;
  /** Users of both arms added per day so far; without it (or at 0) `days_to_power` is null. */
  users_per_day?: number;
  /** Relative effect to plan for; default (null or absent): the observed effect, when it is not 0. */
  target_effect?: number | null;
}

/** Power of one comparison on the relative scale; `reason` says why `mde_relative` is null, when it is. */
export interface PowerEstimate {
  method: FrequentistMethod;
  /** Smallest relative effect (either sign) detected with the requested power at the current users. */
  mde_relative: number | null;
  /** More days at the current daily users until the target effect has the requested power; 0 when it has. */
  days_to_power: number | null;
  /** The relative effect `days_to_power` plans for. */
  target_effect: number | null;
  target_source: TargetSource | null;
  reason: FallbackReason | null;
}

/** Users (both arms) beyond which a plan is not worth stating: days_to_power is null past it. */
const MAX_PLANNED_USERS = 1e12;

/**
 * Minimum detectable relative effect after `users` users in all, when `variance` is the relative effect's variance
 * after `n` users (it falls as 1/users, the arms keeping their split). Fixed: (z₁₋α/₂ + z_power) · se, the
 * textbook normal-approximation power. Sequential: the always-valid half-width at `users` + z_power · se, because
 * the estimate must clear the wider always-valid boundary rather than z₁₋α/₂ · se.
 */
function mdeAt(
  users: number,
  variance: number,
  n: number,
  options: Required<Omit<PowerOptions, 'users_per_day' | 'target_effect'>>,
): number {
  const scaled = (variance * n) / users;
  const zPower = normalQuantile(options.power);
  const boundary =
    options.method === 'sequential'
      ? sequentialHalfWidth(scaled, users, options.alpha, options.sequential_tuning)
      : normalQuantile(1 - options.alpha / 2) * Math.sqrt(scaled);
  return boundary + zPower * Math.sqrt(scaled);
}

/** Smallest total users at which mdeAt ≤ target (mdeAt falls with users), or null past MAX_PLANNED_USERS. */
function usersForEffect(
  target: number,
  variance: number,
  n: number,
  options: Required<Omit<PowerOptions, 'users_per_day' | 'target_effect'>>,
): number | null {
  if (mdeAt(n, variance, n, options) <= target) return n;
  if (options.method === 'fixed') {
    // Closed form: se² · users is constant, so users = n · (mde(n) / target)².
    const ratio = mdeAt(n, variance, n, options) / target;
    const users = n * ratio * ratio;
    return users > MAX_PLANNED_USERS ? null : users;
  }
  if (mdeAt(MAX_PLANNED_USERS, variance, n, options) > target) return null;
  // Bisection on log(users): the sequential half-width has no closed-form inverse.
  let low = Math.log(n);
  let high = Math.log(MAX_PLANNED_USERS);
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (mdeAt(Math.exp(mid), variance, n, options) > target) low = mid;
    else high = mid;
  }
  return Math.exp(high);
}

/**
 * Power of treatment against control from their summary statistics, on the relative scale with the frequentist
 * test's variance (delta method, the observed per-user variances). Never throws: unusable data or options give a
 * null MDE and a `reason`; `days_to_power` is null without a positive `users_per_day`, without a non-zero target,
 * or when the plan needs more than 10¹² users.
 * @example
 * powerEstimate(
 *   { kind: 'mean', control: { n: 1000, sum: 10_000, sum_squares: 100_999 }, treatment: { n: 1000, sum: 10_000, sum_squares: 100_999 } },
 *   { target_effect: 0.01, users_per_day: 200 },
 * ) // { mde_relative: ≈ 0.01253, days_to_power: 6, target_source: 'stated', … }
 */
export function powerEstimate(input: TwoArmSummaries, options: PowerOptions = {}): PowerEstimate {
  const settings = {
    method: options.method ?? 'fixed',
    alpha: options.alpha ?? DEFAULT_ALPHA,
    power: options.power ?? DEFAULT_POWER,
    sequential_tuning: options.sequential_tuning ?? DEFAULT_SEQUENTIAL_TUNING,
  };
  const stated = options.target_effect ?? null;
  const empty = (reason: FallbackReason): PowerEstimate => ({
    method: settings.method,
    mde_relative: null,
    days_to_power: null,
    target_effect: stated,
    target_source: stated === null ? null : 'stated',
    reason,
  });
  const usableStated = stated === null || Number.isFinite(stated);
  if (
    !isAlpha(settings.alpha) ||
    !isAlpha(settings.power) ||
    !isPositive(settings.sequential_tuning) ||
    !usableStated
  ) {
    return empty('invalid_options');
  }
  const moments = effectMoments(input, 'relative');
  if (typeof moments === 'string') return empty(moments);
  const { variance, n } = moments;
  const target = stated ?? (moments.effect === 0 ? null : moments.effect);
  const perDay = options.users_per_day ?? 0;
  const users =
    target === null || target === 0 || !isPositive(perDay)
      ? null
      : usersForEffect(Math.abs(target), variance, n, settings);
  return {
    method: settings.method,
    mde_relative: mdeAt(n, variance, n, settings),
    days_to_power: users === null ? null : Math.ceil((users - n) / perDay),
    target_effect: target,
    target_source: target === null ? null : stated === null ? 'observed' : 'stated',
    reason: null,
  };
}
