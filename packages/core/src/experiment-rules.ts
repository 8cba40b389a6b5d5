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
