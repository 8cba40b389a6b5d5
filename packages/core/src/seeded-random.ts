/** A deterministic pseudo-random generator, for demo and test data that must be the same on every machine. */

/**
 * Mulberry32: returns a function yielding numbers in [0, 1), the same sequence for the same seed.
 * @example const random = seededRandom(2026); random(); // 0.…
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
