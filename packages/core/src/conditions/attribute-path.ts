/** Dot-separated attribute paths (`address.country`) read from an attributes object. */

/**
 * The value at a dot-separated path, or null when any step is missing or not an object.
 * Only own properties count, so `constructor` or `__proto__` never reach into prototypes.
 * @example attributeAt({ app: { version: '3.2.0' } }, 'app.version') // '3.2.0'
 */
export function attributeAt(attributes: unknown, path: string): unknown {
  let current: unknown = attributes;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
