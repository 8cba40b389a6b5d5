/** One delivery attempt of a batch to `POST /v1/events`, classified into what the delivery loop should do next. */
import type { EventsResponse, TrackedEvent } from '@ab-calicritters/core';
import { parseRetryAfter } from './backoff.js';
import { ClientError } from './client-error.js';
import type { QueuedEvent } from './event.js';
import { errorMessage, postJson, type HttpContext } from './http.js';

/**
 * - `ack`: the server took the batch (some events may be in `rejected`): remove it
 * - `retry`: a network error, 408, 429, 5xx or another unexpected status: keep it, back off
 * - `split`: 413, the batch is too large: halve it
 * - `drop`: 400, the server refuses the envelope: remove it and report
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

function toResponse(body: unknown): EventsResponse {
  const b = (body ?? {}) as Partial<EventsResponse>;
  return { accepted: +b.accepted! || 0, duplicates: +b.duplicates! || 0, rejected: Array.isArray(b.rejected) ? b.rejected : [] };
}

/** Send a batch with `sent_at` (lets the server correct device clock skew) and classify the result. */
export async function sendBatch(http: HttpContext, batch: readonly QueuedEvent[]): Promise<SendOutcome> {
  const sentAt = new Date(http.clock.now()).toISOString();
  let result;
  try {
    result = await postJson(http, '/v1/events', `{"events":[${batch.map((e) => e.json).join(',')}],"sent_at":"${sentAt}"}`);
  } catch (cause) {
    return { type: 'retry', error: new ClientError('network', String(cause), { cause }), retryAfterMs: undefined };
  }
  const { status } = result;
  if (status >= 200 && status < 300) return { type: 'ack', response: toResponse(result.body) };
  if (status === 413) return { type: 'split', status };
  if (status === 400) {
    return { type: 'drop', error: new ClientError('bad_request', errorMessage(result), { status, events: wireEvents(batch) }) };
  }
  const error = new ClientError('http', errorMessage(result), { status });
  return { type: 'retry', error, retryAfterMs: parseRetryAfter(result.retryAfter, http.clock.now()) };
}
