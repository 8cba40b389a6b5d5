/**
 * Which variant the current user sees, decided as a pure function of what the client knows: a query-string override,
 * the local definitions (local evaluation), the server's answer, the bootstrap definitions. Local decisions use core's
 * `evaluateExperiment()`, the function the server runs, so both decide alike.
 */
import { evaluateExperiment, getQueryStringOverride } from '@ab-calicritters/core';
import { isStale, type ServerAnswer } from './assignment-store.js';
import type { EvaluationReason, SavedGroups, TargetedExperiment } from './wire-types.js';

/** Why the user got what they got: the server's reasons, plus `unknown` when nothing is known of the experiment. */
export type AssignmentReason = EvaluationReason | 'unknown';

/**
 * Where an assignment came from: `query_string` (the `?<key>=<index>` override), `definitions` (local evaluation),
 * `server` (its answer, cached), `bootstrap` (local evaluation until the server answers), `none`.
 */
export type AssignmentSource = 'query_string' | 'definitions' | 'server' | 'bootstrap' | 'none';

/** What {@link AbClient.getAssignment} returns. */
export interface VariantAssignment {
  /** The variant key, or null when the user is not in the experiment and nothing is released. */
  variant: string | null;
  reason: AssignmentReason;
  /** The variant's JSON payload, or null. */
  value: unknown;
  source: AssignmentSource;
}

/** Everything a decision depends on. */
export interface ResolveContext {
  userId: string;
  attributes: Readonly<Record<string, unknown>>;
  /** Fingerprint of `attributes`, to tell stale server answers. */
  fingerprint: string;
  savedGroups: SavedGroups;
  /** The page address when query-string overrides are enabled. */
  url: string | undefined;
  /** Set in local evaluation: only these decide. */
  definitions: ReadonlyMap<string, TargetedExperiment> | null;
  bootstrap: ReadonlyMap<string, TargetedExperiment>;
  answer(key: string): ServerAnswer | undefined;
}

/** Nothing known of the experiment. */
export const NOTHING: VariantAssignment = { variant: null, reason: 'unknown', value: null, source: 'none' };

/**
 * The user's assignment in `key`. A cached server answer that the attributes changed since may have overturned (an
 * exclusion) gives way to the bootstrap definition. May throw on a malformed definition; the client reports it.
 */
export function resolveAssignment(key: string, context: ResolveContext): VariantAssignment {
  const definition = (context.definitions ?? context.bootstrap).get(key);
  const forced = definition && context.url ? queryStringOverride(definition, context.url) : undefined;
  if (forced) return forced;
  if (context.definitions) return definition ? evaluateLocally(definition, context, 'definitions') : NOTHING;
  const answer = context.answer(key);
  if (definition && (!answer || isStale(answer, context.fingerprint))) {
    return evaluateLocally(definition, context, 'bootstrap');
  }
  return answer ? { variant: answer.variant, reason: answer.reason, value: answer.value, source: 'server' } : NOTHING;
}

/** The variant `?<key>=<index>` forces, GrowthBook-compatible: only for experiments with two variants or more. */
function queryStringOverride(definition: TargetedExperiment, url: string): VariantAssignment | undefined {
  const count = definition.variants.length;
  const index = count < 2 ? null : getQueryStringOverride(definition.key, url, count);
  if (index === null) return undefined;
  const variant = definition.variants[index]!;
  return { variant: variant.key, reason: 'forced', value: variant.value ?? null, source: 'query_string' };
}

/** Core's evaluation with the user id as the `id` attribute, whatever the attributes say (as the server does). */
function evaluateLocally(
  definition: TargetedExperiment,
  context: ResolveContext,
  source: AssignmentSource,
): VariantAssignment {
  const attributes = { ...context.attributes, id: context.userId };
  const result = evaluateExperiment({ attributes, savedGroups: context.savedGroups }, definition);
  const value = result.variant === null ? null : (definition.variants[result.index]?.value ?? null);
  return { variant: result.variant, reason: result.reason, value, source };
}
