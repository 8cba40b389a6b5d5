/**
 * Version strings made comparable as plain strings, GrowthBook's `paddedVersionString` semantics:
 * `v1.2.3-rc.1+build` → `    1-    2-    3-rc-    1`. Numeric parts are left-padded so `10` sorts after `9`,
 * and a release gets a `~` part so it sorts after its pre-releases.
 */

/**
 * The comparable form of a version; numbers are read as their decimal text, anything else that is not a
 * non-empty string as `0`.
 * @example paddedVersionString('1.10.0') > paddedVersionString('1.9.2') // true
 */
export function paddedVersionString(input: unknown): string {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' && input !== '' ? input : '0';
  // Drop a leading `v` and the build metadata, then split core numbers and pre-release identifiers alike.
  const parts = text.replace(/(^v|\+.*$)/g, '').split(/[-.]/);
  if (parts.length === 3) parts.push('~');
  return parts.map((part) => (/^[0-9]+$/.test(part) ? part.padStart(5, ' ') : part)).join('-');
}

/**
 * Compare two versions: negative when `a` is older, 0 when equal, positive when newer.
 * @example compareVersions('1.0.0-beta', '1.0.0') // -1
 */
export function compareVersions(a: unknown, b: unknown): number {
  const left = paddedVersionString(a);
  const right = paddedVersionString(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
