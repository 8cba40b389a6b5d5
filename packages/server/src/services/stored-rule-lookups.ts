/**
 * {@link RuleLookups} from storage, for the assignment hot path: every active override and every active holdout is
 * read at most once per `ttlMs` and kept in process, so an assignment costs no extra query. Overrides are few (QA
 * devices), so holding all of them is cheaper than a lookup per user, most of whom have none. Expiry is checked at
 * each lookup, so an override stops applying the moment it expires, whatever the cache holds. Changes made through
 * this process (the admin routes) invalidate the cache at once; other processes see them within `ttlMs`.
 */
import type { Storage } from '../storage/storage.js';
import type { RuleHoldout, RuleLookups } from './rule-lookups.js';
import { createTtlCache } from './ttl-cache.js';

/** Storage-backed lookups whose cache can be dropped after a change. */
export interface CachedRuleLookups extends RuleLookups {
  /** Forget the cached overrides and holdouts: the next lookup reads them again. */
  invalidate(): void;
}

interface ForcedEntry {
  experimentKey: string;
  variant: string;
  /** Epoch ms, or null for an override that never expires. */
  expiresAt: number | null;
}

/**
 * @example const lookups = createStoredRuleLookups(storage, 1000); await lookups.forcedVariations('qa-phone-1');
 */
export function createStoredRuleLookups(
  storage: Storage,
  ttlMs: number,
  now: () => Date = () => new Date(),
  clock: () => number = Date.now,
): CachedRuleLookups {
  const overrides = createTtlCache(
    async () => {
      const byUser = new Map<string, ForcedEntry[]>();
      for (const row of await storage.overrides.active(now())) {
        const entries = byUser.get(row.user_id) ?? [];
        entries.push({
          experimentKey: row.experiment_key,
          variant: row.variant,
          expiresAt: row.expires_at?.getTime() ?? null,
        });
        byUser.set(row.user_id, entries);
      }
      return byUser;
    },
    ttlMs,
    clock,
  );
  const holdouts = createTtlCache(
    async (): Promise<RuleHoldout[]> =>
      (await storage.holdouts.active()).map((h) => ({
        key: h.key,
        seed: h.seed,
        share: h.share,
        experiments: h.all_experiments ? 'all' : h.experiment_keys,
      })),
    ttlMs,
    clock,
  );

  const forcedOf = (byUser: Map<string, ForcedEntry[]>, userId: string) => {
    const entries = byUser.get(userId);
    if (!entries) return {};
    const at = now().getTime();
    const forced: Record<string, string> = {};
    for (const entry of entries) {
      if (entry.expiresAt === null || entry.expiresAt > at) forced[entry.experimentKey] = entry.variant;
    }
    return forced;
  };

  return {
    // What the caches hold is answered as is; only a load is a promise.
    forcedVariations(userId) {
      const byUser = overrides.peek();
      return byUser ? forcedOf(byUser, userId) : overrides.get().then((loaded) => forcedOf(loaded, userId));
    },
    holdouts: () => holdouts.peek() ?? holdouts.get(),
    invalidate() {
      overrides.invalidate();
      holdouts.invalidate();
    },
  };
}
