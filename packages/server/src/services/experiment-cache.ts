/**
 * A short-lived in-process cache of experiment definitions for the assignment hot path. Correctness never depends
 * on it: sticky rows live in the database, so a stale entry can at most bucket a brand-new user with weights that are
 * up to `ttlMs` old. Admin writes through this process invalidate it at once.
 */
import type { StoredExperiment } from '../storage/experiment-store.js';
import type { Storage } from '../storage/storage.js';
import { createTtlCache } from './ttl-cache.js';

export interface ExperimentCache {
  /** All experiments by key (any status). */
  byKey(): Promise<Map<string, StoredExperiment>>;
  invalidate(): void;
}

export function createExperimentCache(storage: Storage, ttlMs: number, now: () => number = Date.now): ExperimentCache {
  const cache = createTtlCache(
    async () => new Map((await storage.experiments.listWithIds()).map((e) => [e.key, e])),
    ttlMs,
    now,
  );
  return { byKey: () => cache.get(), invalidate: () => cache.invalidate() };
}
