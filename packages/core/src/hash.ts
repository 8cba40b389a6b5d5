/** Deterministic user → [0, 1) hashing, compatible with GrowthBook's public hash versions 1 and 2. */
import { fnv1a32 } from './fnv1a32.js';

/** Hash algorithm versions; 2 is the default (better distribution across experiments). */
export type HashVersion = 1 | 2;

/**
 * Map (seed, value) to a number in [0, 1).
 * v2: `(fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000`; v1: `(fnv1a32(value + seed) % 1000) / 1000`.
 * Returns null for an unknown version instead of throwing, so a bad definition means "not in the experiment".
 * @example hash('experiment', '1', 2) // 0.4413
 */
export function hash(seed: string, value: string, version: HashVersion = 2): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}
