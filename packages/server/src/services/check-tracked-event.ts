/**
 * Checks one event of `POST /v1/events`, cheaply for the events SDKs send. The fast path is core's TrackedEvent
 * schema compiled without format validators, an exact uuid regex, a date-time regex with the calendar checked by
 * hand, and a walk of the properties that builds no JSON pointers. It only ever says "valid": anything it does not
 * accept goes through the full validator (ajv with formats, then core's jsonValueProblem), which gives the answer
 * and the error text. Everything the fast path accepts the full one accepts too, so the refusals and their messages
 * are the full validator's.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import {
  jsonValueProblem,
  LIMITS,
  requestSchemas,
  textProblem,
  type RequestBody,
  type TrackedEvent,
} from '@ab-calicritters/core';
import { parse } from '../http/schema-validator.js';

/** A checked event with its device time in epoch ms and its properties as JSON text, or why it is refused. */
export type CheckedEvent =
  { ok: true; event: TrackedEvent; timestampMs: number; properties: string } | { ok: false; errors: string[] };

// Options as the full validator's, but formats are left to the checks below (ajv-formats' date-time splits the
// string and runs two regexes and a Date per call: the largest part of checking an event, measured).
const shapeOnly = new Ajv({
  allErrors: false,
  strict: true,
  coerceTypes: false,
  useDefaults: false,
  validateFormats: false,
});
let validateShape: ValidateFunction<RequestBody<'TrackedEvent'>> | undefined;

/** ajv-formats' uuid without the `urn:uuid:` prefix (which `maxLength: 36` refuses anyway). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The RFC 3339 date-times SDKs send: upper-case `T` and `Z` or a `±hh:mm` offset, hours to 23, seconds to 59.
 * Whatever else ajv-formats accepts (`t`, a space, `+0100`, a leap second) takes the full path.
 */
const DATE_TIME =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digits = (s: string, from: number, count: number) => {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
};

/** The regex above plus the calendar (ajv-formats refuses 2026-02-30; Date.parse rolls it over to March). */
function isPlainDateTime(s: string): boolean {
  if (!DATE_TIME.test(s)) return false;
  const day = digits(s, 8, 2);
  if (day <= 28) return true;
  const month = digits(s, 5, 2);
  const year = digits(s, 0, 4);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number));
}

/** A character PostgreSQL text may refuse: NUL or any surrogate (a paired one is fine; the full check tells). */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters looked for
const MAYBE_UNSTORABLE = /[\u0000\ud800-\udfff]/;

let keysLeft = 0;

/**
 * True when jsonValueProblem would find nothing: storable strings and keys, containers nested at most
 * maxPropertiesDepth, at most maxPropertiesKeys keys in all, only JSON values. Recursion is bounded by the depth
 * limit. False means "ask jsonValueProblem".
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return !MAYBE_UNSTORABLE.test(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value !== 'object' || depth >= LIMITS.maxPropertiesDepth) return false;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!isPlainJson(item, depth + 1)) return false;
    return true;
  }
  const keys = Object.keys(value);
  keysLeft -= keys.length;
  if (keysLeft < 0) return false;
  for (const key of keys) {
    if (MAYBE_UNSTORABLE.test(key) || !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** JSON text of the properties, or why they cannot be stored. */
function propertiesJson(properties: Record<string, unknown> | undefined): { json: string } | { error: string } {
  if (properties === undefined) return { json: '{}' };
  keysLeft = LIMITS.maxPropertiesKeys;
  if (!isPlainJson(properties, 0)) {
    // Before stringifying: a value nested thousands deep would overflow the stack there.
    const problem = jsonValueProblem(properties);
    if (problem) return { error: `/properties${problem.path}: ${problem.message}` };
  }
  const json = JSON.stringify(properties);
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short texts need no count.
  if (json.length * 3 > LIMITS.maxPropertiesBytes && Buffer.byteLength(json, 'utf8') > LIMITS.maxPropertiesBytes) {
    return { error: `/properties: larger than ${LIMITS.maxPropertiesBytes} bytes of JSON` };
  }
  return { json };
}

function matchesSchema(raw: unknown): { ok: true; event: TrackedEvent } | { ok: false; errors: string[] } {
  validateShape ??= shapeOnly.compile<RequestBody<'TrackedEvent'>>(requestSchemas.TrackedEvent);
  if (validateShape(raw) && UUID.test(raw.event_id) && isPlainDateTime(raw.timestamp)) return { ok: true, event: raw };
  const parsed = parse('TrackedEvent', raw);
  if (!parsed.ok) return { ok: false, errors: parsed.problems.map((d) => `${d.field}: ${d.message}`) };
  return { ok: true, event: parsed.value };
}

/**
 * Checks one tracked event: the schema, then what the schema cannot say (storable text, a real instant, properties
 * that can be walked and stored and fit the size limit). Stops at the first problem. On success also returns the
 * properties as the JSON text to store, the same text whose size was checked.
 * @example checkTrackedEvent({ event_id: randomUUID(), user_id: 'u', name: 'app_open', timestamp: new Date().toISOString() })
 */
export function checkTrackedEvent(raw: unknown): CheckedEvent {
  const checked = matchesSchema(raw);
  if (!checked.ok) return checked;
  const event = checked.event;
  if (MAYBE_UNSTORABLE.test(event.user_id) || MAYBE_UNSTORABLE.test(event.name)) {
    const errors = (['user_id', 'name'] as const).flatMap((field) => {
      const problem = textProblem(event[field]);
      return problem ? [`/${field}: ${problem}`] : [];
    });
    if (errors.length > 0) return { ok: false, errors };
  }
  const timestampMs = Date.parse(event.timestamp);
  if (!Number.isFinite(timestampMs)) return { ok: false, errors: ['/timestamp: is not a valid date'] };
  const properties = propertiesJson(event.properties);
  if ('error' in properties) return { ok: false, errors: [properties.error] };
  return { ok: true, event, timestampMs, properties: properties.json };
}
