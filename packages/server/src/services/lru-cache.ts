/**
 * A map bounded to `maxEntries` that forgets its least recently used entry when full. A JavaScript `Map` iterates in
 * insertion order, so a hit moves its entry to the end (delete, then set) and the first key is always the least
 * recently used one: O(1) per operation, no linked list of our own.
 */
export interface LruCache<K, V> {
  /** The value, which becomes the most recently used; undefined when absent. */
  get(key: K): V | undefined;
  /** Adds or replaces the value as the most recently used, evicting the least recently used entry when full. */
  set(key: K, value: V): void;
  delete(key: K): boolean;
  readonly size: number;
}

/**
 * @example const recent = createLruCache<string, number>(2); recent.set('a', 1); recent.set('b', 2);
 * recent.get('a'); recent.set('c', 3); // evicts 'b', the least recently used
 */
export function createLruCache<K, V>(maxEntries: number): LruCache<K, V> {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new Error('maxEntries must be an integer ≥ 1');
  const entries = new Map<K, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as K);
    },
    delete: (key) => entries.delete(key),
    get size() {
      return entries.size;
    },
  };
}
