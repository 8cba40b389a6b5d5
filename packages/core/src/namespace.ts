/**
 * Namespaces keep experiments mutually exclusive: each experiment claims a range `[start, end)` of a namespace's
 * hash space, and a user is eligible only where their namespace hash falls. GrowthBook-compatible.
 */
import type { DefinitionProblem } from './experiment-rules.js';
import { hash } from './hash.js';

/** A claim on a namespace: `[name, start, end]`, a half-open range of [0, 1). */
export type NamespaceRange = readonly [name: string, start: number, end: number];

/** An experiment's claim, as the admin API lists them. */
export interface NamespaceClaim {
  key: string;
  namespace: NamespaceRange;
}

/** Two experiments claiming the same part of a namespace. */
export interface NamespaceOverlap {
  namespace: string;
  keys: readonly [string, string];
  /** The shared range `[start, end)`. */
  range: readonly [start: number, end: number];
}

/**
 * Whether a user's hash value falls in the namespace range; the namespace hash is `hash('__' + name, value, 1)`,
 * the same for every experiment in that namespace, so disjoint ranges never share a user.
 * @example inNamespace('1', ['paywall', 0.4, 1]) // true or false, the same on every server and device
 */
export function inNamespace(hashValue: string, namespace: NamespaceRange): boolean {
  const [name, start, end] = namespace;
  const n = hash(`__${name}`, hashValue, 1);
  return n !== null && n >= start && n < end;
}

/**
 * Problems with a namespace claim: a non-empty name and `0 <= start < end <= 1`.
 * @example namespaceProblems(['paywall', 0.5, 0.2]) // [{ field: '/namespace', message: 'start must be below end' }]
 */
export function namespaceProblems(namespace: unknown, field = '/namespace'): DefinitionProblem[] {
  if (!Array.isArray(namespace) || namespace.length !== 3) {
    return [{ field, message: 'namespace must be [name, start, end]' }];
  }
  const [name, start, end] = namespace as unknown[];
  const problems: DefinitionProblem[] = [];
  if (typeof name !== 'string' || name === '')
    problems.push({ field: `${field}/0`, message: 'name must be a non-empty string' });
  const isShare = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  if (!isShare(start)) problems.push({ field: `${field}/1`, message: 'start must be a number from 0 to 1' });
  if (!isShare(end)) problems.push({ field: `${field}/2`, message: 'end must be a number from 0 to 1' });
  if (isShare(start) && isShare(end) && start >= end) problems.push({ field, message: 'start must be below end' });
  return problems;
}

/**
 * Every pair of claims that share part of a namespace (empty ranges never overlap anything). The admin API
 * refuses a definition whose claim overlaps another experiment's.
 * @example namespaceOverlaps([{ key: 'a', namespace: ['pay', 0, 0.5] }, { key: 'b', namespace: ['pay', 0.4, 1] }])
 * // [{ namespace: 'pay', keys: ['a', 'b'], range: [0.4, 0.5] }]
 */
export function namespaceOverlaps(claims: readonly NamespaceClaim[]): NamespaceOverlap[] {
  const overlaps: NamespaceOverlap[] = [];
  claims.forEach((a, i) => {
    for (const b of claims.slice(i + 1)) {
      const [nameA, startA, endA] = a.namespace;
      const [nameB, startB, endB] = b.namespace;
      const start = Math.max(startA, startB);
      const end = Math.min(endA, endB);
      if (nameA === nameB && start < end)
        overlaps.push({ namespace: nameA, keys: [a.key, b.key], range: [start, end] });
    }
  });
  return overlaps;
}

/**
 * The parts of a namespace no claim uses, in order, for listing a namespace's free space.
 * @example freeNamespaceRanges('pay', [{ key: 'a', namespace: ['pay', 0.2, 0.5] }]) // [[0, 0.2], [0.5, 1]]
 */
export function freeNamespaceRanges(name: string, claims: readonly NamespaceClaim[]): Array<readonly [number, number]> {
  const used = claims
    .map((claim) => claim.namespace)
    .filter(([claimName, start, end]) => claimName === name && start < end)
    .map(([, start, end]) => [Math.max(0, start), Math.min(1, end)] as const)
    .sort((a, b) => a[0] - b[0]);
  const free: Array<readonly [number, number]> = [];
  let cursor = 0;
  for (const [start, end] of used) {
    if (start > cursor) free.push([cursor, start]);
    cursor = Math.max(cursor, end);
  }
  if (cursor < 1) free.push([cursor, 1]);
  return free;
}
