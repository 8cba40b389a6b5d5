/**
 * JavaScript's loose conversions (`value + ''`, `value * 1`, `a < b`) re-done by hand for JSON data, so conditions
 * compare exactly as GrowthBook's SDKs do while an odd attribute (an object with a `toString` key) cannot throw.
 */

/** `String(value)` for JSON-like data: arrays join their items, objects read `[object Object]`. */
export function looseString(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    // Past a sane depth the exact text no longer matters; stopping keeps a cyclic array from recursing forever.
    if (depth > 32) return '';
    return value
      .map((item: unknown) => (item === null || item === undefined ? '' : looseString(item, depth + 1)))
      .join();
  }
  return typeof value === 'object' ? '[object Object]' : '';
}

/** `value * 1` for JSON-like data: null is 0, booleans 0 or 1, strings parsed as JavaScript numbers. */
export function looseNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null) return 0;
  if (value === undefined || typeof value === 'bigint' || typeof value === 'symbol') return NaN;
  return Number(looseString(value));
}

/** Arrays and objects turn into their string form before comparing, like JavaScript's ToPrimitive. */
function primitive(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? looseString(value) : value;
}

/**
 * JavaScript's relational comparison: two strings compare by UTF-16 code units, anything else as numbers.
 * Returns -1, 0 or 1, or NaN when the values are not comparable (so every `<`, `<=`, `>`, `>=` test fails).
 * @example looseCompare('8', 5) // 1
 */
export function looseCompare(a: unknown, b: unknown): number {
  const left = primitive(a);
  const right = primitive(b);
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  const x = looseNumber(left);
  const y = looseNumber(right);
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}
