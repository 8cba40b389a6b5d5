/**
 * A short-lived in-process cache of experiment definitions for the assignment hot path. Correctness never depends
 * on it: sticky rows live in the database, so a stale entry can at most bucket a brand-new user with weights that are
 * up to `ttlMs` old. Admin writes through this process invalidate it at once.
 */
import type { StoredExperiment } from '../storage/experiment-store.js';
import type { Storage } from '../storage/storage.js';

export interface ExperimentCache {
  /** All experiments by key (any status). */
  byKey(): Promise<Map<string, StoredExperiment>>;
  invalidate(): void;
}

export function createExperimentCache(storage: Storage, ttlMs: number, now: () => number = Date.now): ExperimentCache {
  let loaded: { at: number; value: Promise<Map<string, StoredExperiment>> } | undefined;
  return {
    byKey() {
      if (!loaded || now() - loaded.at >= ttlMs) {
        const value = storage.experiments
          .listWithIds()
          .then((all) => new Map(all.map((e) => [e.key, e])));
        // A failed load must not be cached, or one blip would poison every request until the TTL passes.
        value.catch(() => {
          if (loaded?.value === value) loaded = undefined;
        });
        loaded = { at: now(), value };
      }
      return loaded.value;
    },
    invalidate() {
      loaded = undefined;
    },
  };
}
