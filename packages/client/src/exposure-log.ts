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

/** One logged pair; its identity tells it apart in {@link ExposureLog.unsaved}. */
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
  /** Pairs whose exposure event may not be persisted yet: left out of writes until {@link saved}. */
  readonly #unsaved = new Set<Mark>();
  #dirty = false;
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
    const stored: Mark[] = [];
    try {
      const parsed: unknown = JSON.parse((await this.#storage.getItem(this.#key)) ?? '[]');
      for (const entry of Array.isArray(parsed) ? parsed : []) {
        const mark = typeof entry === 'string' ? readMark(entry) : undefined;
        if (mark) stored.push(mark);
      }
    } catch (error) {
      this.#onError(error);
    }
    const storedByUser = new Map<string, Set<string>>();
    const added = this.#order;
    this.#byUser = new Map();
    this.#order = [];
    for (const mark of stored) if (addPair(storedByUser, mark)) this.#insert(mark);
    // A pair added before loading that was stored already keeps its stored place, and needs no write.
    for (const mark of added) if (!this.#insert(mark)) this.#unsaved.delete(mark);
    this.#trim();
    return (userId, experimentKey) => storedByUser.get(userId)?.has(experimentKey) === true;
  }

  has(userId: string, experimentKey: string): boolean {
    return this.#byUser.get(userId)?.has(experimentKey) === true;
  }

  /** Remember a new pair; it is written once {@link saved} says its event is persisted. */
  add(userId: string, experimentKey: string): void {
    if (this.has(userId, experimentKey)) return;
    const mark: Mark = [userId, experimentKey];
    this.#insert(mark);
    this.#unsaved.add(mark);
    this.#trim();
  }

  /** The pairs not yet written; pass them to {@link saved} once the queue holding their events is persisted. */
  unsaved(): Mark[] {
    return [...this.#unsaved];
  }

  /** These pairs' events are persisted: the pairs may be written. */
  saved(marks: readonly Mark[]): void {
    for (const mark of marks) this.#dirty = this.#unsaved.delete(mark) || this.#dirty;
  }

  /** Write the pairs if they changed; writes are serialised so an older snapshot never lands after a newer one. */
  persist(): Promise<void> {
    if (!this.#dirty) return this.#writing;
    this.#dirty = false;
    return (this.#writing = this.#writing.then(async () => {
      const entries = this.#order.filter((mark) => !this.#unsaved.has(mark)).map((mark) => JSON.stringify(mark));
      try {
        await this.#storage.setItem(this.#key, JSON.stringify(entries));
      } catch (error) {
        this.#dirty = true;
        this.#onError(error);
      }
    }));
  }

  /** Add a pair unless known; false when it was. */
  #insert(mark: Mark): boolean {
    if (!addPair(this.#byUser, mark)) return false;
    this.#order.push(mark);
    return true;
  }

  /** Forget the oldest pairs past the bound. */
  #trim(): void {
    const excess = this.#order.length - this.#max;
    if (excess <= 0) return;
    for (const mark of this.#order.splice(0, excess)) {
      const keys = this.#byUser.get(mark[0]);
      keys?.delete(mark[1]);
      if (keys?.size === 0) this.#byUser.delete(mark[0]);
      this.#unsaved.delete(mark);
    }
    this.#dirty = true;
  }
}

/** Add a pair to a by-user map; false when it was there. */
function addPair(byUser: Map<string, Set<string>>, [userId, experimentKey]: Mark): boolean {
  let keys = byUser.get(userId);
  if (!keys) byUser.set(userId, (keys = new Set()));
  if (keys.has(experimentKey)) return false;
  keys.add(experimentKey);
  return true;
}

/** A stored entry, `["<userId>","<experimentKey>"]`, or undefined when it is not one. */
function readMark(entry: string): Mark | undefined {
  try {
    const pair: unknown = JSON.parse(entry);
    if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string') {
      return [pair[0], pair[1]];
    }
  } catch {
    // An entry written by something else: ignored, at worst one extra exposure.
  }
  return undefined;
}
