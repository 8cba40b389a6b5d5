/**
 * The cumulative effect series of an experiment's catalog metrics (`series=cumulative`): day by day, each variant
 * against control over the users first exposed up to the end of that day (UTC), each with their value as the latest
 * metrics run sees it. The metrics rollup's rows per first-exposure day add up (a user is in one day only), so a
 * day's summaries are the running sums of the days so far, and the last day's are the window row's. Each point is one
 * core `frequentistTest` of the same summaries the results row builds (catalog-results.ts), relative scale, with the
 * results' method, alpha and tuning: the sequential band holds at every day at once, the fixed one only at a planned
 * end. Nothing statistical is computed here.
 */
import {
  frequentistTest,
  type CatalogMetricResult,
  type CatalogSeriesPoint,
  type ExperimentRecord,
  type FrequentistOptions,
  type MetricRecord,
} from '@ab-calicritters/core';
import { ROLLUP_NUMBERS, type CatalogDailyRollupRow, type CatalogRollupRow } from '../storage/metric-store.js';
import type { Storage } from '../storage/storage.js';
import { armSummary, summaries, type CatalogResults } from './catalog-results.js';

/** The values of the results' `series` query parameter. */
export const SERIES_KINDS = ['cumulative'] as const;

/** The exposed-users pseudo-metric of the metrics rollup. */
const EXPOSED = '$exposure';

const DAY_MS = 86_400_000;

/** Every UTC day from `first` to `last` (YYYY-MM-DD), both included. */
function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** One metric and variant's rows summed up to each of `days`; undefined before its first row. */
function runningRows(rows: readonly CatalogDailyRollupRow[], days: readonly string[]) {
  let sum: CatalogRollupRow | undefined;
  let next = 0;
  return days.map((day) => {
    for (; next < rows.length && rows[next]!.day <= day; next++) {
      const row = rows[next]!;
      const total: CatalogRollupRow = { ...(sum ?? row) };
      if (sum) for (const column of ROLLUP_NUMBERS) total[column] += row[column];
      sum = total;
    }
    return sum;
  });
}

/** An arm's running rows of the metric and of its exposed users, one per day. */
interface RunningArm {
  rows: Array<CatalogRollupRow | undefined>;
  exposed: Array<CatalogRollupRow | undefined>;
}

/** The points from the first day either arm has exposed users on. */
function seriesOf(
  metric: MetricRecord,
  days: readonly string[],
  control: RunningArm,
  treatment: RunningArm,
  tests: FrequentistOptions,
): CatalogSeriesPoint[] {
  const points: CatalogSeriesPoint[] = [];
  days.forEach((day, i) => {
    const controlUsers = control.exposed[i]?.exposed_users ?? 0;
    const users = treatment.exposed[i]?.exposed_users ?? 0;
    if (points.length === 0 && controlUsers + users === 0) return;
    const input = summaries(
      metric,
      armSummary(metric, control.rows[i], controlUsers),
      armSummary(metric, treatment.rows[i], users),
    );
    const { effect, ci, reason } = frequentistTest(input, { ...tests, scale: 'relative' });
    points.push({
      day,
      exposed_users: users,
      control_exposed_users: controlUsers,
      relative_effect: effect,
      relative_ci: ci,
      reason,
    });
  });
  return points;
}

/**
 * The catalog results with `series` on every variant of every metric, from the metrics rollup's daily rows of the same
 * window; `tests` are the results' method, alpha and sequential tuning.
 */
export async function withCumulativeSeries(
  storage: Storage,
  experiment: ExperimentRecord,
  windowDays: number,
  catalog: CatalogResults,
  tests: Pick<FrequentistOptions, 'method' | 'alpha' | 'sequential_tuning'>,
): Promise<CatalogResults> {
  const [metrics, rows] = await Promise.all([
    storage.metrics.getMany(catalog.catalog_metrics.map((m) => m.key)),
    storage.metrics.dailyRollupRows(experiment.key, windowDays),
  ]);
  const first = rows.reduce<string | undefined>(
    (min, r) => (min === undefined || r.day < min ? r.day : min),
    undefined,
  );
  // Through the window's last day (the day before its end), so the last point is the results row's.
  const last = rows[0] && new Date(Date.parse(rows[0].window_end) - DAY_MS).toISOString().slice(0, 10);
  const days = first && last ? daysFrom(first, last) : [];
  const running = (metricKey: string, variant: string) =>
    runningRows(
      rows.filter((r) => r.metric_key === metricKey && r.variant === variant),
      days,
    );
  const arm = (metricKey: string, variant: string): RunningArm => ({
    rows: running(metricKey, variant),
    exposed: running(EXPOSED, variant),
  });
  const withSeries = (m: CatalogMetricResult): CatalogMetricResult => {
    const metric = metrics.find((r) => r.key === m.key);
    if (!metric) return m;
    const control = arm(m.key, m.control.variant);
    return {
      ...m,
      variants: m.variants.map((v) => ({
        ...v,
        series: seriesOf(metric, days, control, arm(m.key, v.variant), tests),
      })),
    };
  };
  return { ...catalog, catalog_metrics: catalog.catalog_metrics.map(withSeries) };
}
