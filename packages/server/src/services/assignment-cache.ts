/**
 * Stored sticky rows of returning users, kept in process so that answering them needs no database round trip. A row
 * never changes once written, so a cached copy stays true for as long as the row exists; what can remove rows is an
 * experiment leaving the database or an operator deleting them (`calicritters loadtest cleanup`, hand-written SQL).
 *
 * Bounds and invalidation:
 * - at most `size` rows, least recently used evicted first (about 220 bytes each with 17-character user ids, see
 *   docs/OPERATIONS.md);
 * - entries are scoped by experiment: when the definitions show an experiment with another status than last seen,
 *   or without it, its entries are dropped. An admin change through this server reloads the definitions at once;
 *   one made through another server shows up when this one's definitions cache expires (`experimentCacheTtlMs`);
 * - a row is trusted for `ttlMs`, then read again, which bounds how long a row deleted behind the servers' backs
 *   (a cleanup run, SQL) is still answered.
 */
import type { StoredExperiment } from '../storage/experiment-store.js';
import { createLruCache } from './lru-cache.js';

/** A stored row as the assignment answer carries it. */
interface CachedStickyRow {
  variant: string;
  /** `assigned_at` as the response shows it (ISO 8601), made once per row rather than per answer. */
  assignedAt: string;
}

interface Entry extends CachedStickyRow {
  /** Seconds since the cache was made: a small integer, which V8 stores inline. */
  expires: number;
}

export interface AssignmentCache {
  /**
   * Compares the definitions with the ones seen last (a no-op for the same map) and drops the entries of each
   * experiment whose status changed or that is gone.
   */
  sync(experiments: ReadonlyMap<string, StoredExperiment>): void;
  /** The current scope of an experiment's entries; take it before querying, so a row read across a drop is not kept. */
  scope(experimentId: string): string;
  get(scope: string, userId: string): CachedStickyRow | undefined;
  set(scope: string, userId: string, row: CachedStickyRow): void;
  /**
   * Whether the user's row of this holdout is known to be stored: such rows never change either, so, like sticky
   * rows, a returning user's holdout rows cost no round trip. Trusted for `ttlMs` like them, in the same bound.
   */
  hasHoldout(holdoutKey: string, userId: string): boolean;
  /** Notes the user's row of this holdout as stored. */
  addHoldout(holdoutKey: string, userId: string): void;
  readonly size: number;
}

export interface AssignmentCacheOptions {
  /** Most rows kept. */
  size: number;
  /** How long a row is answered from memory before it is read again. */
  ttlMs: number;
  now?: () => number;
}

/** @example const rows = createAssignmentCache({ size: 250_000, ttlMs: 600_000 }); */
export function createAssignmentCache({ size, ttlMs, now = Date.now }: AssignmentCacheOptions): AssignmentCache {
  const entries = createLruCache<string, Entry>(size);
  const started = now();
  const seconds = () => Math.floor((now() - started) / 1000);
  const ttlSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
  /** Experiments whose entries were dropped, with the scope their new entries use; others use their id. */
  const scopes = new Map<string, string>();
  let generation = 0;
  let seen: ReadonlyMap<string, StoredExperiment> | undefined;
  const statusById = new Map<string, string>();

  // Dropping is O(1): the experiment's later entries get a new scope, and the old ones, never read again, are the
  // first the LRU evicts.
  const drop = (experimentId: string) => scopes.set(experimentId, `${experimentId}#${++generation}`);

  return {
    sync(experiments) {
      if (experiments === seen) return;
      seen = experiments;
      const present = new Set<string>();
      for (const experiment of experiments.values()) {
        present.add(experiment.id);
        const before = statusById.get(experiment.id);
        if (before !== undefined && before !== experiment.status) drop(experiment.id);
        statusById.set(experiment.id, experiment.status);
      }
      for (const id of statusById.keys()) {
        if (!present.has(id)) {
          drop(id);
          statusById.delete(id);
        }
      }
    },
    scope: (experimentId) => scopes.get(experimentId) ?? experimentId,
    get(scope, userId) {
      const key = `${scope}\u0000${userId}`;
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires <= seconds()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(scope, userId, row) {
      entries.set(`${scope}\u0000${userId}`, {
        variant: row.variant,
        assignedAt: row.assignedAt,
        expires: seconds() + ttlSeconds,
      });
    },
    // Holdout keys cannot start with U+0001, so these entries never meet an experiment scope's.
    hasHoldout(holdoutKey, userId) {
      const key = `\u0001${holdoutKey}\u0000${userId}`;
      const entry = entries.get(key);
      if (entry === undefined) return false;
      if (entry.expires > seconds()) return true;
      entries.delete(key);
      return false;
    },
    addHoldout(holdoutKey, userId) {
      entries.set(`\u0001${holdoutKey}\u0000${userId}`, {
        variant: '',
        assignedAt: '',
        expires: seconds() + ttlSeconds,
      });
    },
    get size() {
      return entries.size;
    },
  };
}
