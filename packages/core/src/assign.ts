/** assign(): the one function the server and the client SDK both use to pick a user's variant. */
import { bucketRanges, chooseBucket } from './bucket-ranges.js';
import { hash, type HashVersion } from './hash.js';

/** The part of an experiment definition that assignment needs. */
export interface AssignableExperiment {
  key: string;
  /** Hash seed; defaults to the key. */
  seed?: string | null;
  /** Share of users in the experiment, 0..1; defaults to 1. */
  coverage?: number | null;
  variants: ReadonlyArray<{ key: string; weight: number }>;
  hashVersion?: HashVersion;
}

/** Where a user landed: the hash value and the chosen variant (null = outside coverage). */
export interface AssignmentResult {
  variant: string | null;
  bucket: number | null;
}

/**
 * Full assignment detail, for debugging and exposure logging.
 * @example evaluate({ key: 'exp', variants: [{ key: 'a', weight: 0.5 }, { key: 'b', weight: 0.5 }] }, 'u1')
 */
export function evaluate(experiment: AssignableExperiment, userId: string): AssignmentResult {
  const variants = experiment.variants;
  if (variants.length === 0 || userId === '') return { variant: null, bucket: null };
  const seed = experiment.seed || experiment.key;
  const n = hash(seed, userId, experiment.hashVersion ?? 2);
  if (n === null) return { variant: null, bucket: null };
  const ranges = bucketRanges(
    variants.length,
    experiment.coverage ?? 1,
    variants.map((v) => v.weight),
  );
  const index = chooseBucket(n, ranges);
  return { variant: index >= 0 ? (variants[index]?.key ?? null) : null, bucket: n };
}

/**
 * The variant key a user gets in an experiment, or null when outside coverage.
 * Pure and deterministic: the same inputs give the same answer on every server and device.
 * @example assign(experiment, 'user-42') // 'treatment'
 */
export function assign(experiment: AssignableExperiment, userId: string): string | null {
  return evaluate(experiment, userId).variant;
}
