/**
 * POST /v1/assignment logic: compute with core's assign(), then make it sticky in one statement that inserts what
 * is missing (ON CONFLICT DO NOTHING) and returns what already existed. Only a request that loses a race against a
 * concurrent first request needs a second read, which returns the winner's variant, so all of them agree.
 */
import { assign, type Assignment, type AssignmentRequest, type AssignmentResponse } from '@ab-calicritters/core';
import type { StoredExperiment } from '../storage/experiment-store.js';
import type { Storage } from '../storage/storage.js';
import type { ExperimentCache } from './experiment-cache.js';

export async function assignUser(
  storage: Storage,
  cache: ExperimentCache,
  request: AssignmentRequest,
): Promise<AssignmentResponse> {
  const all = await cache.byKey();
  const keys = request.experiment_keys
    ? [...new Set(request.experiment_keys)]
    : [...all.values()].filter((e) => e.status === 'running').map((e) => e.key);
  const unknown = keys.filter((k) => !all.has(k));
  const running = keys.map((k) => all.get(k)).filter((e): e is StoredExperiment => e?.status === 'running');

  const userId = request.user_id;
  // A stored row always wins; without one, users outside coverage (variant null) get no row.
  const computed = running.map((e) => ({ experiment_id: e.id, variant: assign(e, userId) }));
  const sticky = new Map((await storage.assignments.upsertSticky(userId, computed)).map((r) => [r.experiment_id, r]));
  const lostRace = computed
    .filter((r) => r.variant !== null && !sticky.has(r.experiment_id))
    .map((r) => r.experiment_id);
  if (lostRace.length > 0) {
    for (const row of await storage.assignments.find(userId, lostRace))
      sticky.set(row.experiment_id, { ...row, created: false });
  }

  const assignments: Assignment[] = keys
    .filter((k) => all.has(k))
    .map((key) => {
      const experiment = all.get(key) as StoredExperiment;
      const row = experiment.status === 'running' ? sticky.get(experiment.id) : undefined;
      return {
        experiment_key: key,
        variant: row?.variant ?? null,
        assigned_at: row ? row.assigned_at.toISOString() : null,
        new: row?.created ?? false,
      };
    });
  return { user_id: userId, assignments, unknown_experiments: unknown };
}
