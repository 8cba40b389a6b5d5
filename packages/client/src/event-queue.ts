/**
 * The event queue: held in memory, mirrored to storage in numbered pages. Appending rewrites only the last page,
 * acknowledging removes whole pages, so a persisted queue of thousands of events costs one small write per flush.
 *
 * On storage: `<key>` = `{"head": n}`; `<key>:n`, `<key>:n+1`, … = JSON arrays of events, consecutive from the head.
 * Write order keeps that readable after a kill at any point: pages first, then the head, and only then are pages
 * below the head deleted (a kill in between leaves orphans, which the next load deletes).
 */
import { toQueued, type QueuedEvent } from './event.js';
import type { StorageAdapter } from './storage.js';

/** Page size bounds: small enough for AsyncStorage on Android (rows are read through a 2 MB window). */
const PAGE_EVENTS = 100;
const PAGE_BYTES = 256 * 1024;

/** What `append` returns when nothing was dropped (most calls): not an array per call. */
const NONE: readonly QueuedEvent[] = [];

interface Page {
  events: QueuedEvent[];
  bytes: number;
  /** The events' JSON joined by commas, kept until they change: its write and a batch of it share it. */
  text?: string | undefined;
}

/** Events' JSON joined by commas: the inside of a page or of a batch's `events` array. */
export function joinEvents(events: readonly QueuedEvent[]): string {
  return events.map((e) => e.json).join(',');
}

function readPage(raw: string): QueuedEvent[] {
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((e): e is { event_id: string } => typeof (e as { event_id?: unknown } | null)?.event_id === 'string')
    .map((e) => toQueued(e as never));
}

/** A persisted FIFO of events, bounded by `maxSize` (the oldest are dropped first). */
export class EventQueue {
  readonly #storage: StorageAdapter;
  readonly #key: string;
  readonly #maxSize: number;
  readonly #onError: (error: unknown) => void;
  /** `#pages[i]` is page number `#head + i`. */
  #pages: Page[] = [];
  #head = 0;
  #length = 0;
  #dirty = new Set<number>();
  #headDirty = false;
  #removed: number[] = [];
  #last: Promise<boolean> = Promise.resolve(true);
  #next: Promise<boolean> | undefined;

  constructor(storage: StorageAdapter, key: string, maxSize: number, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#maxSize = maxSize;
    this.#onError = onError;
  }

  get length(): number {
    return this.#length;
  }

  /**
   * Read the persisted queue (call once, before any append); returns events dropped to respect `maxSize`. If storage
   * fails part way, what was read is kept and the error reported.
   */
  async load(): Promise<readonly QueuedEvent[]> {
    try {
      const index = JSON.parse((await this.#storage.getItem(this.#key)) ?? '{}') as { head?: unknown };
      const head = Number.isSafeInteger(index.head) && (index.head as number) >= 0 ? (index.head as number) : 0;
      this.#head = head;
      for (let n = head; ; n++) {
        const raw = await this.#storage.getItem(this.#pageKey(n));
        if (raw === null) break;
        let events: QueuedEvent[] = [];
        try {
          events = readPage(raw);
        } catch (error) {
          this.#onError(error);
        }
        this.#pages.push({ events, bytes: events.reduce((sum, e) => sum + e.bytes, 0) });
        this.#length += events.length;
      }
      // Orphans: pages below the head left by a kill between writing the head and deleting them.
      for (let n = head - 1; n >= 0 && (await this.#storage.getItem(this.#pageKey(n))) !== null; n--) {
        await this.#storage.removeItem(this.#pageKey(n));
      }
    } catch (error) {
      this.#onError(error);
    }
    this.#trimFront();
    return this.#enforceCap();
  }

  /** Add events at the end; returns the oldest events dropped to stay within `maxSize`. */
  append(events: readonly QueuedEvent[]): readonly QueuedEvent[] {
    for (const event of events) this.#push(event);
    return this.#enforceCap();
  }

  /** Add one event at the end (`track()`'s path: no array per event); returns the oldest events dropped. */
  push(event: QueuedEvent): readonly QueuedEvent[] {
    this.#push(event);
    return this.#enforceCap();
  }

  #push(event: QueuedEvent): void {
    let page = this.#pages[this.#pages.length - 1];
    if (
      !page ||
      page.events.length >= PAGE_EVENTS ||
      (page.events.length > 0 && page.bytes + event.bytes > PAGE_BYTES)
    ) {
      this.#pages.push((page = { events: [], bytes: 0 }));
    }
    page.events.push(event);
    page.bytes += event.bytes;
    page.text = undefined;
    this.#length++;
    this.#dirty.add(this.#head + this.#pages.length - 1);
  }

  /** The oldest events, at most `maxCount` of them and `maxBytes` of JSON in total (but always at least one). */
  peek(maxCount: number, maxBytes: number): QueuedEvent[] {
    const batch: QueuedEvent[] = [];
    let bytes = 0;
    for (const page of this.#pages) {
      for (const event of page.events) {
        if (batch.length >= maxCount || (batch.length > 0 && bytes + event.bytes > maxBytes)) return batch;
        batch.push(event);
        bytes += event.bytes + 1;
      }
    }
    return batch;
  }

  /** Remove the events with these ids (acknowledged or dropped). */
  remove(ids: ReadonlySet<string>): void {
    this.#pages.forEach((page, i) => {
      const kept = page.events.filter((e) => !ids.has(e.id));
      if (kept.length === page.events.length) return;
      this.#length -= page.events.length - kept.length;
      page.events = kept;
      page.bytes = kept.reduce((sum, e) => sum + e.bytes, 0);
      page.text = undefined;
      this.#dirty.add(this.#head + i);
    });
    this.#trimFront();
  }

  /** The JSON of a batch {@link peek} returned, joined by commas; one that is a whole page shares the page's. */
  json(batch: readonly QueuedEvent[]): string {
    const page = this.#pages.find((p) => p.events[0] === batch[0]);
    // Pages hold consecutive events and a batch is consecutive: same first, same last and same length is the page.
    if (page?.events.length === batch.length && page.events[batch.length - 1] === batch[batch.length - 1]) {
      return (page.text ??= joinEvents(batch));
    }
    return joinEvents(batch);
  }

  /**
   * Remove a batch {@link peek} returned. It is still the oldest events unless the cap dropped some meanwhile: then
   * it is cut from the front, by identity, without hashing ids or filtering pages.
   */
  removeBatch(batch: readonly QueuedEvent[]): void {
    let n = 0;
    outer: for (const page of this.#pages) {
      for (const event of page.events) {
        if (n === batch.length) break outer;
        if (event !== batch[n]) return this.remove(new Set(batch.map((e) => e.id)));
        n++;
      }
    }
    if (n < batch.length) return this.remove(new Set(batch.map((e) => e.id)));
    for (let i = 0; n > 0; i++) {
      const page = this.#pages[i]!;
      const cut = page.events.splice(0, Math.min(n, page.events.length));
      page.text = undefined;
      for (const event of cut) page.bytes -= event.bytes;
      n -= cut.length;
      this.#length -= cut.length;
      this.#dirty.add(this.#head + i);
    }
    this.#trimFront();
  }

  /**
   * Write what changed since the last write. Calls made while a write runs share the one queued after it, so a burst
   * of `track()` calls costs one write. Resolves true when everything changed before the call is written.
   */
  persist(): Promise<boolean> {
    this.#next ??= this.#last.then(() => {
      this.#next = undefined;
      return this.#write();
    });
    return (this.#last = this.#next);
  }

  async #write(): Promise<boolean> {
    const head = this.#head;
    const pages = [...this.#dirty].filter((n) => n >= head).sort((a, b) => a - b);
    const headDirty = this.#headDirty;
    const removed = this.#removed.sort((a, b) => a - b);
    this.#dirty = new Set([...this.#dirty].filter((n) => n < head));
    this.#headDirty = false;
    this.#removed = [];
    let done = 0;
    try {
      for (; done < pages.length; done++) {
        const page = this.#pages[pages[done]! - this.#head];
        if (page)
          await this.#storage.setItem(this.#pageKey(pages[done]!), `[${(page.text ??= joinEvents(page.events))}]`);
      }
      if (headDirty) await this.#storage.setItem(this.#key, JSON.stringify({ head }));
      while (removed.length > 0) {
        await this.#storage.removeItem(this.#pageKey(removed[0]!));
        removed.shift();
      }
      return true;
    } catch (error) {
      for (const n of pages.slice(done)) this.#dirty.add(n);
      this.#headDirty ||= headDirty;
      this.#removed.push(...removed);
      this.#onError(error);
      return false;
    }
  }

  #pageKey(n: number): string {
    return `${this.#key}:${n}`;
  }

  /** Drop empty pages at the front, moving the head past them. */
  #trimFront(): void {
    while (this.#pages[0]?.events.length === 0) {
      this.#pages.shift();
      this.#dirty.delete(this.#head);
      this.#removed.push(this.#head++);
      this.#headDirty = true;
    }
  }

  #enforceCap(): readonly QueuedEvent[] {
    if (this.#length <= this.#maxSize) return NONE;
    const dropped: QueuedEvent[] = [];
    while (this.#length > this.#maxSize) {
      const page = this.#pages[0]!;
      const event = page.events.shift()!;
      page.text = undefined;
      page.bytes -= event.bytes;
      dropped.push(event);
      this.#length--;
      this.#dirty.add(this.#head);
      this.#trimFront();
    }
    return dropped;
  }
}
