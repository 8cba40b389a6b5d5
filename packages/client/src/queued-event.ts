/**
 * An event tracked by this process, as the queue holds it. `track()` serialises what the caller gave (so later changes
 * to the properties do not leak in) and reads the clock; the UUID and the ISO form of the time are made once, when the
 * event is first persisted or sent, and never change after: the id is fixed before anything outside the process
 * sees it, which is all that deduplication needs.
 */
import type { QueuedEvent } from './event.js';
import { eventId } from './uuid.js';

/** Bytes of `{"event_id":"<uuid>","timestamp":"<time>"` and the closing quote: 13 + 36 + 15 + 1, plus the time. */
const STAMP_BYTES = 65;
/** Times whose ISO form is the 24 characters `YYYY-MM-DDTHH:mm:ss.sssZ` (years 1970..9999). */
const MAX_SHORT_ISO = 253402300800000;

const isShortIso = (time: number) => Number.isInteger(time) && time >= 0 && time < MAX_SHORT_ISO;

/** `000` … `999`. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms + 1000).slice(1));
let cachedSecond = NaN;
let cachedPrefix = '';
let cachedTime = NaN;
let cachedIso = '';

/**
 * `new Date(time).toISOString()`, formatting only the milliseconds when the second is the last one seen, and nothing
 * when the time is: events come in bursts, and a Date per event was one of the largest costs of tracking one.
 */
function isoTime(time: number): string {
  if (time === cachedTime) return cachedIso;
  if (!isShortIso(time)) return new Date(time).toISOString();
  const second = Math.floor(time / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  cachedTime = time;
  return (cachedIso = `${cachedPrefix}${MILLIS[time - second * 1000]!}Z`);
}

/** What comes before an event's properties in its JSON. */
export const PROPERTIES = ',"properties":';

/** A new event: its time was read at `track()`, its id and JSON are made on first use. */
export class NewEvent implements QueuedEvent {
  readonly bytes: number;
  readonly #time: number;
  /** The user and name part, `,"user_id":…,"name":…` (shared by the events of a burst), and the properties' JSON. */
  #head: string;
  #properties: string | undefined;
  #id: string | undefined;
  #json: string | undefined;

  /**
   * `restBytes` is the UTF-8 length of the JSON after the stamp: head, properties and closing brace. Throws for a
   * time no Date can hold.
   */
  constructor(time: number, head: string, properties: string | undefined, restBytes: number) {
    this.#time = time;
    this.#head = head;
    this.#properties = properties;
    // Out of the usual range the ISO form has another length (or throws, like the Date it comes from).
    const isoLength = isShortIso(time) ? 24 : new Date(time).toISOString().length;
    this.bytes = STAMP_BYTES + isoLength + restBytes;
  }

  get id(): string {
    return (this.#id ??= eventId());
  }

  /** Built once, when first written or sent; the parts it was made of are let go. */
  get json(): string {
    if (this.#json === undefined) {
      const properties = this.#properties === undefined ? '' : PROPERTIES + this.#properties;
      this.#json = `{"event_id":"${this.id}","timestamp":"${isoTime(this.#time)}"${this.#head}${properties}}`;
      this.#head = this.#properties = '';
    }
    return this.#json;
  }
}
