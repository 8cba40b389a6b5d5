/** Rules a definition must meet beyond its JSON Schema (weights summing to 1, unique variant keys). */
import type { VariantDefinition } from './wire-types.js';

/** Accepted distance of the weight sum from 1 (floating-point input like 0.1 + 0.2 + 0.7). */
export const WEIGHT_SUM_EPSILON = 1e-6;

/** A rule violation naming the JSON path of the field at fault. */
export interface DefinitionProblem {
  field: string;
  message: string;
}

/**
 * Problems with a variant list; empty when it is valid.
 * @example variantProblems([{ key: 'a', weight: 0.5 }, { key: 'a', weight: 0.5 }]) // duplicate key 'a'
 */
export function variantProblems(variants: readonly VariantDefinition[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const seen = new Set<string>();
  variants.forEach((variant, index) => {
    if (seen.has(variant.key)) {
      problems.push({ field: `/variants/${index}/key`, message: `duplicate variant key '${variant.key}'` });
    }
    seen.add(variant.key);
  });
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (Math.abs(total - 1) > WEIGHT_SUM_EPSILON) {
    problems.push({ field: '/variants', message: `variant weights must sum to 1 (got ${Number(total.toFixed(6))})` });
  }
  return problems;
}

/** Problems with a funnel's steps: a step may not directly repeat (it could never be told apart). */
export function funnelStepProblems(steps: readonly string[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  steps.forEach((step, index) => {
    if (index > 0 && steps[index - 1] === step) {
      problems.push({ field: `/steps/${index}`, message: `step '${step}' repeats the previous step` });
    }
  });
  return problems;
}

/** Rules of a catalog metric beyond its schema: which fields each kind needs and may have, and the cap's range. */
export function metricDefinitionProblems(def: {
  kind: string;
  event?: string | undefined;
  filter?: { property: string; equals: unknown } | null | undefined;
  property?: string | undefined;
  numerator?: string | undefined;
  denominator?: string | undefined;
  window_hours?: number | null | undefined;
  capping?: { type: string; value: number } | null | undefined;
  cuped_lookback_days?: number | undefined;
}): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const forbid = (field: string, why: string) => problems.push({ field: `/${field}`, message: why });
  if (def.kind === 'ratio') {
    if (def.numerator === undefined)
      forbid('numerator', 'a ratio metric needs a numerator (a count or sum metric key)');
    if (def.denominator === undefined)
      forbid('denominator', 'a ratio metric needs a denominator (a count or sum metric key)');
    if (def.numerator !== undefined && def.numerator === def.denominator)
      forbid('denominator', 'must differ from the numerator');
    for (const field of ['event', 'filter', 'property', 'window_hours', 'capping', 'cuped_lookback_days'] as const) {
      if (def[field] !== undefined && def[field] !== null)
        forbid(field, `not used by a ratio metric: set it on the numerator and denominator metrics`);
    }
    return problems;
  }
  if (def.event === undefined) forbid('event', `a ${def.kind} metric needs the event it counts`);
  if (def.numerator !== undefined) forbid('numerator', 'only a ratio metric has a numerator');
  if (def.denominator !== undefined) forbid('denominator', 'only a ratio metric has a denominator');
  if (def.property !== undefined && def.kind !== 'sum') forbid('property', 'only a sum metric sums a property');
  const equals = def.filter?.equals;
  if (def.filter && !['string', 'number', 'boolean'].includes(typeof equals)) {
    forbid('filter/equals', 'must be a string, a number or a boolean');
  }
  if (def.capping) {
    const { type, value } = def.capping;
    if (type === 'percentile' && !(value > 0 && value < 1)) forbid('capping/value', 'a percentile is in (0, 1)');
    if (type === 'absolute' && !(value > 0)) forbid('capping/value', 'an absolute cap is positive');
    if (def.kind === 'conversion') forbid('capping', 'a conversion (0 or 1 per user) cannot be capped');
  }
  return problems;
}
