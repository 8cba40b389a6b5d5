/**
 * Turns a validated envelope into rows to store plus per-event rejections. Pure: the receive time is passed in.
 * Clock-skew correction: stored time = timestamp + (received_at − sent_at); the client's raw timestamp is kept.
 * A `sent_at` that is not a real instant (a leap second `…T23:59:60Z` passes the date-time format but is no Date)
 * is ignored: the events are stored without correction rather than refused.
 * Every event is checked for what PostgreSQL cannot store (NUL, unpaired surrogates) and what our code cannot walk
 * (nesting, key count), so one bad event is rejected by index and never fails the batch.
 */
import { LIMITS, type RejectedEvent } from '@ab-calicritters/core';
import { EventBatch } from '../storage/event-store.js';
import { checkTrackedEvent } from './check-tracked-event.js';

export interface PreparedBatch {
  /** The events to store, column by column. */
  batch: EventBatch;
  /** Position in the request's `events` of each event of `batch`, for rejections found while storing. */
  indexes: number[];
  rejected: RejectedEvent[];
  /** Events repeating an event_id seen earlier in the same batch. */
  duplicatesInBatch: number;
}

export function prepareEvents(events: readonly unknown[], receivedAt: Date, sentAt?: string): PreparedBatch {
  const sentMs = sentAt ? Date.parse(sentAt) : Number.NaN;
  const nowMs = receivedAt.getTime();
  const skewMs = Number.isFinite(sentMs) ? nowMs - sentMs : 0;
  const batch = new EventBatch();
  const indexes: number[] = [];
  const rejected: RejectedEvent[] = [];
  const seen = new Set<string>();
  let duplicatesInBatch = 0;

  for (let index = 0; index < events.length; index++) {
    const checked = checkTrackedEvent(events[index]);
    const errors = checked.ok ? timeErrors(checked.timestampMs + skewMs, nowMs) : checked.errors;
    if (!checked.ok || errors.length > 0) {
      rejected.push({ index, errors });
      continue;
    }
    const event = checked.event;
    const eventId = event.event_id.toLowerCase();
    if (seen.has(eventId)) {
      duplicatesInBatch++;
      continue;
    }
    seen.add(eventId);
    indexes.push(index);
    batch.add(
      eventId,
      event.user_id,
      event.name,
      checked.timestampMs,
      checked.timestampMs + skewMs,
      checked.properties,
    );
  }
  return { batch, indexes, rejected, duplicatesInBatch };
}

const NO_ERRORS: string[] = [];

/** Times no real event can have: far in the future even after correction, or older than the age limit. */
function timeErrors(occurredMs: number, now: number): string[] {
  if (!Number.isFinite(occurredMs)) return ['/timestamp: is not a valid date'];
  if (occurredMs > now + LIMITS.maxEventFutureMs)
    return ['/timestamp: more than 24 hours in the future (after clock correction)'];
  if (occurredMs < now - LIMITS.maxEventAgeMs) return ['/timestamp: older than 365 days'];
  return NO_ERRORS;
}
