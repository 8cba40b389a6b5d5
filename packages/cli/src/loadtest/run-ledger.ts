/**
 * What the server acknowledged during a run, kept by the load generator so the data checks can verify every
 * acknowledged row is stored, and that no two answers gave one user two variants of one experiment.
 */
import type { AcknowledgedAssignment, AcknowledgedEvent } from '@ab-calicritters/server';
import type { AssignmentResponse, EventsResponse, TrackedEvent } from '@ab-calicritters/core';

export interface LedgerTotals {
  assignment_responses: number;
  assignments_acknowledged: number;
  events_sent: number;
  events_acknowledged: number;
  /** Duplicates sent on purpose: repeats inside a batch and retries of acknowledged events. */
  intentional_duplicates: number;
  /** Sums of what event responses reported. */
  events_accepted_reported: number;
  events_duplicates_reported: number;
  events_rejected_reported: number;
  /** Bodies of 200 responses that could not be read. */
  unreadable_responses: number;
}

export interface RunLedger {
  /** Records the variants of a 200 assignment response. */
  assignmentResponse(body: string): void;
  /** Records the events of a 200 batch response that were not rejected. */
  eventsResponse(sent: readonly TrackedEvent[], body: string): void;
  eventsSent(count: number, intentionalDuplicates: number): void;
  /** One of the recently acknowledged events, for a session to re-send as a client retry would. */
  acknowledgedSample(): TrackedEvent | undefined;
  assignments(): AcknowledgedAssignment[];
  events(): AcknowledgedEvent[];
  totals(): LedgerTotals;
}

const SEP = '\u0000';
const RETRY_POOL = 256;

function parse<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

/** An empty ledger; `random` picks which acknowledged events are kept for retries. */
export function createRunLedger(random: () => number = Math.random): RunLedger {
  const variants = new Map<string, string>();
  // A second, different variant for a pair: kept so the checks count the conflict.
  const conflicting: AcknowledgedAssignment[] = [];
  const events = new Map<string, string>();
  const retryPool: TrackedEvent[] = [];
  const totals: LedgerTotals = {
    assignment_responses: 0,
    assignments_acknowledged: 0,
    events_sent: 0,
    events_acknowledged: 0,
    intentional_duplicates: 0,
    events_accepted_reported: 0,
    events_duplicates_reported: 0,
    events_rejected_reported: 0,
    unreadable_responses: 0,
  };

  return {
    assignmentResponse(body) {
      const response = parse<AssignmentResponse>(body);
      if (!response || typeof response.user_id !== 'string' || !Array.isArray(response.assignments)) {
        totals.unreadable_responses++;
        return;
      }
      totals.assignment_responses++;
      for (const a of response.assignments) {
        if (typeof a?.variant !== 'string') continue;
        const key = `${response.user_id}${SEP}${a.experiment_key}`;
        const known = variants.get(key);
        if (known === undefined) variants.set(key, a.variant);
        else if (known !== a.variant) {
          conflicting.push({ user_id: response.user_id, experiment_key: a.experiment_key, variant: a.variant });
        }
      }
    },

    eventsResponse(sent, body) {
      const response = parse<EventsResponse>(body);
      if (!response || typeof response.accepted !== 'number' || !Array.isArray(response.rejected)) {
        totals.unreadable_responses++;
        return;
      }
      totals.events_accepted_reported += response.accepted;
      totals.events_duplicates_reported += response.duplicates;
      totals.events_rejected_reported += response.rejected.length;
      const rejected = new Set(response.rejected.map((r) => r.index));
      sent.forEach((event, index) => {
        if (rejected.has(index)) return;
        events.set(event.event_id, event.user_id);
        // A bounded ring of acknowledged events, for sessions that simulate a client retry.
        if (retryPool.length < RETRY_POOL) retryPool.push(event);
        else retryPool[Math.floor(random() * RETRY_POOL)] = event;
      });
    },

    eventsSent(count, intentionalDuplicates) {
      totals.events_sent += count;
      totals.intentional_duplicates += intentionalDuplicates;
    },

    acknowledgedSample() {
      return retryPool.length === 0 ? undefined : retryPool[Math.floor(random() * retryPool.length)];
    },

    assignments() {
      const out: AcknowledgedAssignment[] = [];
      for (const [key, variant] of variants) {
        const [user_id = '', experiment_key = ''] = key.split(SEP);
        out.push({ user_id, experiment_key, variant });
      }
      return out.concat(conflicting);
    },

    events() {
      return [...events].map(([event_id, user_id]) => ({ event_id, user_id }));
    },

    totals() {
      return { ...totals, assignments_acknowledged: variants.size, events_acknowledged: events.size };
    },
  };
}
