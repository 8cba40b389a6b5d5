/** Retry timing: capped exponential backoff with full jitter, and the server's `Retry-After`. */

/**
 * Delay before retry number `attempt` (1 = first retry): a uniform draw from [0, min(maxMs, baseMs * 2^(attempt-1))).
 * Full jitter spreads a fleet of devices that failed together, so they do not return together.
 * @example backoffDelay(3, 1000, 60000, () => 0.5) // 2000
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait according to a `Retry-After` header (delta seconds or an HTTP date), or undefined when the
 * header is absent or unreadable. A date in the past means "now" (0).
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names a day and month; this keeps Date.parse from reading '-5' as the year -5. The obsolete
  // asctime form ('Sun Nov  6 08:49:37 1994') carries no zone but means GMT, where Date.parse would read local time.
  const date = /[a-z]/i.test(text) ? Date.parse(/:\d\d \d{4}$/.test(text) ? `${text} GMT` : text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
