/** Number formatting shared by every component: counts, percentages, signed lifts, p-values, dates. Pure. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MINUS = '\u2212';

/** 12345 → "12,345"; null → "–". */
export function formatCount(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '–' : integer.format(value);
}

/** A number with up to `digits` decimals: 4.5 → "4.5", 1234.567 → "1,234.57". */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value == null || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(value);
}

/** A share: 0.1234 → "12.3%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(digits)}%`;
}

/** A relative change with its sign: 0.12 → "+12%", -0.034 → "−3.4%" (one decimal below 10%). */
export function formatLift(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '–';
  const pct = value * 100;
  const abs = Math.abs(pct);
  const text = abs >= 10 || abs === 0 ? abs.toFixed(0) : abs.toFixed(1);
  if (Number(text) === 0) return '0%';
  return `${pct < 0 ? MINUS : '+'}${text}%`;
}

/** A signed number: 12.5 → "+12.5", -3 → "−3". */
export function formatSigned(value: number | null | undefined, digits = 1, unit = ''): string {
  if (value == null || !Number.isFinite(value)) return '–';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return `0${unit}`;
  return `${value < 0 ? MINUS : '+'}${text}${unit}`;
}

/** p = 0.004 → "0.004", 0.00001 → "< 0.001", 0.2345 → "0.23". */
export function formatPValue(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '–';
  if (value < 0.001) return '< 0.001';
  if (value < 0.01) return value.toFixed(3);
  return value.toFixed(2);
}

/** A probability as a whole percentage, never claiming certainty: 0.9996 → ">99%", 0.0001 → "<1%". */
export function formatChance(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '–';
  if (value > 0.99) return '>99%';
  if (value < 0.01) return '<1%';
  return `${Math.round(value * 100)}%`;
}

/** Milliseconds: 3.456 → "3.46 ms", 1234 → "1,234 ms". */
export function formatMs(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '–';
  return `${formatNumber(value, value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
}

/**
 * A window as the end of a sentence ("Users assigned …"): 1 → "today (UTC)", 7 → "in the last 7 days".
 * @example `Users assigned ${formatWithinWindow(days)}`
 */
export function formatWithinWindow(days: number): string {
  return days === 1 ? 'today (UTC)' : `in the last ${days} days`;
}

/** '2026-03-05' → "Mar 5" (UTC, so a day never shifts with the viewer's time zone). */
export function formatDay(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** An ISO time as "Mar 5, 14:03 UTC"; null → "never". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${day}, ${date.toISOString().slice(11, 16)} UTC`;
}
