/** One delivery attempt of a batch to `POST /v1/events`, classified into what the delivery loop should do next. */
import type { EventsResponse, TrackedEvent } from './wire-types.js';
import { parseRetryAfter } from './backoff.js';
import { ClientError } from './client-error.js';
import type { QueuedEvent } from './event.js';
import { joinEvents } from './event-queue.js';
import { errorMessage, postJson, type HttpContext } from './http.js';

/**
 * What each answer means for the batch:
 * - `ack`: a 2xx whose body is our events answer (numeric `accepted` and `duplicates`, `rejected` an array if
 *   present); the server took the batch, some events may be in `rejected`: remove it
 * - `retry`: keep the batch and back off (after `Retry-After`, seconds or an HTTP date, when given), for
 *   - a network error or timeout (`network`),
 *   - any other 2xx (`bad_response`): a captive portal's HTML page, a proxy's empty 204, `{}` — not our server's
 *     answer, so nothing says the events were stored; retrying is safe, the server drops repeated event ids,
 *   - 408 and 429 (the request may succeed later), 5xx, and 1xx/3xx that fetch did not resolve (`http`)
 * - `split`: 413, the batch is too large: halve it (one event alone is dropped as `too_large`)
 * - `drop`: any other 4xx (400, 401, 403, 404, 409, 415, 422, …): the server, or something in front of it, refuses
 *   this request as a whole and would refuse the same bytes again; retrying it forever would hold back everything
 *   queued behind it, so it is removed and reported (`bad_request`, with the status and the events)
 */
export type SendOutcome =
  | { type: 'ack'; response: EventsResponse }
  | { type: 'retry'; error: ClientError; retryAfterMs: number | undefined }
  | { type: 'split'; status: number }
  | { type: 'drop'; error: ClientError };

/** The wire events of a batch, for error reports. */
export function wireEvents(batch: readonly QueuedEvent[]): TrackedEvent[] {
  return batch.map((e) => JSON.parse(e.json) as TrackedEvent);
}

/** The body as our events answer, or undefined when it is not one. */
function eventsResponse(body: unknown): EventsResponse | undefined {
  const { accepted, duplicates, rejected = [] } = (body ?? {}) as Partial<EventsResponse>;
  if (typeof accepted !== 'number' || typeof duplicates !== 'number' || !Array.isArray(rejected)) return undefined;
  if (!rejected.every((r) => Number.isInteger(r?.index))) return undefined;
  return { accepted, duplicates, rejected };
}

/**
 * Send a batch with `sent_at` (lets the server correct device clock skew) and classify the result; `events` is the
 * batch's JSON joined by commas, when the queue has it already.
 */
export async function sendBatch(
  http: HttpContext,
  batch: readonly QueuedEvent[],
  events = joinEvents(batch),
): Promise<SendOutcome> {
  const sentAt = new Date(http.clock.now()).toISOString();
  let result;
  try {
    result = await postJson(http, '/v1/events', `{"events":[${events}],"sent_at":"${sentAt}"}`);
  } catch (cause) {
    return { type: 'retry', error: new ClientError('network', String(cause), { cause }), retryAfterMs: undefined };
  }
  const { status } = result;
  let error: ClientError;
  if (status >= 200 && status < 300) {
    const response = eventsResponse(result.body);
    if (response) return { type: 'ack', response };
    const message = `HTTP ${status} without an events answer (a JSON body with numeric accepted and duplicates)`;
    error = new ClientError('bad_response', message, { status });
  } else if (status === 413) {
    return { type: 'split', status };
  } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return {
      type: 'drop',
      error: new ClientError('bad_request', errorMessage(result), { status, events: wireEvents(batch) }),
    };
  } else {
    error = new ClientError('http', errorMessage(result), { status });
  }
  return { type: 'retry', error, retryAfterMs: parseRetryAfter(result.retryAfter, http.clock.now()) };
}
