/**
 * POST /v1/assignment logic: evaluate each experiment's rules with core's evaluateExperiment(), then make bucketed
 * users sticky in one statement that inserts what is missing (ON CONFLICT DO NOTHING) and returns what already
 * existed. Only a request that loses a race against a concurrent first request needs a second read, which returns
 * the winner's variant, so all of them agree.
 */
import {
  evaluateExperiment,
  type Assignment,
  type AssignmentRequest,
  type AssignmentResponse,
  type ExperimentEvaluation,
} from '@ab-calicritters/core';
import type { StoredExperiment } from '../storage/experiment-store.js';
import type { Storage } from '../storage/storage.js';
import type { ExperimentCache } from './experiment-cache.js';
import { holdoutsFor, noRuleLookups, type RuleLookups } from './rule-lookups.js';

export async function assignUser(
  storage: Storage,
  cache: ExperimentCache,
  request: AssignmentRequest,
  rules: RuleLookups = noRuleLookups,
): Promise<AssignmentResponse> {
  const all = await cache.byKey();
  const keys = request.experiment_keys
    ? [...new Set(request.experiment_keys)]
    : [...all.values()].filter((e) => e.status === 'running').map((e) => e.key);
  const unknown = keys.filter((k) => !all.has(k));
  const running = keys.map((k) => all.get(k)).filter((e): e is StoredExperiment => e?.status === 'running');

  const userId = request.user_id;
  const [forcedVariations, holdouts] =
    running.length > 0 ? await Promise.all([rules.forcedVariations(userId), rules.holdouts()]) : [{}, []];
  // The request's user_id is the `id` attribute, whatever the attributes say, so the default hash is the user id.
  const context = { attributes: { ...request.attributes, id: userId }, forcedVariations };
  const evaluations = new Map<string, ExperimentEvaluation>(
    running.map((e) => [e.id, evaluateExperiment(context, { ...e, holdouts: holdoutsFor(holdouts, e.key) })]),
  );
  // A stored row always wins; without one, only bucketed users get a row (not excluded, not forced ones).
  const computed = running.map((e) => {
    const evaluation = evaluations.get(e.id)!;
    return { experiment_id: e.id, variant: evaluation.reason === 'assigned' ? evaluation.variant : null };
  });
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
      const evaluation = evaluations.get(experiment.id);
      // A QA override wins over a stored row; it is never stored, so forced users stay out of the analysis.
      if (evaluation?.reason === 'forced') {
        return { experiment_key: key, variant: evaluation.variant, assigned_at: null, new: false };
      }
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
