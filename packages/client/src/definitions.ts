/** Checking experiment definitions given to the client (`bootstrap`, `definitions`, `setDefinitions()`). */
import type { TargetedExperiment } from './wire-types.js';

/**
 * Why `value` is not a list of experiment definitions local evaluation can use, or undefined: each needs a string
 * `key` (unique) and `variants` of `{ key: string, weight: number }`. The rules themselves are not checked here:
 * core's evaluation never throws on them, and a malformed rule excludes users.
 */
export function definitionsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'not an array';
  const keys = new Set<string>();
  for (const [i, definition] of (value as unknown[]).entries()) {
    const { key, variants } = (definition ?? {}) as Partial<TargetedExperiment>;
    if (typeof key !== 'string') return `[${i}].key: not a string`;
    if (keys.has(key)) return `[${i}].key: ${JSON.stringify(key)} given twice`;
    keys.add(key);
    if (!Array.isArray(variants)) return `[${i}].variants: not an array`;
    const bad = variants.findIndex((v) => typeof v?.key !== 'string' || typeof v.weight !== 'number');
    if (bad >= 0) return `[${i}].variants[${bad}]: not a { key, weight }`;
  }
  return undefined;
}

/** Why `value` is not a saved-groups object (`{ <id>: [values] }`), or undefined. */
export function savedGroupsProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const bad = Object.entries(value).find(([, list]) => !Array.isArray(list));
  return bad && `${bad[0]}: not an array`;
}

/** Definitions by key. */
export function byKey(definitions: readonly TargetedExperiment[]): Map<string, TargetedExperiment> {
  return new Map(definitions.map((d) => [d.key, d]));
}
