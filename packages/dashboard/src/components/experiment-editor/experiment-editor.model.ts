/**
 * What `<abc-experiment-editor>` shows and sends, decided without the DOM: the form's draft (inputs as typed), the
 * definition or patch made from it, the problems core's rules find before anything is sent (the same
 * `variantProblems` and `WEIGHT_SUM_EPSILON` the server checks with, so the same words), and where each problem the
 * server names goes: next to its input, or at the top when no input owns its field.
 */
import {
  LIMITS,
  MAX_VARIANT_VALUE_BYTES,
  variantProblems,
  WEIGHT_SUM_EPSILON,
  type ExperimentDefinition,
  type ExperimentPatch,
  type ExperimentStatus,
} from '@ab-calicritters/core';
import type { AdminExperiment } from '../../api/admin-api-client.js';
import { isAdminApiError, type AdminFieldProblem } from '../../api/admin-api-error.js';

/** A variant row as typed: the weight and the payload stay text until they are sent. */
interface VariantDraft {
  key: string;
  weight: string;
  /** The variant's payload as JSON text (pretty-printed from the stored value); empty for none. */
  payload: string;
}

/** The form's state. Numbers stay text, so a half-typed "0." is not rewritten under the cursor. */
export interface EditorDraft {
  key: string;
  name: string;
  status: ExperimentStatus;
  coverage: string;
  variants: VariantDraft[];
}

/** The statuses the editor offers (archiving is an action of the manager, not a status to pick). */
export const EDITOR_STATUSES: ReadonlyArray<{ value: ExperimentStatus; label: string }> = [
  { value: 'draft', label: 'Draft — not assigning' },
  { value: 'running', label: 'Running — assigning users' },
  { value: 'stopped', label: 'Stopped — no new assignments' },
];

/** Most variants a definition may have (core's limit, as the server's schema). */
export const MAX_VARIANTS = LIMITS.maxVariants;
/** Fewest variants a definition may have: a control and one more. */
export const MIN_VARIANTS = 2;

const text = (n: number) => String(Number(n.toFixed(6)));

/** The draft of a new experiment (control and treatment, half each, everyone covered), or of an existing one. */
export function draftOf(experiment?: AdminExperiment): EditorDraft {
  if (!experiment) {
    return {
      key: '',
      name: '',
      status: 'draft',
      coverage: '1',
      variants: [
        { key: 'control', weight: '0.5', payload: '' },
        { key: 'treatment', weight: '0.5', payload: '' },
      ],
    };
  }
  return {
    key: experiment.key,
    name: experiment.name ?? '',
    status: experiment.status === 'archived' ? 'stopped' : experiment.status,
    coverage: text(experiment.coverage),
    variants: experiment.variants.map((v) => ({
      key: v.key,
      weight: text(v.weight),
      payload: v.value === undefined ? '' : JSON.stringify(v.value, null, 2),
    })),
  };
}

/** The payload typed for a variant: `{ value }`, `{}` for none (empty text), or `{ error }` when it is not JSON. */
export function readPayload(payload: string): { value?: unknown; error?: string } {
  if (payload.trim() === '') return {};
  try {
    return { value: JSON.parse(payload) as unknown };
  } catch (error) {
    return { error: `must be JSON (${(error as Error).message})` };
  }
}

/** A typed number, or NaN for empty or non-numeric text. */
export function readNumber(value: string): number {
  return value.trim() === '' ? NaN : Number(value);
}

/** Equal weights for `count` variants, rounded to 4 places, the last one taking the rest so they sum to 1. */
export function evenWeights(count: number): string[] {
  const share = Math.floor(10_000 / count) / 10_000;
  return Array.from({ length: count }, (_, i) => text(i === count - 1 ? 1 - share * (count - 1) : share));
}

/** The sum of the weights typed so far (NaN while one is not a number). */
export function weightTotal(draft: EditorDraft): number {
  return draft.variants.reduce((sum, v) => sum + readNumber(v.weight), 0);
}

/** True when the weights sum to 1 within core's tolerance. */
export function weightsSumToOne(draft: EditorDraft): boolean {
  return Math.abs(weightTotal(draft) - 1) <= WEIGHT_SUM_EPSILON;
}

/**
 * What is wrong before sending, with the server's field names: numbers that are not numbers, then core's variant
 * rules (duplicate keys, weights not summing to 1) — the very messages the server would answer with.
 */
export function clientProblems(draft: EditorDraft): AdminFieldProblem[] {
  const problems: AdminFieldProblem[] = [];
  if (!Number.isFinite(readNumber(draft.coverage))) problems.push({ field: '/coverage', message: 'must be a number' });
  draft.variants.forEach((v, i) => {
    if (!Number.isFinite(readNumber(v.weight)))
      problems.push({ field: `/variants/${i}/weight`, message: 'must be a number' });
  });
  draft.variants.forEach((v, i) => {
    const { value, error } = readPayload(v.payload);
    if (error) problems.push({ field: `/variants/${i}/value`, message: error });
    else if (value !== undefined && new TextEncoder().encode(JSON.stringify(value)).length > MAX_VARIANT_VALUE_BYTES)
      problems.push({
        field: `/variants/${i}/value`,
        message: `must be at most ${MAX_VARIANT_VALUE_BYTES} bytes of JSON`,
      });
  });
  // With a weight that is not a number the sum is NaN, which variantProblems does not report: one message per fault.
  problems.push(...variantProblems(draft.variants.map((v) => ({ key: v.key.trim(), weight: readNumber(v.weight) }))));
  return problems;
}

/** The definition to create: the form's values, typed; an empty name is left out. */
export function definitionOf(draft: EditorDraft): ExperimentDefinition {
  const name = draft.name.trim();
  return {
    key: draft.key.trim(),
    ...(name ? { name } : {}),
    status: draft.status,
    coverage: readNumber(draft.coverage),
    variants: draft.variants.map((v) => {
      const { value } = readPayload(v.payload);
      return { key: v.key.trim(), weight: readNumber(v.weight), ...(value === undefined ? {} : { value }) };
    }),
  };
}

/** The fields that changed against the stored record, or null when nothing did (the key never changes). */
export function patchOf(experiment: AdminExperiment, draft: EditorDraft): ExperimentPatch | null {
  const next = definitionOf(draft);
  const patch: ExperimentPatch = {};
  if ((next.name ?? '') !== (experiment.name ?? '')) patch.name = next.name ?? '';
  if (next.status !== experiment.status) patch.status = next.status;
  if (next.coverage !== experiment.coverage) patch.coverage = next.coverage;
  if (JSON.stringify(next.variants) !== JSON.stringify(experiment.variants)) patch.variants = next.variants;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The JSON pointers the form has an input (or a group) for, with the variant rows it shows. */
function fieldsOf(variantCount: number): Set<string> {
  const fields = new Set(['/key', '/name', '/status', '/coverage', '/variants']);
  for (let i = 0; i < variantCount; i++) {
    fields.add(`/variants/${i}`).add(`/variants/${i}/key`).add(`/variants/${i}/weight`).add(`/variants/${i}/value`);
  }
  return fields;
}

/** Problems placed: by the pointer of the input that shows them, and the rest (named by their field) for the top. */
export interface PlacedProblems {
  byField: Map<string, string[]>;
  general: string[];
}

/** Puts each problem next to its input; a field without one (an unknown field, `/`, the seed) goes to the top. */
export function placeProblems(problems: readonly AdminFieldProblem[], variantCount: number): PlacedProblems {
  const fields = fieldsOf(variantCount);
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  for (const { field, message } of problems) {
    if (fields.has(field)) {
      const messages = byField.get(field) ?? [];
      if (!messages.includes(message)) messages.push(message);
      byField.set(field, messages);
    } else {
      const line = field && field !== '/' ? `${field.replace(/^\//, '')}: ${message}` : message;
      if (!general.includes(line)) general.push(line);
    }
  }
  return { byField, general };
}

/** The problems a failed save shows: the server's details (409 as "key exists" on the key), else none. */
export function problemsOfError(error: unknown): AdminFieldProblem[] {
  if (!isAdminApiError(error)) return [];
  if (error.kind === 'conflict') return [{ field: '/key', message: `Key exists: ${error.message}. Pick another key.` }];
  if (error.kind === 'invalid') return [...error.details];
  return [];
}

/** The input id a field pointer is shown at (for focus and `aria-describedby`). */
export function inputIdOf(field: string): string {
  const variant = /^\/variants\/(\d+)(?:\/(key|weight|value))?$/.exec(field);
  if (variant) return `variant-${variant[2] ?? 'key'}-${variant[1]}`;
  return field === '/variants' ? 'variant-weight-0' : field.replace(/^\//, '');
}

/** The id of the message shown for a field: `variants-1-weight-error`. */
export function errorIdOf(field: string): string {
  return `${field.replace(/^\//, '').replace(/\//g, '-') || 'form'}-error`;
}

/** A weight as a share of users: "34%" ("–" when it is not a number). */
export function shareLabel(weight: string): string {
  const n = readNumber(weight);
  return Number.isFinite(n) ? `${Number((n * 100).toFixed(2))}%` : '–';
}
