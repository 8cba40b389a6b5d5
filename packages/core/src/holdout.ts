/**
 * Holdouts: a stable share of users, chosen by the holdout's own seed, kept out of a set of experiments so the
 * long-run effect of everything shipped can be measured against them.
 */
import { hash, type HashVersion } from './hash.js';

/** A holdout as evaluation needs it. */
export interface Holdout {
  key: string;
  /** Hash seed; defaults to the key. */
  seed?: string | null;
  /** Share of users held out, 0..1. */
  share: number;
  hashVersion?: HashVersion;
}

/**
 * Whether the user with this hash value is held out. Independent of any experiment's seed, so the same users stay
 * held out of every experiment the holdout covers.
 * @example isInHoldout({ key: 'h2-holdout', share: 0.05 }, 'user-42') // true for about 5 % of users
 */
export function isInHoldout(holdout: Holdout, hashValue: string): boolean {
  if (hashValue === '' || !(holdout.share > 0)) return false;
  const n = hash(holdout.seed || holdout.key, hashValue, holdout.hashVersion ?? 2);
  return n !== null && n < holdout.share;
}
