/**
 * The chart of `<abc-cumulative-effect>` as chart.js configuration: per variant an upper bound, a lower bound filled
 * up to it (the band) and the effect line, in that order, so dataset `3k + 2` is variant k's line.
 */
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { FrequentistMethod } from '@ab-calicritters/core';
import { formatCount, formatDay, formatLift, formatSigned } from '../../shared/format.js';
import { chartAnimation, withAlpha, type ChartConfiguration, type ChartTheme } from '../../shared/charts.js';
import type { CumulativeTrend, TrendVariant } from './cumulative-effect.model.js';

/** Datasets per variant: upper bound, lower bound (its fill is the band), effect line. */
const DATASETS_PER_VARIANT = 3;

/** Dash of the band's edges when the interval is fixed-horizon (valid only at the planned end). */
const FIXED_BAND_DASH = [5, 4];

/** The band's fill: solid enough to read for an always-valid band, lighter for a fixed-horizon one. */
const BAND_ALPHA: Record<FrequentistMethod, number> = { sequential: 0.18, fixed: 0.08 };

/** A variant's colour: the theme's chart colour at its place in the definition. */
function variantColor(theme: ChartTheme, colorIndex: number): string {
  return theme.series[colorIndex % theme.series.length] ?? '#888';
}

/** The three datasets of one variant. */
function variantDatasets(
  v: TrendVariant,
  theme: ChartTheme,
  method: FrequentistMethod,
): Array<ChartDataset<'line', Array<number | null>>> {
  const color = variantColor(theme, v.colorIndex);
  const fixed = method === 'fixed';
  const edge = {
    pointRadius: 0,
    pointHoverRadius: 0,
    pointHitRadius: 0,
    borderWidth: fixed ? 1 : 0,
    borderColor: fixed ? withAlpha(color, 0.6) : 'transparent',
    borderDash: fixed ? FIXED_BAND_DASH : [],
    spanGaps: false,
  };
  return [
    { ...edge, label: `${v.variant} upper bound`, data: v.upper, fill: false },
    {
      ...edge,
      label: `${v.variant} lower bound`,
      data: v.lower,
      fill: '-1',
      backgroundColor: withAlpha(color, BAND_ALPHA[method]),
    },
    {
      label: v.variant,
      data: v.effect,
      borderColor: color,
      backgroundColor: color,
      pointBackgroundColor: color,
      pointRadius: 3,
      pointHoverRadius: 5,
      borderWidth: 2,
      fill: false,
      spanGaps: false,
    },
  ];
}

/** What the component tells the chart when it is made: where the shown trend and the control's name are. */
export interface TrendSource {
  trend: () => CumulativeTrend | undefined;
  control: () => string;
}

/** A tooltip line per variant: effect and interval, then users so far in the variant and in control. */
function tooltipLines(item: TooltipItem<'line'>, source: TrendSource): string[] {
  const v = source.trend()?.variants[Math.floor(item.datasetIndex / DATASETS_PER_VARIANT)];
  if (!v) return [];
  const i = item.dataIndex;
  const effect = v.effect[i];
  const lower = v.lower[i];
  const upper = v.upper[i];
  const fraction = (x: number | null | undefined) => (x == null ? null : x / 100);
  const head =
    effect == null
      ? `${v.variant}: no estimate${v.reasons[i] ? ` (${v.reasons[i]})` : ''}`
      : `${v.variant}: ${formatLift(fraction(effect))}` +
        (lower == null || upper == null ? '' : ` (${formatLift(fraction(lower))} to ${formatLift(fraction(upper))})`);
  const users = `${formatCount(v.exposedUsers[i])} users vs ${formatCount(v.controlExposedUsers[i])} in ${source.control()}`;
  return [` ${head}`, `   ${users}`];
}

/** The line chart without data: percent y axis with a darker zero line, day labels, the tooltip. */
export function cumulativeChart(theme: ChartTheme, source: TrendSource): ChartConfiguration<'line'> {
  const font = { family: theme.font };
  return {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: chartAnimation(),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        // The component draws its own legend (one entry per variant, not three datasets each).
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex % DATASETS_PER_VARIANT === DATASETS_PER_VARIANT - 1,
          callbacks: {
            title: (items) => {
              const day = source.trend()?.days[items[0]?.dataIndex ?? -1];
              return day ? `${formatDay(day)}: users exposed so far` : '';
            },
            label: (item) => tooltipLines(item, source),
          },
        },
      },
      scales: {
        x: {
          grid: { display: false },
          ticks: { color: theme.text, font, maxRotation: 0, autoSkipPadding: 12 },
        },
        y: {
          border: { display: false },
          grid: {
            // Zero (no difference from control) is the line everything is read against.
            color: (ctx) => (ctx.tick?.value === 0 ? theme.text : theme.grid),
            lineWidth: (ctx) => (ctx.tick?.value === 0 ? 1.5 : 1),
          },
          title: { display: true, text: 'Effect vs control', color: theme.text, font },
          ticks: {
            color: theme.text,
            font,
            // Whole percents unless the step is finer (2.5 %, 0.5 %).
            callback: (value) => {
              const step = source.trend()?.axis.step ?? 1;
              return formatSigned(Number(value), Number.isInteger(step) ? 0 : 1, '%');
            },
          },
        },
      },
    },
  };
}

/** Writes the trend into the chart: labels, every variant's datasets, the axis range. */
export function fillCumulativeChart(
  chart: { data: ChartConfiguration<'line'>['data']; options: ChartConfiguration<'line'>['options'] },
  trend: CumulativeTrend,
  theme: ChartTheme,
  method: FrequentistMethod,
): void {
  chart.data.labels = trend.days.map(formatDay);
  chart.data.datasets = trend.variants.flatMap((v) => variantDatasets(v, theme, method));
  // The y scale is linear (its ticks take a step); chart.js types scales of any kind here.
  const y = chart.options?.scales?.y as { min?: number; max?: number; ticks?: { stepSize?: number } } | undefined;
  if (y) {
    y.min = trend.axis.min;
    y.max = trend.axis.max;
    if (y.ticks) y.ticks.stepSize = trend.axis.step;
  }
}
