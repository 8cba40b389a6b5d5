/**
 * A short-lived in-process cache of experiment definitions, and the saved groups their conditions name, for the
 * assignment hot path: both are loaded together, so a request needs no extra round trip for the groups. Correctness
 * never depends on it: sticky rows live in the database, so a stale entry can at most bucket a brand-new user with
 * rules that are up to `ttlMs` old. Admin writes through this process invalidate it at once.
 */
import type { SavedGroups } from '@ab-calicritters/core';
import type { StoredExperiment } from '../storage/experiment-store.js';
import type { Storage } from '../storage/storage.js';
import { createTtlCache } from './ttl-cache.js';

/** One load of the cache: the same objects until the next load, so callers may compare them by identity. */
export interface ExperimentSnapshot {
  /** All experiments by key (any status). */
  experiments: Map<string, StoredExperiment>;
  /** Every saved group's values by key, for `$inGroup` / `$notInGroup`. */
  savedGroups: SavedGroups;
}

export interface ExperimentCache {
  /** All experiments by key (any status). */
  byKey(): Promise<Map<string, StoredExperiment>>;
  /** The experiments and the saved groups, loaded together. */
  snapshot(): Promise<ExperimentSnapshot>;
  /**
   * The snapshot while it is fresh, without a promise; `undefined` when `snapshot()` has to load it. A stand-in cache
   * that always loads answers `undefined`.
   */
  peek(): ExperimentSnapshot | undefined;
  invalidate(): void;
}

export function createExperimentCache(storage: Storage, ttlMs: number, now: () => number = Date.now): ExperimentCache {
  const cache = createTtlCache(
    async (): Promise<ExperimentSnapshot> => {
      const [experiments, savedGroups] = await Promise.all([
        storage.experiments.listWithIds(),
        storage.savedGroups.all(),
      ]);
      return { experiments: new Map(experiments.map((e) => [e.key, e])), savedGroups };
    },
    ttlMs,
    now,
  );
  return {
    byKey: async () => (await cache.get()).experiments,
    snapshot: () => cache.get(),
    peek: () => cache.peek(),
    invalidate: () => cache.invalidate(),
  };
}
