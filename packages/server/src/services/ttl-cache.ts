/**
 * One value cached for `ttlMs`, loaded at most once at a time: concurrent callers share the load in flight. A failed
 * load is not kept, or one database blip would be served until the TTL passed.
 */
export interface TtlCache<T> {
  get(): Promise<T>;
  invalidate(): void;
}

export function createTtlCache<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now): TtlCache<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return {
    get() {
      if (!entry || now() - entry.at >= ttlMs) {
        const value = load();
        const current = { at: now(), value };
        entry = current;
        value.catch(() => {
          if (entry === current) entry = undefined;
        });
      }
      return entry.value;
    },
    invalidate() {
      entry = undefined;
    },
  };
}
