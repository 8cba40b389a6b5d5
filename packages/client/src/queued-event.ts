/**
 * An event tracked by this process, as the queue holds it. `track()` serialises what the caller gave (so later changes
 * to the properties do not leak in) and reads the clock; the UUID and the ISO form of the time are made once, when the
 * event is first persisted or sent, and never change after: the id is fixed before anything outside the process
 * sees it, which is all that deduplication needs.
 */
import type { QueuedEvent } from './event.js';
import { uuidv4 } from './uuid.js';

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

/** A new event: its time was read at `track()`, its id and JSON are made on first use. */
export class NewEvent implements QueuedEvent {
  readonly bytes: number;
  readonly #time: number;
  /** The JSON after the stamp: `,"user_id":…,"name":…[,"properties":…]}`. */
  #rest: string;
  #id: string | undefined;
  #json: string | undefined;

  /** `rest` is the JSON after the stamp, `restBytes` its length in UTF-8. Throws for a time no Date can hold. */
  constructor(time: number, rest: string, restBytes: number) {
    this.#time = time;
    this.#rest = rest;
    // Out of the usual range the ISO form has another length (or throws, like the Date it comes from).
    const isoLength = isShortIso(time) ? 24 : new Date(time).toISOString().length;
    this.bytes = STAMP_BYTES + isoLength + restBytes;
  }

  get id(): string {
    return (this.#id ??= uuidv4());
  }

  get json(): string {
    if (this.#json === undefined) {
      this.#json = `{"event_id":"${this.id}","timestamp":"${isoTime(this.#time)}"${this.#rest}`;
      this.#rest = '';
    }
    return this.#json;
  }
}
