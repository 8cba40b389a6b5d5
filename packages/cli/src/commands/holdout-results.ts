/**
 * `calicritters holdouts results <key>`: a holdout's held-out users against its exposed users, per metric, from the
 * experiments rollup — in the database directly, or through a running server's `GET /v1/holdouts/:key/results`
 * (which needs the dashboard token). `--method` and `--target-effect` pass on as the endpoint's `method` and
 * `target_effect`. `--json` prints the endpoint's answer as it is.
 */
import {
  MAX_WINDOW_DAYS,
  MIN_WINDOW_DAYS,
  type FrequentistMethod,
  type HoldoutResults,
  type PowerEstimate,
} from '@ab-calicritters/core';
import { CliError } from '../cli-error.js';
import { asCliErrors } from './overrides.js';
import { formatTable } from './rule-table.js';

/** How the comparisons are tested and planned; a holdout stores neither. */
export interface HoldoutAnalysisOptions {
  /** Default `sequential` (the server's default for a holdout). */
  method?: FrequentistMethod;
  /** The relative effect the power plans for (0.05: 5 %); default each comparison's observed effect. */
  targetEffect?: number;
}

/** Where the results come from: `readHoldoutResults` over storage, or {@link holdoutResultsFromServer}. */
export interface HoldoutResultsSource {
  /** The holdout's results for one window length; null when the holdout does not exist. */
  holdoutResults(key: string, windowDays: number, options: HoldoutAnalysisOptions): Promise<HoldoutResults | null>;
}

/** As the server's `target_effect`: a relative effect of zero has no power to plan for. */
const MAX_TARGET_EFFECT = 100;

/**
 * The results, or exit 1 naming the key when there is no such holdout; a window or target effect out of range is
 * exit 2 naming the flag.
 */
export async function showHoldoutResults(
  source: HoldoutResultsSource,
  key: string,
  windowDays: number,
  options: HoldoutAnalysisOptions = {},
): Promise<HoldoutResults> {
  if (!Number.isInteger(windowDays) || windowDays < MIN_WINDOW_DAYS || windowDays > MAX_WINDOW_DAYS) {
    throw new CliError(`--window-days must be a whole number from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}`, 2);
  }
  const { targetEffect } = options;
  if (
    targetEffect !== undefined &&
    (!Number.isFinite(targetEffect) || targetEffect === 0 || Math.abs(targetEffect) > MAX_TARGET_EFFECT)
  ) {
    throw new CliError(
      `--target-effect must be a non-zero relative effect from -${MAX_TARGET_EFFECT} to ${MAX_TARGET_EFFECT} (0.05: +5 %)`,
      2,
    );
  }
  const results = await asCliErrors(() => source.holdoutResults(key, windowDays, options));
  if (!results) throw new CliError(`Holdout '${key}' does not exist`, 1);
  return results;
}

/**
 * A running server's results endpoint. `token` is its DASHBOARD_TOKEN.
 * @example await showHoldoutResults(holdoutResultsFromServer({ url, token }), 'h2', 7)
 */
export function holdoutResultsFromServer(options: {
  url: string;
  token: string;
  fetch?: typeof fetch;
}): HoldoutResultsSource {
  const send = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  return {
    async holdoutResults(key, windowDays, { method, targetEffect }) {
      const query = new URLSearchParams({ window_days: String(windowDays) });
      if (method !== undefined) query.set('method', method);
      if (targetEffect !== undefined) query.set('target_effect', String(targetEffect));
      const target = `${base}/v1/holdouts/${encodeURIComponent(key)}/results?${query.toString()}`;
      let response: Response;
      try {
        response = await send(target, { headers: { 'x-dashboard-token': options.token } });
      } catch (error) {
        throw new CliError(`Cannot reach ${base}: ${(error as Error).message}`, 1);
      }
      if (response.status === 404) return null;
      const body = (await response.json().catch(() => undefined)) as
        (HoldoutResults & { error?: { message?: string } }) | undefined;
      if (!response.ok) {
        const message = body?.error?.message ?? response.statusText;
        throw new CliError(`${response.status} from ${base}: ${message}`, response.status < 500 ? 2 : 1);
      }
      return body as HoldoutResults;
    },
  };
}

const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;
const signedPct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
/** Days until the planned effect has 80 % power: "reached", "~6 days", or "–" when out of reach or unknown. */
const powerDays = (power: PowerEstimate | undefined): string => {
  const days = power?.days_to_power;
  if (days === null || days === undefined) return '–';
  return days === 0 ? 'reached' : `~${days} day${days === 1 ? '' : 's'}`;
};
const pValue = (p: number | null | undefined): string =>
  p === null || p === undefined ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3);

/** "sequential test" or "fixed-horizon test", and whether --method chose it. */
function testName(results: HoldoutResults): string {
  const analysis = results.analysis;
  const name = analysis?.method === 'fixed' ? 'fixed-horizon test' : 'sequential test';
  return analysis?.source === 'request' ? `${name} (--method)` : name;
}

/**
 * A header (with the test the intervals and p-values come from), the users per arm with the sample-ratio check, and
 * one line per metric: conversion, lift, p-value and the days to 80 % power.
 */
export function formatHoldoutResults(results: HoldoutResults): string {
  const { holdout: h } = results;
  const scope = h.all_experiments ? 'all experiments' : h.experiment_keys.join(', ');
  const lines = [
    `Holdout ${h.key}${h.name ? ` (${h.name})` : ''}: ${pct(h.share)} held out of ${scope}; ${h.status}`,
    `Window ${results.window_days} day(s), ${testName(results)}, computed ${results.computed_at ?? 'never (run `calicritters rollup`)'}`,
    `Users: ${results.assignments.map((a) => `${a.variant} ${a.assigned_users} (expected ${pct(a.expected_share)})`).join(', ')}` +
      (results.sample_ratio.srm ? ' — SAMPLE RATIO MISMATCH: do not trust these results' : ''),
  ];
  if (results.metrics.length === 0) return [...lines, 'No metrics yet.'].join('\n');
  const rows = results.metrics.map((m) => {
    const { control, variants } = m.conversion;
    const exposed = variants[0];
    return [
      m.metric,
      pct(control.estimate),
      pct(exposed?.estimate),
      signedPct(exposed?.lift),
      `${signedPct(exposed?.lift_ci_lower)} … ${signedPct(exposed?.lift_ci_upper)}`,
      pValue(exposed?.p_value),
      powerDays(m.power?.conversion[0]),
    ];
  });
  const table = formatTable(['METRIC', 'HOLDOUT', 'EXPOSED', 'LIFT', '95% CI', 'P', '80% POWER'], rows);
  return [...lines, table].join('\n');
}
