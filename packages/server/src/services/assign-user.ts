/**
 * POST /v1/assignment logic: compute with core's assign(), then make it sticky. Returning users cost one read;
 * first-timers one read and one INSERT … ON CONFLICT DO NOTHING; a lost race one more read, which returns the
 * winner's variant, so concurrent first requests always agree.
 */
import { assign, type Assignment, type AssignmentRequest, type AssignmentResponse } from '@ab-calicritters/core';
import type { StickyRow } from '../storage/assignment-store.js';
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
  const sticky = new Map<string, StickyRow>();
  const remember = (rows: StickyRow[]) => rows.forEach((r) => sticky.set(r.experiment_id, r));
  remember(await storage.assignments.find(userId, running.map((e) => e.id)));

  const fresh = running
    .filter((e) => !sticky.has(e.id))
    .map((e) => ({ experiment_id: e.id, variant: assign(e, userId) }))
    .filter((r): r is { experiment_id: string; variant: string } => r.variant !== null);
  const created = await storage.assignments.insertIfAbsent(userId, fresh);
  remember(created);
  const lostRace = fresh.filter((r) => !sticky.has(r.experiment_id)).map((r) => r.experiment_id);
  if (lostRace.length > 0) remember(await storage.assignments.find(userId, lostRace));

  const createdIds = new Set(created.map((r) => r.experiment_id));
  const assignments: Assignment[] = keys
    .filter((k) => all.has(k))
    .map((key) => {
      const experiment = all.get(key) as StoredExperiment;
      const row = experiment.status === 'running' ? sticky.get(experiment.id) : undefined;
      return {
        experiment_key: key,
        variant: row?.variant ?? null,
        assigned_at: row ? row.assigned_at.toISOString() : null,
        new: row ? createdIds.has(experiment.id) : false,
      };
    });
  return { user_id: userId, assignments, unknown_experiments: unknown };
}
