/**
 * Which (user, experiment) pairs already had an `$exposure` event, persisted so the event is logged once per pair,
 * across app restarts too. Bounded: past `max` pairs the oldest are forgotten (at worst one extra exposure).
 *
 * `getVariant()` asks on every call, so a lookup is two hash lookups (user, then experiment) with nothing serialised;
 * the stored form (a JSON array of `JSON.stringify([userId, experimentKey])` strings, oldest first) is made only
 * when writing. A pair is written only after its exposure event was persisted: a kill in between can repeat an
 * exposure, never lose one.
 */
import type { StorageAdapter } from './storage.js';

/** One logged pair. */
type Mark = readonly [userId: string, experimentKey: string];

/** Whether a pair was among the persisted ones, as {@link ExposureLog.load} found them. */
export type ExposureCheck = (userId: string, experimentKey: string) => boolean;

export class ExposureLog {
  readonly #storage: StorageAdapter;
  readonly #key: string;
  readonly #max: number;
  readonly #onError: (error: unknown) => void;
  /** The experiments each user had an exposure in. */
  #byUser = new Map<string, Set<string>>();
  /** Every pair, oldest first: what the bound forgets first, and the stored order. */
  #order: Mark[] = [];
  /** Counts changes; `#written` is the count the last write held. */
  #changes = 0;
  #written = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(storage: StorageAdapter, key: string, max: number, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#max = max;
    this.#onError = onError;
  }

  /**
   * Merge the persisted pairs in, ahead of any added before loading, and tell which pairs were persisted: an exposure
   * queued before loading is a duplicate if its pair is among them.
   */
  async load(): Promise<ExposureCheck> {
    const added = this.#order;
    this.#byUser = new Map();
    this.#order = [];
    try {
      const parsed: unknown = JSON.parse((await this.#storage.getItem(this.#key)) ?? '[]');
      for (const entry of Array.isArray(parsed) ? parsed : []) {
        const pair: unknown = typeof entry === 'string' ? parseEntry(entry) : undefined;
        if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string')
          this.add(pair[0], pair[1]);
      }
    } catch (error) {
      this.#onError(error);
    }
    const stored = this.#byUser;
    this.#byUser = new Map([...stored].map(([userId, keys]) => [userId, new Set(keys)]));
    for (const [userId, experimentKey] of added) this.add(userId, experimentKey);
    return (userId, experimentKey) => stored.get(userId)?.has(experimentKey) === true;
  }

  has(userId: string, experimentKey: string): boolean {
    return this.#byUser.get(userId)?.has(experimentKey) === true;
  }

  /** Remember a pair (the oldest are forgotten past the bound). Write it only once its event is persisted. */
  add(userId: string, experimentKey: string): void {
    let keys = this.#byUser.get(userId);
    if (!keys) this.#byUser.set(userId, (keys = new Set()));
    if (keys.has(experimentKey)) return;
    keys.add(experimentKey);
    this.#order.push([userId, experimentKey]);
    this.#changes++;
    for (const [oldUser, oldKey] of this.#order.splice(0, Math.max(0, this.#order.length - this.#max))) {
      const oldKeys = this.#byUser.get(oldUser)!;
      oldKeys.delete(oldKey);
      if (oldKeys.size === 0) this.#byUser.delete(oldUser);
    }
  }

  /**
   * The pairs as they are now, to {@link write} once the events queued so far are persisted (so a pair is never
   * written before its event); undefined when nothing changed since the last write.
   */
  snapshot(): { json: string; changes: number } | undefined {
    if (this.#changes === this.#written) return undefined;
    return { json: JSON.stringify(this.#order.map((mark) => JSON.stringify(mark))), changes: this.#changes };
  }

  /** Write a snapshot; writes are serialised so an older snapshot never lands after a newer one. */
  write(snapshot: { json: string; changes: number }): Promise<void> {
    return (this.#writing = this.#writing.then(async () => {
      try {
        await this.#storage.setItem(this.#key, snapshot.json);
        this.#written = Math.max(this.#written, snapshot.changes);
      } catch (error) {
        this.#onError(error);
      }
    }));
  }
}

function parseEntry(entry: string): unknown {
  try {
    return JSON.parse(entry);
  } catch {
    // An entry written by something else: ignored, at worst one extra exposure.
    return undefined;
  }
}
