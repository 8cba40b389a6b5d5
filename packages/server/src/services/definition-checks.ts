/**
 * Every check a definition must pass, in one place for the admin API and the CLI: schema first, then text PostgreSQL
 * can store (a name or seed with half an emoji would be stored as U+FFFD, so the seed that buckets users would not
 * be the one given), then rules.
 */
import { funnelStepProblems, jsonValueProblem, variantProblems, type ExperimentDefinition, type ExperimentPatch, type FunnelDefinition, type FunnelPatch } from '@ab-calicritters/core';
import type { ErrorDetail } from '../http/http-error.js';
import { check } from '../http/schema-validator.js';

/** After the schema: a string anywhere in the body that PostgreSQL cannot store, named by its JSON pointer. */
function schemaAndText(id: Parameters<typeof check>[0], body: unknown): ErrorDetail[] {
  const schema = check(id, body);
  if (schema.length > 0) return schema;
  const text = jsonValueProblem(body);
  return text ? [{ field: text.path || '/', message: text.message }] : [];
}

function immutable(body: unknown, field: string, what: string): ErrorDetail[] {
  return body && typeof body === 'object' && field in body
    ? [{ field: `/${field}`, message: `the ${field} of ${what} cannot change` }]
    : [];
}

export function experimentDefinitionProblems(body: unknown): ErrorDetail[] {
  const schema = schemaAndText('ExperimentDefinition', body);
  return schema.length > 0 ? schema : variantProblems((body as ExperimentDefinition).variants);
}

export function experimentPatchProblems(body: unknown): ErrorDetail[] {
  const fixed = immutable(body, 'key', 'an experiment');
  if (fixed.length > 0) return fixed;
  const schema = schemaAndText('ExperimentPatch', body);
  if (schema.length > 0) return schema;
  const variants = (body as ExperimentPatch).variants;
  return variants ? variantProblems(variants) : [];
}

export function funnelDefinitionProblems(body: unknown): ErrorDetail[] {
  const schema = schemaAndText('FunnelDefinition', body);
  return schema.length > 0 ? schema : funnelStepProblems((body as FunnelDefinition).steps);
}

export function funnelPatchProblems(body: unknown): ErrorDetail[] {
  const fixed = immutable(body, 'name', 'a funnel');
  if (fixed.length > 0) return fixed;
  const schema = schemaAndText('FunnelPatch', body);
  if (schema.length > 0) return schema;
  const steps = (body as FunnelPatch).steps;
  return steps ? funnelStepProblems(steps) : [];
}
