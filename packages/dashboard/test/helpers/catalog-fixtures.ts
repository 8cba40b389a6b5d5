/**
 * Catalog-metric results for the dashboard's unit and browser tests, in one place: a variant and a metric with
 * plausible defaults each test overrides, and cumulative effect series (the `series=cumulative` answer) of a
 * paywall experiment over five days.
 */
import type { CatalogMetricResult, CatalogSeriesPoint, CatalogVariantResult } from '@ab-calicritters/core';

/** A significant win of `urgency` over control; override what a test is about. */
export const catalogVariant = (over: Partial<CatalogVariantResult> = {}): CatalogVariantResult => ({
  variant: 'urgency',
  exposed_users: 120,
  mean: 1.2,
  relative_effect: 0.2,
  relative_ci: [0.1, 0.3],
  absolute_effect: 0.2,
  absolute_ci: [0.1, 0.3],
  p_value: 0.001,
  adjusted_p_value: 0.001,
  goal_adjusted_p_value: 0.002,
  chance_to_win: 0.999,
  cuped_variance_reduction: 0.42,
  guardrail_status: null,
  verdict: 'win',
  reason: null,
  ...over,
});

/** A goal metric (`net_revenue`, higher is better) with one variant. */
export const catalogMetric = (over: Partial<CatalogMetricResult> = {}): CatalogMetricResult => ({
  key: 'net_revenue',
  name: null,
  kind: 'sum',
  role: 'goal',
  direction: 'higher',
  cuped: false,
  control: { variant: 'control', exposed_users: 118, mean: 1 },
  variants: [catalogVariant()],
  ...over,
});

/** One day of a series: `[effect, lower, upper]` as fractions (null: no estimate that day), users so far. */
type Day = [effect: number | null, lower: number | null, upper: number | null, exposed: number, control: number];

function series(firstDay: string, days: Day[]): CatalogSeriesPoint[] {
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  return days.map(([effect, lower, upper, exposed, control], i) => ({
    day: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    exposed_users: exposed,
    control_exposed_users: control,
    relative_effect: effect,
    relative_ci: lower === null || upper === null ? null : [lower, upper],
    reason: effect === null ? 'insufficient_data' : null,
  }));
}

/** The first day of {@link URGENCY_SERIES} and {@link SOCIAL_PROOF_SERIES}. */
export const SERIES_FIRST_DAY = '2026-11-24';

/**
 * `urgency`: too few users on the first day for an estimate, then a wide interval that narrows onto about +20 %.
 * The second day's interval (−150 % to +250 %) is far wider than the rest, as early days are.
 */
export const URGENCY_SERIES = series(SERIES_FIRST_DAY, [
  [null, null, null, 4, 5],
  [0.5, -1.5, 2.5, 30, 31],
  [0.3, -0.1, 0.7, 61, 60],
  [0.24, 0.04, 0.44, 95, 97],
  [0.2, 0.1, 0.3, 120, 118],
]);

/** `social_proof`: hovers around zero, its interval always spanning it. */
export const SOCIAL_PROOF_SERIES = series(SERIES_FIRST_DAY, [
  [null, null, null, 3, 5],
  [-0.2, -1.2, 0.8, 28, 31],
  [0.05, -0.35, 0.45, 57, 60],
  [0.02, -0.2, 0.24, 90, 97],
  [0.01, -0.12, 0.14, 115, 118],
]);

/** `net_revenue` with both variants and their series: what `series=cumulative` adds to a results row. */
export const catalogMetricWithSeries = (over: Partial<CatalogMetricResult> = {}): CatalogMetricResult =>
  catalogMetric({
    variants: [
      catalogVariant({ series: URGENCY_SERIES }),
      catalogVariant({
        variant: 'social_proof',
        exposed_users: 115,
        relative_effect: 0.01,
        relative_ci: [-0.12, 0.14],
        verdict: 'inconclusive',
        series: SOCIAL_PROOF_SERIES,
      }),
    ],
    ...over,
  });
