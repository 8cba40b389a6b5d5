/**
 * evaluateExperiment(): the full rules of one experiment for one user — overrides, release, holdouts, namespace,
 * targeting condition, coverage and bucketing — as a pure function, so the server and the SDK decide alike.
 * Follows GrowthBook's `run` semantics for the features it shares with them.
 */
import type { AssignableExperiment } from './assign.js';
import { bucketRanges, chooseBucket } from './bucket-ranges.js';
import { evalCondition, type Attributes, type Condition, type SavedGroups } from './conditions/eval-condition.js';
import { hash } from './hash.js';
import { isInHoldout, type Holdout } from './holdout.js';
import { inNamespace, type NamespaceRange } from './namespace.js';
import { getQueryStringOverride } from './query-string-override.js';

/** The attribute users are hashed by unless an experiment names another. */
export const DEFAULT_HASH_ATTRIBUTE = 'id';

/**
 * Why a user got what they got:
 * `forced` (a QA override or the experiment's `force`), `released` (the experiment ships one variant to everyone),
 * `inactive` (not running, disabled, or fewer than two variants), `holdout`, `namespace` (outside the experiment's
 * namespace range), `not_targeted` (the condition does not match, or the hash attribute is missing),
 * `outside_coverage`, `assigned` (bucketed by hash).
 */
export type EvaluationReason =
  'forced' | 'released' | 'inactive' | 'holdout' | 'namespace' | 'not_targeted' | 'outside_coverage' | 'assigned';

/** A variant named by index or by key. */
export type VariantRef = number | string;

/** What is known about the user and the environment. */
export interface EvaluationContext {
  attributes?: Attributes | null;
  savedGroups?: SavedGroups | null;
  /** QA overrides by experiment key. */
  forcedVariations?: Readonly<Record<string, VariantRef>> | null;
  /** The page address, read for `?<experiment_key>=<index>` overrides; leave it out to disable them. */
  url?: string | null;
  /** False turns every experiment off (users see the control). */
  enabled?: boolean;
  /** Only forced variants apply; nobody is bucketed. */
  qaMode?: boolean;
}

/** An experiment with its targeting rules. */
export interface TargetedExperiment extends AssignableExperiment {
  /** False: nobody is bucketed (overrides still apply). Defaults to true. */
  active?: boolean;
  condition?: Condition | null;
  namespace?: NamespaceRange | null;
  /** Attribute whose value is hashed; defaults to `id`. */
  hashAttribute?: string | null;
  /** Used when the hash attribute is missing or empty, e.g. `device_id` for logged-out users. */
  fallbackAttribute?: string | null;
  /** Variant every user inside coverage gets, GrowthBook's experiment-level `force`; one naming no variant stops the experiment. */
  force?: VariantRef | null;
  /** Variant shipped to everyone once the experiment is released. */
  released?: VariantRef | null;
  /** Holdouts covering this experiment. */
  holdouts?: readonly Holdout[] | null;
}

/** The outcome for one user. */
export interface ExperimentEvaluation {
  /** Index of the variant to show: 0 (the control) when the user is not in the experiment and nothing is released. */
  index: number;
  /** Key of the variant the user gets, or null when they are not in the experiment and nothing is released. */
  variant: string | null;
  /** True when the user is bucketed or forced: exposures count; false for released, excluded or inactive. */
  inExperiment: boolean;
  /** True when the variant came from hashing the user (not from an override or release). */
  hashUsed: boolean;
  /** The hash attribute and its value as text ('' when the user has neither it nor the fallback). */
  hashAttribute: string;
  hashValue: string;
  /** The user's hash in [0, 1) when bucketing ran, else null. */
  bucket: number | null;
  reason: EvaluationReason;
}

/**
 * Decide one user's variant in order: overrides (query string, forced variations) → released → active → holdout →
 * namespace → condition → coverage → bucket. Never throws: malformed rules make the user not in the experiment.
 * @example evaluateExperiment({ attributes: { id: 'u1', country: 'CA' } }, { key: 'paywall', condition: { country: 'CA' }, variants })
 */
export function evaluateExperiment(context: EvaluationContext, experiment: TargetedExperiment): ExperimentEvaluation {
  const count = experiment.variants.length;
  const attributes = context.attributes ?? {};
  const { attribute, value } = hashAttributeOf(experiment, attributes);
  const outcome = (reason: EvaluationReason, index = -1, bucket: number | null = null): ExperimentEvaluation => ({
    index: Math.max(index, 0),
    variant: index >= 0 ? (experiment.variants[index]?.key ?? null) : null,
    inExperiment: reason === 'forced' || reason === 'assigned',
    hashUsed: reason === 'assigned',
    hashAttribute: attribute,
    hashValue: value,
    bucket,
    reason,
  });

  if (count < 2 || context.enabled === false) return outcome('inactive');
  if (context.url) {
    const fromUrl = getQueryStringOverride(experiment.key, context.url, count);
    if (fromUrl !== null) return outcome('forced', fromUrl);
  }
  const forced = context.forcedVariations;
  if (forced && Object.hasOwn(forced, experiment.key)) {
    const index = variantIndex(experiment, forced[experiment.key]);
    if (index >= 0) return outcome('forced', index);
  }
  const released = variantIndex(experiment, experiment.released);
  if (released >= 0) return outcome('released', released);
  if (experiment.active === false) return outcome('inactive');
  if (value === '') return outcome('not_targeted');
  if (experiment.holdouts?.some((holdout) => isInHoldout(holdout, value))) return outcome('holdout');
  if (experiment.namespace && !inNamespace(value, experiment.namespace)) return outcome('namespace');
  if (experiment.condition && !evalCondition(attributes, experiment.condition, context.savedGroups ?? {})) {
    return outcome('not_targeted');
  }

  const bucket = hash(experiment.seed || experiment.key, value, experiment.hashVersion ?? 2);
  if (bucket === null) return outcome('inactive');
  const weights = experiment.variants.map((variant) => variant.weight);
  const index = chooseBucket(bucket, bucketRanges(count, experiment.coverage ?? 1, weights));
  if (index < 0) return outcome('outside_coverage', -1, bucket);
  // GrowthBook applies an experiment's `force` only to users inside coverage; one naming no variant stops it.
  if (experiment.force !== null && experiment.force !== undefined) {
    const forcedIndex = variantIndex(experiment, experiment.force);
    return forcedIndex >= 0 ? outcome('forced', forcedIndex, bucket) : outcome('inactive', -1, bucket);
  }
  if (context.qaMode) return outcome('inactive', -1, bucket);
  return outcome('assigned', index, bucket);
}

/** The attribute to hash and its value as text; the fallback attribute is used when the first is missing. */
function hashAttributeOf(experiment: TargetedExperiment, attributes: Attributes): { attribute: string; value: string } {
  const primary = experiment.hashAttribute || DEFAULT_HASH_ATTRIBUTE;
  const value = attributeText(attributes, primary);
  if (value === '' && experiment.fallbackAttribute) {
    const fallback = attributeText(attributes, experiment.fallbackAttribute);
    if (fallback !== '') return { attribute: experiment.fallbackAttribute, value: fallback };
  }
  return { attribute: primary, value };
}

function attributeText(attributes: Attributes, name: string): string {
  if (!Object.hasOwn(attributes, name)) return '';
  const value = attributes[name];
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/** Index of a variant named by index or key, or -1 when it names none. */
function variantIndex(experiment: TargetedExperiment, ref: VariantRef | null | undefined): number {
  if (typeof ref === 'number') return Number.isInteger(ref) && ref >= 0 && ref < experiment.variants.length ? ref : -1;
  if (typeof ref === 'string') return experiment.variants.findIndex((variant) => variant.key === ref);
  return -1;
}
