/**
 * Exposures recorded by the server: `POST /v1/assignment` with `"exposed": true` stores one `$exposure` event per
 * experiment answered with a variant, exactly as the SDK would send it (`{ experiment_key, variant }`), through the
 * event log's own insert. The event id is derived from (user, experiment, variant, UTC day), so a user asked about
 * many times a day adds one row per experiment and day: ON CONFLICT drops the rest, keeping the hot path to one
 * small insert and the event log from growing with request volume.
 */
import { createHash } from 'node:crypto';
import type { AssignmentResponse } from '@ab-calicritters/core';
import type { EventRow } from '../storage/event-store.js';

/** The event name the SDK logs an exposure under (the client's `EXPOSURE_EVENT`). */
const EXPOSURE_EVENT = '$exposure';

/** A name-based UUID (version 5 layout over SHA-1), stable for the same parts. */
function stableUuid(parts: readonly string[]): string {
  const bytes = createHash('sha1').update(JSON.stringify(parts)).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The `$exposure` rows for every assignment of `response` that has a variant, at `now`. */
export function exposureRows(response: AssignmentResponse, now: Date): EventRow[] {
  const at = now.toISOString();
  const day = at.slice(0, 10);
  return response.assignments
    .filter((a) => a.variant !== null)
    .map((a) => ({
      event_id: stableUuid(['exposure', response.user_id, a.experiment_key, a.variant!, day]),
      user_id: response.user_id,
      name: EXPOSURE_EVENT,
      client_timestamp: at,
      occurred_at: at,
      properties: { experiment_key: a.experiment_key, variant: a.variant },
    }));
}
