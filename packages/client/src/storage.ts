/** The storage adapter contract (React Native AsyncStorage's shape) and the memory and localStorage adapters. */
import { host, type SyncStorageLike } from './platform.js';

/**
 * Where the SDK keeps its queue, user and assignments: any object with these three async methods, such as
 * `@react-native-async-storage/async-storage`. Values are strings; a missing key reads as null.
 */
export interface StorageAdapter {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/**
 * Storage in a Map: fast, and gone when the process ends. The default, for tests and servers.
 * @example createClient({ baseUrl, storage: createMemoryStorage() })
 */
export function createMemoryStorage(): StorageAdapter {
  const map = new Map<string, string>();
  return {
    getItem: async (key) => map.get(key) ?? null,
    setItem: async (key, value) => void map.set(key, value),
    removeItem: async (key) => void map.delete(key),
  };
}

/**
 * Browser storage over `window.localStorage` (or any Web Storage object). A quota error becomes a rejected
 * promise, which the client reports as a `storage` error while it keeps the events in memory.
 * @example createClient({ baseUrl, storage: createLocalStorage() })
 */
export function createLocalStorage(storage: SyncStorageLike | undefined = host.localStorage): StorageAdapter {
  if (!storage) throw new TypeError('createLocalStorage: no localStorage here; pass one');
  return {
    getItem: async (key) => storage.getItem(key),
    setItem: async (key, value) => storage.setItem(key, value),
    removeItem: async (key) => storage.removeItem(key),
  };
}
