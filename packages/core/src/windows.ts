/** Analysis windows: the last `window_days` whole UTC days, today included. One set of bounds for every package. */

/** `window_days` when a request or a component gives none. */
export const DEFAULT_WINDOW_DAYS = 7;

/** Smallest `window_days` accepted anywhere (endpoints, CLI). */
export const MIN_WINDOW_DAYS = 1;

/** Largest `window_days` accepted anywhere (endpoints, CLI). */
export const MAX_WINDOW_DAYS = 365;

/** The window lengths rolled up for experiments and offered by the dashboard. */
export const STANDARD_WINDOW_DAYS = [1, 7, 14, 30, 90] as const;

/** True for an integer from {@link MIN_WINDOW_DAYS} to {@link MAX_WINDOW_DAYS}. */
export function isWindowDays(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_WINDOW_DAYS && value <= MAX_WINDOW_DAYS;
}
