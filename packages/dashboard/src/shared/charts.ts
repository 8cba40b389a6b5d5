/**
 * chart.js, registered once with only the parts the components use (so bundles stay small), and the theme colours
 * read from the component's `--_chart-*` variables. Components own their charts through `ChartController`.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
);

export { Chart };
export type { ChartConfiguration, ChartType };

/** The resolved value of a custom property on `element` (e.g. `--_chart-1`), or `fallback`. */
function cssVar(element: Element, name: string, fallback = '#888'): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/** The theme's colours and font, resolved for chart.js (which cannot read custom properties). */
export interface ChartTheme {
  /** `--_chart-1` … `--_chart-4`. */
  series: string[];
  text: string;
  grid: string;
  font: string;
}

/** The theme as chart.js wants it. */
export function chartTheme(element: Element): ChartTheme {
  return {
    series: [1, 2, 3, 4].map((i) => cssVar(element, `--_chart-${i}`)),
    text: cssVar(element, '--_muted', '#5f6b7c'),
    grid: cssVar(element, '--_border', '#e3e6ee'),
    font: cssVar(element, '--_font', 'system-ui, sans-serif'),
  };
}

/** No animation for people who asked for less motion (and for screenshots taken that way). */
export function chartAnimation(): false | { duration: number } {
  const reduce = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  return reduce ? false : { duration: 350 };
}

/** A colour with alpha: '#5b5bd6' + 0.15 → 'rgba(91, 91, 214, 0.15)' (non-hex colours pass through). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return color;
  const n = Number.parseInt(hex, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
