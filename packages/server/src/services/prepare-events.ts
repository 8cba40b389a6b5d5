/**
 * Turns a validated envelope into rows to store plus per-event rejections. Pure: the receive time is passed in.
 * Clock-skew correction: stored time = timestamp + (received_at − sent_at); the client's raw timestamp is kept.
 */
import { LIMITS, type RejectedEvent, type TrackedEvent } from '@ab-calicritters/core';
import { check } from '../http/schema-validator.js';
import type { EventRow } from '../storage/event-store.js';

export interface PreparedBatch {
  rows: EventRow[];
  rejected: RejectedEvent[];
  /** Events repeating an event_id seen earlier in the same batch. */
  duplicatesInBatch: number;
}

export function prepareEvents(events: readonly unknown[], receivedAt: Date, sentAt?: string): PreparedBatch {
  const skewMs = sentAt ? receivedAt.getTime() - Date.parse(sentAt) : 0;
  const rows: EventRow[] = [];
  const rejected: RejectedEvent[] = [];
  const seen = new Set<string>();
  let duplicatesInBatch = 0;

  events.forEach((raw, index) => {
    const errors = eventErrors(raw);
    if (errors.length === 0) errors.push(...timeErrors(Date.parse((raw as TrackedEvent).timestamp) + skewMs, receivedAt));
    if (errors.length > 0) {
      rejected.push({ index, errors });
      return;
    }
    const event = raw as TrackedEvent;
    const eventId = event.event_id.toLowerCase();
    if (seen.has(eventId)) {
      duplicatesInBatch++;
      return;
    }
    seen.add(eventId);
    const clientMs = Date.parse(event.timestamp);
    rows.push({
      event_id: eventId,
      user_id: event.user_id,
      name: event.name,
      client_timestamp: new Date(clientMs).toISOString(),
      occurred_at: new Date(clientMs + skewMs).toISOString(),
      properties: event.properties ?? {},
    });
  });
  return { rows, rejected, duplicatesInBatch };
}

/** Times no real event can have: far in the future even after correction, or older than the age limit. */
function timeErrors(occurredMs: number, receivedAt: Date): string[] {
  const now = receivedAt.getTime();
  if (occurredMs > now + LIMITS.maxEventFutureMs) return ['/timestamp: more than 24 hours in the future (after clock correction)'];
  if (occurredMs < now - LIMITS.maxEventAgeMs) return ['/timestamp: older than 365 days'];
  return [];
}

function eventErrors(raw: unknown): string[] {
  const problems = check('TrackedEvent', raw).map((d) => `${d.field}: ${d.message}`);
  if (problems.length > 0) return problems;
  const event = raw as TrackedEvent;
  if (!Number.isFinite(Date.parse(event.timestamp))) return ['/timestamp: is not a valid date'];
  if (event.properties) {
    const json = JSON.stringify(event.properties);
    if (Buffer.byteLength(json, 'utf8') > LIMITS.maxPropertiesBytes) {
      return [`/properties: larger than ${LIMITS.maxPropertiesBytes} bytes of JSON`];
    }
    // jsonb cannot store NUL characters; refusing the event keeps the rest of the batch storable.
    if (json.includes('\\u0000')) return ['/properties: contains a NUL character (\\u0000), which cannot be stored'];
  }
  return [];
}
