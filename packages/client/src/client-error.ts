/** The one error type the SDK reports through `client.on('error')`; it is emitted, never thrown from `track()`. */
import type { TrackedEvent } from './wire-types.js';

/**
 * What went wrong, as a stable code:
 * - `network`: a request failed or timed out (events kept, retried)
 * - `http`: 408, 429, 5xx or another unexpected status (events kept, retried; `Retry-After` honoured)
 * - `bad_response`: a 2xx that is not the server's events answer, e.g. a captive portal's HTML page, an empty 204,
 *   `{}` (events kept, retried)
 * - `rejected`: the server rejected single events as invalid (dropped, never retried)
 * - `bad_request`: a whole batch answered with a 4xx other than 408, 413 and 429 — 400, 401, 403, 404, 422, …
 *   (dropped, never retried; `status` and `events` tell which)
 * - `too_large`: one event alone exceeded the server's size limit (dropped)
 * - `invalid_event`: `track()` got an event the server would refuse: a bad name, a string with NUL or an unpaired
 *   UTF-16 surrogate, properties too deep, with too many keys or too large (not queued)
 * - `queue_full`: the oldest events were dropped to respect `maxQueueSize`
 * - `storage`: the storage adapter failed (events stay in memory and are still sent)
 * - `assignment`: `POST /v1/assignment` failed (cached or local variants are used)
 * - `definitions`: `GET /v1/definitions` failed or answered something else than definitions (the ones in use stay)
 * - `invalid_argument`: a method got an argument it cannot use (e.g. `identify()` or `setAttributes()` with a user id
 *   or attributes the server would refuse, malformed `setDefinitions()` input; the call is ignored), or a definition's
 *   rules throw when read (`getVariant` returns null)
 */
export type ClientErrorCode =
  | 'network'
  | 'http'
  | 'bad_response'
  | 'rejected'
  | 'bad_request'
  | 'too_large'
  | 'invalid_event'
  | 'queue_full'
  | 'storage'
  | 'assignment'
  | 'definitions'
  | 'invalid_argument';

/** Extra detail attached to a {@link ClientError}. */
export interface ClientErrorDetail {
  /** HTTP status, when a response was received. */
  status?: number;
  /** The events this error dropped (for `rejected`, `bad_request`, `too_large`, `invalid_event`, `queue_full`). */
  events?: TrackedEvent[];
  /** Per-event reasons from the server, aligned with `events` for `rejected`. */
  reasons?: string[][];
  cause?: unknown;
}

/**
 * An SDK failure with a stable `code`.
 * @example client.on('error', (err) => { if (err.code === 'rejected') console.warn(err.reasons) })
 */
export class ClientError extends Error {
  declare readonly code: ClientErrorCode;
  declare readonly status: number | undefined;
  declare readonly events: TrackedEvent[];
  declare readonly reasons: string[][];

  constructor(code: ClientErrorCode, message: string, detail: ClientErrorDetail = {}) {
    super(message, { cause: detail.cause });
    Object.assign(this, {
      name: 'ClientError',
      code,
      status: detail.status,
      events: detail.events ?? [],
      reasons: detail.reasons ?? [],
    });
  }
}
