/**
 * Data-consistency checks run after a load test, scoped to that run's rows: its users are `userPrefix + 0 …
 * userPrefix + (userCount − 1)`. The queries are `storage.loadTests.checks` (storage/load-test-check-queries.ts); this
 * module compares their answers with what the load generator saw acknowledged.
 */
import type { LoadTestDataCheck } from '@ab-calicritters/core';
import type { Storage } from '../storage/storage-types.js';

/** An assignment the server acknowledged (a 200 response naming a variant). */
export interface AcknowledgedAssignment {
  user_id: string;
  experiment_key: string;
  variant: string;
}

/** An event the server acknowledged (in a 200 batch and not among its rejected indexes). */
export interface AcknowledgedEvent {
  event_id: string;
  user_id: string;
}

/** Which rows belong to the run, and what the load generator saw acknowledged. */
export interface LoadTestCheckScope {
  /** Every user id of the run is this prefix followed by an index from 0 to `userCount − 1`. */
  userPrefix: string;
  userCount: number;
  /** The run's time window: rollup runs overlapping it are checked for overlaps with each other. */
  startedAt: Date;
  endedAt: Date;
  /** Distinct acknowledged (user, experiment, variant) triples; two variants for one pair is a conflict. */
  assignments: readonly AcknowledgedAssignment[];
  /** Distinct acknowledged events. */
  events: readonly AcknowledgedEvent[];
  /** Duplicate events sent on purpose (retries, repeats inside a batch), reported for context. */
  intentionalDuplicates?: number;
  /** Keys per query when checking acknowledged rows (default 5000). */
  chunkSize?: number;
}

/** Names of the checks, in the order they are reported. */
export const LOAD_TEST_CHECK_NAMES = [
  'duplicate_assignment_rows',
  'duplicate_event_ids',
  'sticky_conflicts',
  'row_presence',
  'rollup_overlap',
] as const;

const SAMPLE_SIZE = 5;

function check(name: string, violations: number, checked: number, details: Record<string, unknown>): LoadTestDataCheck {
  return { name, passed: violations === 0, violations, checked, details };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs every check and returns one result per name in {@link LOAD_TEST_CHECK_NAMES}.
 * @example const checks = await runLoadTestChecks(storage, { userPrefix: 'lt-…-', userCount: 500, … });
 */
export async function runLoadTestChecks(storage: Storage, scope: LoadTestCheckScope): Promise<LoadTestDataCheck[]> {
  if (!Number.isInteger(scope.userCount) || scope.userCount < 0) throw new Error('userCount must be an integer ≥ 0');
  if (!scope.userPrefix) throw new Error('userPrefix is required: without it the checks would not be scoped');
  const size = scope.chunkSize ?? 5000;
  const queries = storage.loadTests.checks;
  const run = { prefix: scope.userPrefix, count: scope.userCount };
  const pairKey = (userId: string, experimentKey: string) => `${userId}\u0000${experimentKey}`;

  // 1. At most one sticky row per (experiment, user): guaranteed today by the primary key, checked so that a schema
  //    change (partitioning, a surrogate key) cannot silently break it.
  const dupAssign = await queries.duplicateAssignmentRows(run);

  // 2. One stored row per event id, whatever retries and repeats were sent.
  const dupEvents = await queries.duplicateEventIds(run);

  // 3. Sticky conflicts: one (user, experiment) seen with two variants, across stored rows, the variants events were
  //    enriched with, and what responses said.
  const conflicts = new Map<string, Set<string>>();
  const note = (userId: string, experimentKey: string, variant: string) => {
    const key = pairKey(userId, experimentKey);
    const variants = conflicts.get(key) ?? new Set<string>();
    variants.add(variant);
    conflicts.set(key, variants);
  };
  for (const row of await queries.storedVariantConflicts(run))
    for (const v of row.variants) note(row.user_id, row.experiment_key, v);

  const acknowledged = new Map<string, AcknowledgedAssignment>();
  for (const a of scope.assignments) {
    const key = pairKey(a.user_id, a.experiment_key);
    const first = acknowledged.get(key);
    if (!first) acknowledged.set(key, a);
    else if (first.variant !== a.variant) {
      note(a.user_id, a.experiment_key, first.variant);
      note(a.user_id, a.experiment_key, a.variant);
    }
  }

  // 4. Presence: every acknowledged assignment and event is stored (and the stored variant is the one answered).
  let assignmentsMissing = 0;
  const missingSamples: Array<Record<string, unknown>> = [];
  for (const chunk of chunks([...acknowledged.values()], size)) {
    for (const row of await queries.assignmentMismatches(chunk)) {
      if (row.stored_variant === null) {
        assignmentsMissing++;
        if (missingSamples.length < SAMPLE_SIZE) missingSamples.push({ kind: 'assignment', ...row });
      } else {
        note(row.user_id, row.experiment_key, row.variant);
        note(row.user_id, row.experiment_key, row.stored_variant);
      }
    }
  }
  let eventsMissing = 0;
  for (const chunk of chunks(scope.events, size)) {
    const rows = await queries.missingEvents(chunk);
    eventsMissing += rows.length;
    for (const row of rows.slice(0, SAMPLE_SIZE - missingSamples.length))
      missingSamples.push({ kind: 'event', ...row });
  }

  const conflictSamples = [...conflicts.entries()].slice(0, SAMPLE_SIZE).map(([key, variants]) => {
    const [user_id, experiment_key] = key.split('\u0000');
    return { user_id, experiment_key, variants: [...variants].sort() };
  });

  // 5. Rollup runs of one job never overlap in time (the job's lock works under load).
  const overlap = await queries.rollupOverlaps(scope.startedAt, scope.endedAt);

  const acknowledgedTotal = acknowledged.size + scope.events.length;
  const missingTotal = assignmentsMissing + eventsMissing;
  const presenceDetails: Record<string, unknown> = {
    assignments_acknowledged: acknowledged.size,
    assignments_missing: assignmentsMissing,
    events_acknowledged: scope.events.length,
    events_missing: eventsMissing,
    samples: missingSamples,
  };
  if (acknowledgedTotal > 0 && missingTotal === acknowledgedTotal) {
    presenceDetails.hint =
      'none of the acknowledged rows are in this database: does the server use the same DATABASE_URL?';
  }

  return [
    check('duplicate_assignment_rows', dupAssign.violations, dupAssign.checked, { samples: dupAssign.samples }),
    check('duplicate_event_ids', dupEvents.violations, dupEvents.checked, {
      intentional_duplicates_sent: scope.intentionalDuplicates ?? 0,
      samples: dupEvents.samples,
    }),
    check('sticky_conflicts', conflicts.size, Math.max(acknowledged.size, dupAssign.checked), {
      samples: conflictSamples,
    }),
    check('row_presence', missingTotal, acknowledgedTotal, presenceDetails),
    check('rollup_overlap', overlap.violations, overlap.checked, {
      window_start: scope.startedAt.toISOString(),
      window_end: scope.endedAt.toISOString(),
      samples: overlap.samples,
    }),
  ];
}
