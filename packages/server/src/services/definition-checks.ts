/**
 * Every check a definition must pass, in one place for the admin API and the CLI: schema first, then text PostgreSQL
 * can store (a name or seed with half an emoji would be stored as U+FFFD, so the seed that buckets users would not
 * be the one given), then rules.
 */
import {
  checkCondition,
  funnelStepProblems,
  jsonValueProblem,
  LIMITS,
  MAX_VARIANT_VALUE_BYTES,
  namespaceProblems,
  variantProblems,
  type ExperimentDefinition,
  type ExperimentPatch,
  type FunnelDefinition,
  type FunnelPatch,
  type RequestBody,
  type RequestSchemaId,
} from '@ab-calicritters/core';
import type { ErrorDetail } from '../http/http-error.js';
import { parse, type Parsed } from '../http/schema-validator.js';

/** After the schema: a string anywhere in the body that PostgreSQL cannot store, named by its JSON pointer. */
function schemaAndText<K extends RequestSchemaId>(id: K, body: unknown): Parsed<RequestBody<K>> {
  const parsed = parse(id, body);
  if (!parsed.ok) return parsed;
  const text = jsonValueProblem(parsed.value);
  return text ? { ok: false, problems: [{ field: text.path || '/', message: text.message }] } : parsed;
}

function immutable(body: unknown, field: string, what: string): ErrorDetail[] {
  return body && typeof body === 'object' && field in body
    ? [{ field: `/${field}`, message: `the ${field} of ${what} cannot change` }]
    : [];
}

/** The parsed value, unless the rules found problems with it. */
function unlessAny<T>(parsed: Parsed<T>, rules: (value: T) => ErrorDetail[]): Parsed<T> {
  if (!parsed.ok) return parsed;
  const problems = rules(parsed.value);
  return problems.length > 0 ? { ok: false, problems } : parsed;
}

const problemsOf = (parsed: Parsed<unknown>): ErrorDetail[] => (parsed.ok ? [] : parsed.problems);

/** `archived` is a status only archiving sets (DELETE), so that archiving has one way in and no way out. */
function archivedStatus(status: ExperimentDefinition['status']): ErrorDetail[] {
  if (status !== 'archived') return [];
  const message =
    "'archived' is set by archiving (DELETE /v1/admin/experiments/:key, or calicritters experiments archive), not by a definition";
  return [{ field: '/status', message }];
}

/**
 * With no list of saved groups, none exists: `$inGroup`/`$notInGroup` are refused (naming the path), rather than
 * matching no one (or everyone) in silence.
 */
const NO_SAVED_GROUPS: readonly string[] = [];

/** The rules of a definition or patch that need no stored state: condition, namespace, payload sizes. */
function ruleProblems(fields: ExperimentPatch, savedGroupIds: Iterable<string>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (fields.condition) {
    problems.push(...checkCondition(fields.condition, { path: '/condition', savedGroupIds }));
  }
  if (fields.namespace) {
    problems.push(...namespaceProblems(fields.namespace));
    const name = fields.namespace[0];
    if (typeof name === 'string' && name.length > LIMITS.maxKeyLength) {
      problems.push({ field: '/namespace/0', message: `name must be at most ${LIMITS.maxKeyLength} characters` });
    }
  }
  fields.variants?.forEach((variant, index) => {
    if (variant.value === undefined) return;
    // Bytes as stored and sent: UTF-8 of the JSON text.
    const bytes = new TextEncoder().encode(JSON.stringify(variant.value)).length;
    if (bytes > MAX_VARIANT_VALUE_BYTES) {
      problems.push({
        field: `/variants/${index}/value`,
        message: `value is ${bytes} bytes of JSON; at most ${MAX_VARIANT_VALUE_BYTES}`,
      });
    }
  });
  return problems;
}

/**
 * A new experiment, typed, or every problem with it.
 * @param savedGroupIds the saved groups that exist, which `$inGroup`/`$notInGroup` may name (default: none)
 */
export function parseExperimentDefinition(
  body: unknown,
  savedGroupIds: Iterable<string> = NO_SAVED_GROUPS,
): Parsed<ExperimentDefinition> {
  return unlessAny(schemaAndText('ExperimentDefinition', body), (def) => [
    ...variantProblems(def.variants),
    ...archivedStatus(def.status),
    ...ruleProblems(def, savedGroupIds),
  ]);
}

/** An experiment PATCH body, typed, or every problem with it; `savedGroupIds` as for {@link parseExperimentDefinition}. */
export function parseExperimentPatch(
  body: unknown,
  savedGroupIds: Iterable<string> = NO_SAVED_GROUPS,
): Parsed<ExperimentPatch> {
  const fixed = immutable(body, 'key', 'an experiment');
  if (fixed.length > 0) return { ok: false, problems: fixed };
  return unlessAny(schemaAndText('ExperimentPatch', body), (patch) => [
    ...(patch.variants ? variantProblems(patch.variants) : []),
    ...archivedStatus(patch.status),
    ...ruleProblems(patch, savedGroupIds),
  ]);
}

/** A new funnel, typed, or every problem with it. */
export function parseFunnelDefinition(body: unknown): Parsed<FunnelDefinition> {
  return unlessAny(schemaAndText('FunnelDefinition', body), (def) => funnelStepProblems(def.steps));
}

/** A funnel PATCH body, typed, or every problem with it. */
export function parseFunnelPatch(body: unknown): Parsed<FunnelPatch> {
  const fixed = immutable(body, 'name', 'a funnel');
  if (fixed.length > 0) return { ok: false, problems: fixed };
  return unlessAny(schemaAndText('FunnelPatch', body), (patch) => (patch.steps ? funnelStepProblems(patch.steps) : []));
}

/** Every problem with a new experiment; none when the admin API would accept it (with these saved groups). */
export const experimentDefinitionProblems = (body: unknown, savedGroupIds?: Iterable<string>): ErrorDetail[] =>
  problemsOf(parseExperimentDefinition(body, savedGroupIds));

/** Every problem with an experiment PATCH body. */
export const experimentPatchProblems = (body: unknown, savedGroupIds?: Iterable<string>): ErrorDetail[] =>
  problemsOf(parseExperimentPatch(body, savedGroupIds));

/** Every problem with a new funnel. */
export const funnelDefinitionProblems = (body: unknown): ErrorDetail[] => problemsOf(parseFunnelDefinition(body));

/** Every problem with a funnel PATCH body. */
export const funnelPatchProblems = (body: unknown): ErrorDetail[] => problemsOf(parseFunnelPatch(body));
