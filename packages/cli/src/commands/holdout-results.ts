/**
 * `calicritters holdouts results <key>`: a holdout's held-out users against its exposed users, per metric, from the
 * experiments rollup — in the database directly, or through a running server's `GET /v1/holdouts/:key/results`
 * (which needs the dashboard token). `--json` prints the endpoint's answer as it is.
 */
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, type HoldoutResults } from '@ab-calicritters/core';
import { CliError } from '../cli-error.js';
import { asCliErrors } from './overrides.js';
import { formatTable } from './rule-table.js';

/** Where the results come from: `readHoldoutResults` over storage, or {@link holdoutResultsFromServer}. */
export interface HoldoutResultsSource {
  /** The holdout's results for one window length; null when the holdout does not exist. */
  holdoutResults(key: string, windowDays: number): Promise<HoldoutResults | null>;
}

/** The results, or exit 1 naming the key when there is no such holdout; a window out of range is exit 2. */
export async function showHoldoutResults(
  source: HoldoutResultsSource,
  key: string,
  windowDays: number,
): Promise<HoldoutResults> {
  if (!Number.isInteger(windowDays) || windowDays < MIN_WINDOW_DAYS || windowDays > MAX_WINDOW_DAYS) {
    throw new CliError(`--window-days must be a whole number from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}`, 2);
  }
  const results = await asCliErrors(() => source.holdoutResults(key, windowDays));
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
    async holdoutResults(key, windowDays) {
      const target = `${base}/v1/holdouts/${encodeURIComponent(key)}/results?window_days=${windowDays}`;
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
const pValue = (p: number | null | undefined): string =>
  p === null || p === undefined ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3);

/** A header, the users per arm with the sample-ratio check, and one line per metric (conversion, lift, p-value). */
export function formatHoldoutResults(results: HoldoutResults): string {
  const { holdout: h } = results;
  const scope = h.all_experiments ? 'all experiments' : h.experiment_keys.join(', ');
  const lines = [
    `Holdout ${h.key}${h.name ? ` (${h.name})` : ''}: ${pct(h.share)} held out of ${scope}; ${h.status}`,
    `Window ${results.window_days} day(s), computed ${results.computed_at ?? 'never (run `calicritters rollup`)'}`,
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
    ];
  });
  const table = formatTable(['METRIC', 'HOLDOUT', 'EXPOSED', 'LIFT', '95% CI', 'P'], rows);
  return [...lines, table].join('\n');
}
