/**
 * ajv validators, compiled once per process. A request body is checked with `allErrors`, so one answer names every
 * problem; a tracked event stops at its first problem (see {@link FIRST_ERROR_ONLY}).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { requestSchemas, type RequestBody, type RequestSchemaId } from '@ab-calicritters/core';
import { MAX_ERROR_DETAILS, type ErrorDetail } from './http-error.js';
import { closestName } from './closest-name.js';

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

/*
 * `allErrors` makes ajv keep going after a failure, so on an unbounded schema a crafted body could cost work and
 * memory out of proportion (hence the usual advice against it on request paths). For the bodies checked with it the
 * cost stays bounded: every string and array in core's schemas has a maxLength/maxItems, and those bodies are at most
 * 64 KiB (assignment, admin), so one body yields at most a few thousand errors (~10 ms, measured, for a 64 KiB body
 * of nothing but unknown fields). Only the first MAX_ERROR_DETAILS errors get a "did you mean", and an answer lists
 * at most that many.
 */
const allErrors = new Ajv({ allErrors: true, verbose: true, strict: true, coerceTypes: false, useDefaults: false });
addFormats.default(allErrors);
const firstError = new Ajv({ allErrors: false, verbose: true, strict: true, coerceTypes: false, useDefaults: false });
addFormats.default(firstError);

/**
 * First problem only. The events envelope may be 1 MiB: all problems of one with ~90k unknown top-level fields took
 * 0.2–0.4 s and ~30 MB (against ~0.1 s for JSON.parse), so it stops at the first; a missing `events` still names a
 * near miss (`event`). A batch's up to 1000 events are checked one by one, and one problem is enough to reject one.
 */
const FIRST_ERROR_ONLY: ReadonlySet<RequestSchemaId> = new Set(['EventsEnvelope', 'TrackedEvent']);

// Compiled on first use: the CLI imports the definition checks without ever validating an event.
function lazily<K extends RequestSchemaId>(id: K): () => ValidateFunction<RequestBody<K>> {
  let validate: ValidateFunction<RequestBody<K>> | undefined;
  const ajv = FIRST_ERROR_ONLY.has(id) ? firstError : allErrors;
  return () => (validate ??= ajv.compile<RequestBody<K>>(requestSchemas[id]));
}

const validators: { [K in RequestSchemaId]: () => ValidateFunction<RequestBody<K>> } = {
  AssignmentRequest: lazily('AssignmentRequest'),
  EventsEnvelope: lazily('EventsEnvelope'),
  TrackedEvent: lazily('TrackedEvent'),
  ExperimentDefinition: lazily('ExperimentDefinition'),
  ExperimentPatch: lazily('ExperimentPatch'),
  FunnelDefinition: lazily('FunnelDefinition'),
  FunnelPatch: lazily('FunnelPatch'),
  RollupRequest: lazily('RollupRequest'),
  OverrideRequest: lazily('OverrideRequest'),
  HoldoutDefinition: lazily('HoldoutDefinition'),
  HoldoutPatch: lazily('HoldoutPatch'),
  SavedGroupDefinition: lazily('SavedGroupDefinition'),
  SavedGroupPatch: lazily('SavedGroupPatch'),
  MetricDefinition: lazily('MetricDefinition'),
  MetricReplacement: lazily('MetricReplacement'),
};

/** The compiled validator of one of core's request schemas: a type guard for the value that schema accepts. */
export function validatorFor<K extends RequestSchemaId>(id: K): ValidateFunction<RequestBody<K>> {
  return validators[id]();
}

/** A validated value, typed by its schema, or the problems that refused it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ErrorDetail[] };

/** ajv errors as `{ field, message }`, naming the field (an unknown property is named itself). */
function toDetails(errors: readonly ErrorObject[] | null | undefined): ErrorDetail[] {
  return (errors ?? []).map((e, index) => {
    if (e.keyword === 'additionalProperties') {
      const extra: string = e.params.additionalProperty;
      // Suggestions only for what the answer will list: the rest is cut off anyway.
      const known = index < MAX_ERROR_DETAILS ? knownFields(e.parentSchema) : [];
      const suggestion = closestName(extra, known);
      const hint = suggestion ? `; did you mean '${suggestion}'?` : '';
      return { field: `${e.instancePath}/${extra}`, message: `unknown field '${extra}'${hint}` };
    }
    if (e.keyword === 'required') {
      const missing: string = e.params.missingProperty;
      // With one error only, the unknown field that was meant for this one is not reported: name it here.
      const nearMiss = errors?.length === 1 ? closestName(missing, unknownFields(e.data, e.parentSchema)) : undefined;
      const hint = nearMiss ? `; found unknown field '${nearMiss}'` : '';
      return { field: `${e.instancePath}/${missing}`, message: `'${missing}' is required${hint}` };
    }
    if (e.keyword === 'enum') {
      const allowed = (e.params.allowedValues as unknown[]).map(quoted).join(', ');
      return { field: e.instancePath || '/', message: `must be one of ${allowed} (got ${quoted(e.data)})` };
    }
    return { field: e.instancePath || '/', message: e.message ?? 'is invalid' };
  });
}

/**
 * A value as a message shows it: a string in single quotes, cut to 64 characters; an object or array only by its kind
 * (it may be nested thousands deep, too deep to stringify).
 */
function quoted(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? `'${value}'` : String(value);
  return text.length > 64 ? `${text.slice(0, 63)}…` : text;
}

/** How many of an object's own keys are looked at for a near miss: enough for any real body, cheap for a hostile one. */
const NEAR_MISS_KEYS = 100;

/** The first keys of `data` that `schema` does not declare. */
function unknownFields(data: unknown, schema: unknown): string[] {
  if (data === null || typeof data !== 'object') return [];
  const known = new Set(knownFields(schema));
  const keys: string[] = [];
  for (const key in data) {
    if (!known.has(key)) keys.push(key);
    if (keys.length >= NEAR_MISS_KEYS) break;
  }
  return keys;
}

/** The property names an object schema declares (from ajv's `verbose` errors). */
function knownFields(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

/**
 * Validates without throwing: the value typed by its schema, or the problems.
 * @example const parsed = parse('AssignmentRequest', body); if (parsed.ok) parsed.value.user_id;
 */
export function parse<K extends RequestSchemaId>(id: K, value: unknown): Parsed<RequestBody<K>> {
  const validate = validatorFor(id);
  return validate(value) ? { ok: true, value } : { ok: false, problems: toDetails(validate.errors) };
}
