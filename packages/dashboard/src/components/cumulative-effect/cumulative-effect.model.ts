/**
 * What `<abc-cumulative-effect>` draws, from one catalog metric's `series`: the days, each variant's effect and
 * interval in percent, an axis range that keeps the settled days readable, and the words under the chart. Pure.
 */
import type { CatalogMetricResult, FrequentistMethod } from '@ab-calicritters/core';

/** One variant's line and band, one entry per day of {@link CumulativeTrend.days} (null: no estimate that day). */
export interface TrendVariant {
  variant: string;
  /** Index into the theme's chart colours: the variant's place in the definition (control, the first, is 0). */
  colorIndex: number;
  /** Relative effect in percent (12.5 is +12.5 %). */
  effect: Array<number | null>;
  lower: Array<number | null>;
  upper: Array<number | null>;
  exposedUsers: Array<number | null>;
  controlExposedUsers: Array<number | null>;
  reasons: Array<string | null>;
}

/** Why there is no chart, or `chart`. */
export type TrendState = 'chart' | 'no-series' | 'empty' | 'one-day' | 'no-estimates';

export interface CumulativeTrend {
  state: TrendState;
  /** UTC days (`YYYY-MM-DD`), oldest first: every day any variant has. */
  days: string[];
  variants: TrendVariant[];
  /** The y axis in percent: zero and the later half of the days (effects and bands) fit. */
  axis: { min: number; max: number; step: number };
  /** True when an early day's effect or interval runs past the axis. */
  clipped: boolean;
}

/** The colour index of a variant of a catalog metric: control is 0, the others follow in definition order. */
export function variantColorIndex(metric: CatalogMetricResult, variant: string): number {
  const index = metric.variants.findIndex((v) => v.variant === variant);
  return index + 1;
}

/** True when the server sent a series for any variant of the metric (older servers send none). */
function hasSeries(metric: CatalogMetricResult): boolean {
  return metric.variants.some((v) => Array.isArray(v.series));
}

// Rounded to 12 significant digits, so 0.3 reads as 30 and not 30.000000000000004.
const percent = (x: number | null | undefined) =>
  x == null || !Number.isFinite(x) ? null : Number((x * 100).toPrecision(12));

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= rough * (1 - 1e-9)) ?? 10 * power;
}

/**
 * The y range: zero and the effects and intervals of the later half of the days, padded and rounded outward to a
 * step of about five ticks. The first days, on a handful of users, swing and spread far more; fitting them would
 * flatten the days that matter, so they run past the edge instead and {@link CumulativeTrend.clipped} says so.
 */
function axisFor(variants: TrendVariant[], days: number): CumulativeTrend['axis'] & { clipped: boolean } {
  const settled = Math.floor(days / 2);
  const values = [0];
  for (const v of variants) {
    for (let i = settled; i < days; i++) {
      values.push(...[v.effect[i], v.lower[i], v.upper[i]].filter((x): x is number => x != null));
    }
  }
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1) [lo, hi] = [Math.min(lo, -0.5), Math.max(hi, 0.5)];
  const pad = (hi - lo) * 0.08;
  const step = niceStep((hi - lo + 2 * pad) / 5);
  const min = Math.floor((lo - pad) / step) * step;
  const max = Math.ceil((hi + pad) / step) * step;
  const outside = (x: number | null) => x !== null && (x < min || x > max);
  const clipped = variants.some((v) => [...v.effect, ...v.lower, ...v.upper].some(outside));
  return { min, max, step, clipped };
}

/** The metric's variants as lines and bands over the union of their days. */
export function cumulativeTrend(metric: CatalogMetricResult): CumulativeTrend {
  const days = [...new Set(metric.variants.flatMap((v) => (v.series ?? []).map((p) => p.day)))].sort();
  const variants = metric.variants.map((v): TrendVariant => {
    const byDay = new Map((v.series ?? []).map((p) => [p.day, p]));
    const at = days.map((d) => byDay.get(d));
    return {
      variant: v.variant,
      colorIndex: variantColorIndex(metric, v.variant),
      effect: at.map((p) => percent(p?.relative_effect)),
      lower: at.map((p) => percent(p?.relative_ci?.[0])),
      upper: at.map((p) => percent(p?.relative_ci?.[1])),
      exposedUsers: at.map((p) => p?.exposed_users ?? null),
      controlExposedUsers: at.map((p) => p?.control_exposed_users ?? null),
      reasons: at.map((p) => p?.reason ?? null),
    };
  });
  const estimated = days.filter((_, i) => variants.some((v) => v.effect[i] !== null)).length;
  const state: TrendState = !hasSeries(metric)
    ? 'no-series'
    : days.length === 0
      ? 'empty'
      : days.length === 1
        ? 'one-day'
        : estimated === 0
          ? 'no-estimates'
          : 'chart';
  const { clipped, ...axis } = axisFor(variants, days.length);
  return { state, days, variants, axis, clipped };
}

/** The short message shown instead of a chart. */
export function trendMessage(state: Exclude<TrendState, 'chart'>): string {
  switch (state) {
    case 'no-series':
      return 'No daily series: this server does not send them yet.';
    case 'empty':
      return 'No days to chart yet: nobody has been exposed.';
    case 'one-day':
      return 'One day so far: the trend needs at least two days.';
    case 'no-estimates':
      return 'Too few users on every day so far for an estimate.';
  }
}

/** "95 %" from alpha 0.05; "90 %" from 0.1; "99.5 %" from 0.005. */
export function intervalLevel(alpha: number): string {
  const level = Math.round((1 - alpha) * 1000) / 10;
  return `${level} %`;
}

/**
 * What the band is: "95 % always-valid interval (sequential): valid on every day, …" or "95 % fixed-horizon interval
 * — valid only at the planned end …".
 */
export function bandCaption(method: FrequentistMethod, alpha: number): string {
  const level = intervalLevel(alpha);
  return method === 'sequential'
    ? `Band: ${level} always-valid interval (sequential), valid on every day, however often you look.`
    : `Dashed band: ${level} fixed-horizon interval — valid only at the planned end; earlier days only show the way.`;
}

/** For `lower` metrics: which side of zero is good. */
export function directionHint(direction: CatalogMetricResult['direction']): string | null {
  return direction === 'lower' ? 'Lower is better for this metric: below zero is an improvement.' : null;
}
