/** Building a wire event at `track()` time, checked against the server's rules so it cannot poison a batch. */
import { LIMITS, jsonValueProblem, textProblem } from '@ab-calicritters/core';
import type { TrackedEvent } from './wire-types.js';

/** An event as the queue holds it: its JSON is made once and reused for storage, batching and byte counting. */
export interface QueuedEvent {
  id: string;
  json: string;
  bytes: number;
}

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
  if (utf8Length(json) > LIMITS.maxPropertiesBytes) return `properties: over ${LIMITS.maxPropertiesBytes} bytes`;
  if (textProblem(json) || UNSTORABLE_ESCAPE.test(json))
    return 'properties: serialises to text the server cannot store';
  return undefined;
}
