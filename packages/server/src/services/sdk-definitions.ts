/**
 * The experiment definitions `GET /v1/definitions` serves, in the shape the client SDK's `setDefinitions()` takes
 * (core's `TargetedExperiment`): exactly what the assignment service gives core's `evaluateExperiment()` for the same
 * stored experiment, so an SDK evaluating them offline decides as the server does for a first-time user.
 */
import type { SavedGroups, TargetedExperiment } from '@ab-calicritters/core';
import type { StoredExperiment } from '../storage/experiment-store.js';
import { savedGroupKeysOf } from '../storage/saved-group-store.js';
import { holdoutsFor, type RuleHoldout } from './rule-lookups.js';

/** The body of `GET /v1/definitions`. */
export interface DefinitionsResponse {
  /** Running and released experiments; drafts, stopped and archived ones are left out. */
  experiments: TargetedExperiment[];
  /**
   * The saved groups the experiments' conditions name (`$inGroup` / `$notInGroup`), values by key: what the SDK's
   * `setDefinitions(experiments, saved_groups)` takes. Groups no served condition names are left out.
   */
  saved_groups: SavedGroups;
}

/**
 * One stored experiment as the SDK evaluates it: a released one names its `released` variant (and gets no holdouts,
 * as on the server); a running one carries the active holdouts that cover it. Empty rules are left out (core's
 * defaults are the same: hash by `id`, no condition, no namespace).
 */
function sdkDefinition(experiment: StoredExperiment, holdouts: readonly RuleHoldout[]): TargetedExperiment {
  const released = experiment.status === 'released' ? experiment.released_variant : null;
  const covering = experiment.status === 'running' ? holdoutsFor(holdouts, experiment.key) : [];
  const definition: TargetedExperiment = {
    key: experiment.key,
    seed: experiment.seed,
    coverage: experiment.coverage,
    variants: experiment.variants,
  };
  if (experiment.condition) definition.condition = experiment.condition;
  if (experiment.namespace) definition.namespace = experiment.namespace;
  if (experiment.hash_attribute && experiment.hash_attribute !== 'id')
    definition.hashAttribute = experiment.hash_attribute;
  if (experiment.fallback_attribute) definition.fallbackAttribute = experiment.fallback_attribute;
  if (released !== null) definition.released = released;
  if (covering.length > 0) {
    definition.holdouts = covering.map(({ key, seed, share, hashVersion }) => ({
      key,
      share,
      ...(seed != null && { seed }),
      ...(hashVersion !== undefined && { hashVersion }),
    }));
  }
  return definition;
}

/** Every running or released experiment, by key order, as {@link sdkDefinition}s, with the saved groups they name. */
export function sdkDefinitions(
  experiments: Iterable<StoredExperiment>,
  holdouts: readonly RuleHoldout[],
  savedGroups: SavedGroups = {},
): DefinitionsResponse {
  const live = [...experiments].filter((e) => e.status === 'running' || e.status === 'released');
  live.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const named = new Set<string>();
  for (const e of live) if (e.condition) savedGroupKeysOf(e.condition, named);
  const groups: Record<string, readonly unknown[]> = {};
  for (const key of [...named].sort()) if (Object.hasOwn(savedGroups, key)) groups[key] = savedGroups[key]!;
  return { experiments: live.map((e) => sdkDefinition(e, holdouts)), saved_groups: groups };
}
