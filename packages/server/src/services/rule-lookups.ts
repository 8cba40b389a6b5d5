/**
 * The per-request rules that live outside an experiment's definition: QA overrides (forced variations by user id)
 * and holdouts. The assignment service asks for them through this interface; storage-backed lookups (with their own
 * caching) are passed to the routers as `RouterDeps.ruleLookups`.
 */
import type { Holdout } from '@ab-calicritters/core';
import type { MaybePromise } from './maybe-promise.js';

/** A holdout and the experiments it keeps its users out of. */
export interface RuleHoldout extends Holdout {
  /** Keys of the experiments the holdout covers, or `'all'` for every experiment. */
  experiments: readonly string[] | 'all';
}

/**
 * Where the assignment service finds overrides and holdouts. Called once per assignment request; a lookup that holds
 * its answer returns it as is, one that has to load it returns a promise.
 */
export interface RuleLookups {
  /** The user's forced variants: experiment key → variant key. Empty for a user without overrides. */
  forcedVariations(userId: string): MaybePromise<Record<string, string>>;
  /** Every active holdout with the experiments it covers. */
  holdouts(): MaybePromise<readonly RuleHoldout[]>;
}

/** No overrides and no holdouts: the default until a storage-backed {@link RuleLookups} is given. */
export const noRuleLookups: RuleLookups = {
  forcedVariations: () => ({}),
  holdouts: () => [],
};

/**
 * The holdouts that cover one experiment.
 * @example holdoutsFor([{ key: 'h1', share: 0.05, experiments: 'all' }], 'paywall') // [that holdout]
 */
export function holdoutsFor(holdouts: readonly RuleHoldout[], experimentKey: string): RuleHoldout[] {
  return holdouts.filter((h) => h.experiments === 'all' || h.experiments.includes(experimentKey));
}
