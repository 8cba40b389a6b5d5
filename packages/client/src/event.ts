/** Building a wire event at `track()` time, checked against the server's rules so it cannot poison a batch. */
import { LIMITS, jsonValueProblem, textProblem } from '@ab-calicritters/core';
import { NewEvent } from './queued-event.js';
import type { TrackedEvent } from './wire-types.js';

/** An event as the queue holds it: its JSON is made once and reused for storage, batching and byte counting. */
export interface QueuedEvent {
  readonly id: string;
  readonly json: string;
  readonly bytes: number;
}

/** A character past ASCII: text without one is as many UTF-8 bytes long as it has characters. */
const NON_ASCII = /[\u0080-\uffff]/;

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
 * Why the server would refuse properties serialised as `json`, or undefined; `bytes` is its length in UTF-8 when
 * `ascii`, else computed here. JSON.stringify escapes NUL, so only non-ASCII JSON can hold a raw unstorable character.
 */
function serialisedProblem(json: string, ascii: boolean): string | undefined {
  const bytes = ascii ? json.length : utf8Length(json);
  if (bytes > LIMITS.maxPropertiesBytes) return `properties: over ${LIMITS.maxPropertiesBytes} bytes`;
  if ((!ascii && textProblem(json)) || (json.includes('\\u') && UNSTORABLE_ESCAPE.test(json)))
    return 'properties: serialises to text the server cannot store';
  return undefined;
}

/**
 * Why the server would refuse this event, or undefined when it is acceptable: the server's schema limits (core's
 * LIMITS) and its storable-text rules (core's `textProblem`/`jsonValueProblem`), then the event's actual JSON, so a
 * `toJSON` cannot smuggle in what the walk refused. May throw only if a `toJSON` of the properties throws.
 */
export function eventProblem(event: TrackedEvent): string | undefined {
  const { name, user_id: userId, properties } = event;
  const problem =
    textFieldProblem('name', name, LIMITS.maxEventNameLength) ??
    userIdProblem(userId) ??
    (properties === undefined ? undefined : objectProblem('properties', properties));
  if (problem || properties === undefined) return problem;
  const json = JSON.stringify(properties);
  return serialisedProblem(json, !NON_ASCII.test(json));
}

const PROPERTIES = ',"properties":';

/** Text fields already checked, with their JSON: names and user ids repeat, so each is checked once. */
const checkedNames = new Map<string, string>();
const checkedUsers = new Map<string, string>();
const MAX_CHECKED = 512;

function checkedJson(checked: Map<string, string>, value: string, maxLength: number): string | undefined {
  let json = checked.get(value);
  if (json === undefined && typeof value === 'string' && value.length > 0 && value.length <= maxLength) {
    if (textProblem(value)) return undefined;
    if (checked.size >= MAX_CHECKED) checked.clear();
    checked.set(value, (json = JSON.stringify(value)));
  }
  return json;
}

/** The last user and name an event was made for, and the JSON they start it with, with its UTF-8 length. */
let lastUser: unknown;
let lastName: unknown;
let lastHead = '';
let lastHeadBytes = 0;

/** Keys an object walk may still meet before {@link LIMITS}' maximum; reset per walk. */
let keysLeft = 0;

/**
 * True when `value` passes {@link objectProblem}'s rules on shape (depth, keys, JSON types), without building a path
 * per key; its strings are checked in its JSON (see {@link newEvent}). False only says "ask objectProblem", which
 * names the problem (or finds none).
 */
function isPlainStorable(value: object): boolean {
  keysLeft = LIMITS.maxPropertiesKeys;
  return !Array.isArray(value) && fits(value, 1);
}

function fits(value: object, depth: number): boolean {
  // Bounded by maxPropertiesDepth, so this recursion cannot overflow the stack.
  if (depth > LIMITS.maxPropertiesDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!fitsValue(value[i], depth)) return false;
    return true;
  }
  // for…in allocates no array of keys; it also visits inherited enumerable keys, which only makes this stricter.
  for (const key in value) {
    if (--keysLeft < 0 || !fitsValue((value as Record<string, unknown>)[key], depth)) return false;
  }
  return true;
}

function fitsValue(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object':
      return value === null || fits(value, depth + 1);
    default:
      return false;
  }
}

/**
 * The queued form of an event `track()` accepts, or why the server would refuse it (the rules of
 * {@link eventProblem}). The properties are serialised now; id and timestamp later (see {@link NewEvent}). May throw
 * only if a `toJSON` of the properties throws, or for a time no Date can hold.
 */
export function newEvent(
  time: number,
  userId: string,
  name: string,
  properties: Record<string, unknown> | undefined,
): QueuedEvent | string {
  if (userId !== lastUser || name !== lastName) {
    const nameJson = checkedJson(checkedNames, name, LIMITS.maxEventNameLength);
    if (nameJson === undefined) return textFieldProblem('name', name, LIMITS.maxEventNameLength)!;
    const userJson = checkedJson(checkedUsers, userId, LIMITS.maxUserIdLength);
    if (userJson === undefined) return userIdProblem(userId)!;
    lastHead = `,"user_id":${userJson},"name":${nameJson}`;
    lastHeadBytes = utf8Length(lastHead);
    lastUser = userId;
    lastName = name;
  }
  const head = lastHead;
  if (properties === undefined) return new NewEvent(time, `${head}}`, lastHeadBytes + 1);
  if (properties === null || typeof properties !== 'object' || !isPlainStorable(properties)) {
    const problem = objectProblem('properties', properties);
    if (problem) return problem;
  }
  const json: unknown = JSON.stringify(properties);
  // A toJSON() may have made something else than an object of it.
  if (typeof json !== 'string' || json[0] !== '{') return 'properties: not an object';
  const ascii = !NON_ASCII.test(json);
  // The walk left strings to this check of the JSON; objectProblem names the field when it is one of them.
  const problem = serialisedProblem(json, ascii);
  if (problem) return objectProblem('properties', properties) ?? problem;
  const bytes = ascii ? json.length : utf8Length(json);
  return new NewEvent(time, `${head}${PROPERTIES}${json}}`, lastHeadBytes + PROPERTIES.length + bytes + 1);
}
