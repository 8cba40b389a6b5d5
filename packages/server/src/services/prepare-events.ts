/**
 * Turns a validated envelope into rows to store plus per-event rejections. Pure: the receive time is passed in.
 * Clock-skew correction: stored time = timestamp + (received_at − sent_at); the client's raw timestamp is kept.
 * A `sent_at` that is not a real instant (a leap second `…T23:59:60Z` passes the date-time format but is no Date)
 * is ignored: the events are stored without correction rather than refused.
 * Every event is checked for what PostgreSQL cannot store (NUL, unpaired surrogates) and what our code cannot walk
 * (nesting, key count), so one bad event is rejected by index and never fails the batch.
 */
import { jsonValueProblem, LIMITS, textProblem, type RejectedEvent, type TrackedEvent } from '@ab-calicritters/core';
import { parse } from '../http/schema-validator.js';
import type { EventRow } from '../storage/event-store.js';

export interface PreparedBatch {
  rows: EventRow[];
  /** Position in the request's `events` of each row, for rejections found while storing. */
  indexes: number[];
  rejected: RejectedEvent[];
  /** Events repeating an event_id seen earlier in the same batch. */
  duplicatesInBatch: number;
}

export function prepareEvents(events: readonly unknown[], receivedAt: Date, sentAt?: string): PreparedBatch {
  const sentMs = sentAt ? Date.parse(sentAt) : Number.NaN;
  const skewMs = Number.isFinite(sentMs) ? receivedAt.getTime() - sentMs : 0;
  const rows: EventRow[] = [];
  const indexes: number[] = [];
  const rejected: RejectedEvent[] = [];
  const seen = new Set<string>();
  let duplicatesInBatch = 0;

  events.forEach((raw, index) => {
    const checked = checkEvent(raw);
    const errors = checked.ok ? timeErrors(Date.parse(checked.event.timestamp) + skewMs, receivedAt) : checked.errors;
    if (!checked.ok || errors.length > 0) {
      rejected.push({ index, errors });
      return;
    }
    const event = checked.event;
    const eventId = event.event_id.toLowerCase();
    if (seen.has(eventId)) {
      duplicatesInBatch++;
      return;
    }
    seen.add(eventId);
    indexes.push(index);
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
  return { rows, indexes, rejected, duplicatesInBatch };
}

/** Times no real event can have: far in the future even after correction, or older than the age limit. */
function timeErrors(occurredMs: number, receivedAt: Date): string[] {
  const now = receivedAt.getTime();
  if (!Number.isFinite(occurredMs)) return ['/timestamp: is not a valid date'];
  if (occurredMs > now + LIMITS.maxEventFutureMs)
    return ['/timestamp: more than 24 hours in the future (after clock correction)'];
  if (occurredMs < now - LIMITS.maxEventAgeMs) return ['/timestamp: older than 365 days'];
  return [];
}

type CheckedEvent = { ok: true; event: TrackedEvent } | { ok: false; errors: string[] };

function checkEvent(raw: unknown): CheckedEvent {
  const parsed = parse('TrackedEvent', raw);
  if (!parsed.ok) return { ok: false, errors: parsed.problems.map((d) => `${d.field}: ${d.message}`) };
  const errors = eventErrors(parsed.value);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event: parsed.value };
}

/** What the schema cannot say about an event. */
function eventErrors(event: TrackedEvent): string[] {
  const textErrors = (['user_id', 'name'] as const).flatMap((field) => {
    const problem = textProblem(event[field]);
    return problem ? [`/${field}: ${problem}`] : [];
  });
  if (textErrors.length > 0) return textErrors;
  if (!Number.isFinite(Date.parse(event.timestamp))) return ['/timestamp: is not a valid date'];
  if (event.properties) {
    // Before stringifying: a value nested thousands deep would overflow the stack there.
    const problem = jsonValueProblem(event.properties);
    if (problem) return [`/properties${problem.path}: ${problem.message}`];
    const json = JSON.stringify(event.properties);
    if (Buffer.byteLength(json, 'utf8') > LIMITS.maxPropertiesBytes) {
      return [`/properties: larger than ${LIMITS.maxPropertiesBytes} bytes of JSON`];
    }
  }
  return [];
}
