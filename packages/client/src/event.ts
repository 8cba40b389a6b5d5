/** Building a wire event at `track()` time, checked against the server's limits so it cannot poison a batch. */
import { LIMITS, type TrackedEvent } from '@ab-calicritters/core';

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
    else if (code >= 0xd800 && code < 0xdc00) (bytes += 4), i++;
    else bytes += 3;
  }
  return bytes;
}

/** A queued event from its wire form. */
export function toQueued(event: TrackedEvent): QueuedEvent {
  const json = JSON.stringify(event);
  return { id: event.event_id, json, bytes: utf8Length(json) };
}

/**
 * Why the server would refuse this event, or undefined when it is acceptable. Checks the same limits as the server's
 * schema (core's LIMITS); may throw if properties cannot be serialised (a cycle, a BigInt).
 */
export function eventProblem(event: TrackedEvent): string | undefined {
  const { name, user_id: userId, properties } = event;
  if (typeof name !== 'string' || name.length < 1 || name.length > LIMITS.maxEventNameLength) {
    return `name: 1..${LIMITS.maxEventNameLength} characters`;
  }
  if (typeof userId !== 'string' || userId.length < 1 || userId.length > LIMITS.maxUserIdLength) {
    return `user_id: 1..${LIMITS.maxUserIdLength} characters`;
  }
  if (properties === undefined) return undefined;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    return 'properties: not an object';
  }
  if (utf8Length(JSON.stringify(properties)) > LIMITS.maxPropertiesBytes) {
    return `properties: over ${LIMITS.maxPropertiesBytes} bytes`;
  }
  return undefined;
}
