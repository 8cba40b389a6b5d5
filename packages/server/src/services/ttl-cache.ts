/**
 * One value cached for `ttlMs`, loaded at most once at a time: concurrent callers share the load in flight. A failed
 * load is not kept, or one database blip would be served until the TTL passed.
 */
export interface TtlCache<T> {
  get(): Promise<T>;
  /**
   * The loaded value while it is fresh, without a promise (a hot path that awaits nothing when it need not); `undefined`
   * when it was never loaded, is loading, failed or is older than the TTL: then `get()` loads it.
   */
  peek(): T | undefined;
  invalidate(): void;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
  loaded?: { value: T };
}

export function createTtlCache<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now): TtlCache<T> {
  let entry: Entry<T> | undefined;
  return {
    get() {
      if (!entry || now() - entry.at >= ttlMs) {
        const value = load();
        const current: Entry<T> = { at: now(), value };
        entry = current;
        value.then(
          (loaded) => {
            current.loaded = { value: loaded };
          },
          () => {
            if (entry === current) entry = undefined;
          },
        );
      }
      return entry.value;
    },
    peek() {
      if (!entry?.loaded || now() - entry.at >= ttlMs) return undefined;
      return entry.loaded.value;
    },
    invalidate() {
      entry = undefined;
    },
  };
}
