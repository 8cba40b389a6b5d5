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
  const text = (value * 100).toFixed(digits);
  // A tiny negative share rounds to "-0%": show it as the zero it reads as.
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
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

/** A span of whole units, rounded: 95 s → "2 min", 7_000 s → "2 h", 200_000 s → "2 days". */
function span(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(seconds / 3600);
  if (hours < 48) return `${hours} h`;
  const days = Math.round(seconds / 86_400);
  return `${days} days`;
}

/**
 * How long ago something happened, `seconds` before now: under 45 s → "just now", 180 → "3 min ago", 7200 → "2 h
 * ago"; null → "never".
 * @example `Updated ${formatTimeAgo(lag)}`
 */
export function formatTimeAgo(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return 'never';
  return seconds < 45 ? 'just now' : `${span(seconds)} ago`;
}

/**
 * How soon something is due, `seconds` from now: 0 or less → "now", under 45 s → "in less than a minute", 120 →
 * "in 2 min".
 * @example `next refresh ${formatTimeUntil(seconds)}`
 */
export function formatTimeUntil(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'now';
  return seconds < 45 ? 'in less than a minute' : `in ${span(seconds)}`;
}

/** How long something took: 412 → "0.4 s", 12_300 → "12 s", 95_000 → "1 min 35 s"; null → "–". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}
