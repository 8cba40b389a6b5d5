/** `$regex` patterns compiled once and remembered; a pattern that does not compile is null, never an exception. */

const MAX_CACHED = 500;
const cache = new Map<string, RegExp | null>();

/**
 * The RegExp for a `$regex` (or, with `insensitive`, `$regexi`) operand, or null when it is not a string or does
 * not compile. Evaluating the same condition for many users compiles each pattern once.
 * @example compilePattern('^ping')?.test('pingpong') // true
 */
export function compilePattern(pattern: unknown, insensitive = false): RegExp | null {
  if (typeof pattern !== 'string') return null;
  const cacheKey = `${insensitive ? 'i' : '-'}${pattern}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  let compiled: RegExp | null;
  try {
    compiled = new RegExp(pattern, insensitive ? 'i' : '');
  } catch {
    compiled = null;
  }
  // A bounded cache: conditions come from a handful of definitions, but nothing should grow without limit.
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(cacheKey, compiled);
  return compiled;
}
