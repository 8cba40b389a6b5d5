/**
 * Power of the comparisons in an experiment's results: core's powerEstimate given the daily users observed so far,
 * so each metric says its minimum detectable effect now and about how many more days a target effect needs.
 */
import { powerEstimate, type FrequentistMethod, type PowerEstimate, type TwoArmSummaries } from '@ab-calicritters/core';

const DAY_MS = 86_400_000;

/**
 * How one results request tests and plans, shared by all its comparisons: the method, alpha and tuning (the
 * experiment's stored analysis or the request's `method`) and what power estimates need besides.
 */
export interface AnalysisSettings {
  method: FrequentistMethod;
  /** When the experiment started collecting users (its creation). */
  started_at: string;
  now: Date;
  /** Relative effect to plan for; null: each comparison's observed effect. */
  target_effect: number | null;
  /** Two-sided significance level of every test; default 0.05. */
  alpha?: number;
  /** Sequential tuning parameter N*; default 5000. */
  sequential_tuning?: number;
  /** Prior of the catalog metrics' Bayesian statistics; default flat. */
  prior?: 'flat' | 'proper';
}

/**
 * Days the window has been collecting users: from the later of the window's start and the experiment's start to
 * the earlier of now and the window's end. Null without a window, or before any time has passed.
 */
function observedDays(windowStart: string | null, windowEnd: string | null, settings: AnalysisSettings): number | null {
  if (windowStart === null || windowEnd === null) return null;
  const to = Math.min(Date.parse(windowEnd), settings.now.getTime());
  const started = Date.parse(settings.started_at);
  // A start after `to` cannot have collected these users (rows imported or rolled up under another clock): the
  // window's start is then the only bound known.
  const from = started < to ? Math.max(Date.parse(windowStart), started) : Date.parse(windowStart);
  const days = (to - from) / DAY_MS;
  return Number.isFinite(days) && days > 0 ? days : null;
}

/** A function estimating one comparison's power inside a window (its users per day come from the window). */
export function windowPower(
  windowStart: string | null,
  windowEnd: string | null,
  settings: AnalysisSettings,
): (input: TwoArmSummaries) => PowerEstimate {
  const days = observedDays(windowStart, windowEnd, settings);
  return (input) => {
    const users = input.control.n + input.treatment.n;
    return powerEstimate(input, {
      method: settings.method,
      alpha: settings.alpha,
      sequential_tuning: settings.sequential_tuning,
      target_effect: settings.target_effect,
      ...(days === null ? {} : { users_per_day: users / days }),
    });
  };
}
