/**
 * Which (user, experiment) pairs already had an `$exposure` event, persisted so the event is logged once per pair,
 * across app restarts too. Bounded: past `max` entries the oldest are forgotten (at worst one extra exposure).
 */
import type { StorageAdapter } from './storage.js';

/** The set entry of a (user, experiment) pair. */
export function exposureEntry(userId: string, experimentKey: string): string {
  return JSON.stringify([userId, experimentKey]);
}

export class ExposureLog {
  readonly #storage: StorageAdapter;
  readonly #key: string;
  readonly #max: number;
  readonly #onError: (error: unknown) => void;
  #seen = new Set<string>();
  #writing: Promise<void> = Promise.resolve();

  constructor(storage: StorageAdapter, key: string, max: number, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#max = max;
    this.#onError = onError;
  }

  /**
   * Merge the persisted pairs in, ahead of any added before loading, and return the persisted ones: an exposure
   * queued before loading is a duplicate if its pair is among them.
   */
  async load(): Promise<Set<string>> {
    let stored = new Set<string>();
    try {
      const parsed: unknown = JSON.parse((await this.#storage.getItem(this.#key)) ?? '[]');
      if (Array.isArray(parsed)) stored = new Set(parsed.filter((s) => typeof s === 'string'));
    } catch (error) {
      this.#onError(error);
    }
    this.#seen = new Set([...stored, ...this.#seen]);
    return stored;
  }

  has(entry: string): boolean {
    return this.#seen.has(entry);
  }

  /** Remember a pair; call `persist()` after the exposure event itself is persisted. */
  add(entry: string): void {
    this.#seen.delete(entry);
    this.#seen.add(entry);
    for (const oldest of this.#seen) {
      if (this.#seen.size <= this.#max) break;
      this.#seen.delete(oldest);
    }
  }

  /** Write the set; writes are serialised so an older snapshot never lands after a newer one. */
  persist(): Promise<void> {
    return (this.#writing = this.#writing.then(async () => {
      try {
        await this.#storage.setItem(this.#key, JSON.stringify([...this.#seen]));
      } catch (error) {
        this.#onError(error);
      }
    }));
  }
}
