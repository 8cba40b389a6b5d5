/**
 * The wire types the SDK's public declarations mention, spelt out here instead of imported from core: the published
 * package bundles core's code and must not need `@ab-calicritters/core` (nor TypeBox) for its types either.
 * `wire-types.test.ts` fails to type-check when one of them drifts from core's.
 */

/** The part of an experiment definition that assignment needs (core's `AssignableExperiment`). */
export interface AssignableExperiment {
  key: string;
  /** Hash seed; defaults to the key. */
  seed?: string | null;
  /** Share of users in the experiment, 0..1; defaults to 1. */
  coverage?: number | null;
  variants: ReadonlyArray<{ key: string; weight: number }>;
  hashVersion?: 1 | 2;
}

/** One experiment's sticky assignment as the server returns it. */
interface Assignment {
  experiment_key: string;
  variant: string | null;
  /** When the sticky row was first written; null when the user is outside coverage. */
  assigned_at: string | null;
  /** True when this request created the sticky row. */
  new: boolean;
}

/** The body of `POST /v1/assignment`. */
export interface AssignmentResponse {
  user_id: string;
  assignments: Assignment[];
  unknown_experiments: string[];
}

/** One event as sent in a batch to `POST /v1/events`. */
export interface TrackedEvent {
  event_id: string;
  user_id: string;
  name: string;
  timestamp: string;
  properties?: Record<string, unknown>;
}

/** The body of `POST /v1/events`. */
export interface EventsResponse {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; errors: string[] }>;
}
