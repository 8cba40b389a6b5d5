/** Building a wire event at `track()` time, checked against the server's rules so it cannot poison a batch. */
import { LIMITS, jsonValueProblem, textProblem } from '@ab-calicritters/core';
import { NewEvent, PROPERTIES } from './queued-event.js';
import type { TrackedEvent } from './wire-types.js';

/** An event as the queue holds it: its JSON is made once and reused for storage, batching and byte counting. */
export interface QueuedEvent {
  readonly id: string;
  readonly json: string;
  readonly bytes: number;
}

/** A character past ASCII: text without one is as many UTF-8 bytes long as it has characters. */
const NON_ASCII = /[\u0080-\uffff]/;
/** A character past ASCII or a backslash: JSON without either is ASCII and escapes nothing (most properties' JSON). */
const NON_ASCII_OR_ESCAPE = /[\\\u0080-\uffff]/;

/** Bytes of a string in UTF-8 (JSON.stringify output never holds lone surrogates). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A queued event from its wire form. */
export function toQueued(event: TrackedEvent): QueuedEvent {
  const json = JSON.stringify(event);
  return { id: event.event_id, json, bytes: utf8Length(json) };
}

/**
 * A lone surrogate or NUL as JSON.stringify writes it (`\ud83d`, `\u0000`), which the server decodes back. Only an
 * escape counts: its backslash follows an even run of backslashes, so text like `\\ud83d` (an escaped backslash) does
 * not match.
 */
const UNSTORABLE_ESCAPE = /(^|[^\\])(\\\\)*\\u(d[89a-f]|0000)/i;

/** Why the server would refuse a string field (`user_id`, `name`), or undefined. */
function textFieldProblem(field: string, value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string' || value.length < 1 || value.length > maxLength)
    return `${field}: 1..${maxLength} characters`;
  const problem = textProblem(value);
  return problem && `${field}: ${problem}`;
}

/** Why the server would refuse this user id, or undefined. */
export function userIdProblem(userId: unknown): string | undefined {
  return textFieldProblem('user_id', userId, LIMITS.maxUserIdLength);
}

/**
 * Why the server would refuse a JSON object (event properties, assignment attributes), or undefined: not a plain
 * object, a string or key PostgreSQL cannot store, too deep, too many keys, a value JSON cannot carry. Walks
 * iteratively, so an object nested thousands deep (or a cycle) is a problem, not a stack overflow.
 * @example objectProblem('properties', { a: '🐱'.slice(0, 1) }) // 'properties/a: contains an unpaired UTF-16 surrogate at index 0'
 */
export function objectProblem(field: string, value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${field}: not an object`;
  const problem = jsonValueProblem(value);
  return problem && `${field}${problem.path}: ${problem.message}`;
}

/**
 * Why the server would refuse this event, or undefined when it is acceptable: the rules of {@link newEvent}. May throw
 * only if a `toJSON` of the properties throws.
 */
export function eventProblem(event: TrackedEvent): string | undefined {
  const made = newEvent(0, event.user_id, event.name, event.properties);
  return typeof made === 'string' ? made : undefined;
}

/** The last user and name an event was made for (checked), and the JSON they add to it, with its UTF-8 length. */
let lastUser: unknown;
let lastName: unknown;
let head = '';
let headBytes = 0;

/** Keys an object walk may still meet before {@link LIMITS}' maximum; reset per walk. */
let keysLeft = 0;

/**
 * True when `value` passes {@link objectProblem}'s rules on shape (depth, keys, JSON types), without building a path
 * per key; its strings are checked in its JSON (see {@link newEvent}). False only says "ask objectProblem", which
 * names the problem (or finds none). The recursion is bounded by the depth limit, so it cannot overflow the stack.
 */
function fits(value: object, depth: number): boolean {
  if (depth > LIMITS.maxPropertiesDepth) return false;
  if (Array.isArray(value)) {
    // By index: a hole reads as undefined, which JSON cannot carry either.
    for (let i = 0; i < value.length; i++) if (!fitsValue(value[i], depth)) return false;
    return true;
  }
  // for…in allocates no array of keys; it also visits inherited enumerable keys, which only makes this stricter.
  for (const key in value) {
    if (--keysLeft < 0 || !fitsValue((value as Record<string, unknown>)[key], depth)) return false;
  }
  return true;
}

function fitsValue(v: unknown, depth: number): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'object') return v === null || fits(v, depth + 1);
  return typeof v === 'string' || typeof v === 'boolean';
}

/**
 * The queued form of an event `track()` accepts, or why the server would refuse it: the server's schema limits (core's
 * LIMITS) and its storable-text rules (core's `textProblem`/`jsonValueProblem`), then the event's actual JSON, so a
 * `toJSON` cannot smuggle in what the walk refused. The properties are serialised now; id and timestamp later (see
 * {@link NewEvent}). May throw only if a `toJSON` of the properties throws, or for a time no Date can hold.
 */
export function newEvent(
  time: number,
  userId: string,
  name: string,
  properties: Record<string, unknown> | undefined,
): QueuedEvent | string {
  if (userId !== lastUser || name !== lastName) {
    const problem = textFieldProblem('name', name, LIMITS.maxEventNameLength) ?? userIdProblem(userId);
    if (problem) return problem;
    head = `,"user_id":${JSON.stringify(userId)},"name":${JSON.stringify(name)}`;
    headBytes = utf8Length(head);
    lastUser = userId;
    lastName = name;
  }
  if (properties === undefined) return new NewEvent(time, head, undefined, headBytes + 1);
  keysLeft = LIMITS.maxPropertiesKeys;
  // Arrays count as objects to the walk (a for…in over indexes) but not to objectProblem, which refuses them.
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties) || !fits(properties, 1)) {
    const problem = objectProblem('properties', properties);
    if (problem) return problem;
  }
  const json: unknown = JSON.stringify(properties);
  // A toJSON() may have made something else than an object of it.
  if (typeof json !== 'string' || json[0] !== '{') return 'properties: not an object';
  // JSON.stringify escapes NUL and lone surrogates; only non-ASCII JSON can hold a raw one (engines before ES2019).
  // One scan clears most JSON of both checks.
  const plain = !NON_ASCII_OR_ESCAPE.test(json);
  const ascii = plain || !NON_ASCII.test(json);
  const unstorable =
    !plain && ((!ascii && textProblem(json)) || (json.includes('\\u') && UNSTORABLE_ESCAPE.test(json)));
  // The walk left strings to this check of the JSON: objectProblem names the field when it is one of them.
  const named = unstorable ? objectProblem('properties', properties) : undefined;
  if (named) return named;
  const bytes = ascii ? json.length : utf8Length(json);
  if (bytes > LIMITS.maxPropertiesBytes) return `properties: over ${LIMITS.maxPropertiesBytes} bytes`;
  if (unstorable) return 'properties: serialises to text the server cannot store';
  return new NewEvent(time, head, json, headBytes + PROPERTIES.length + bytes + 1);
}
