/** ajv validators, compiled once per process. No `allErrors`: the first error per request keeps validation cheap. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { requestSchemas, type RequestBody, type RequestSchemaId } from '@ab-calicritters/core';
import type { ErrorDetail } from './http-error.js';

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

const ajv = new Ajv({ allErrors: false, strict: true, coerceTypes: false, useDefaults: false });
addFormats.default(ajv);

// Compiled on first use: the CLI imports the definition checks without ever validating an event.
function lazily<K extends RequestSchemaId>(id: K): () => ValidateFunction<RequestBody<K>> {
  let validate: ValidateFunction<RequestBody<K>> | undefined;
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
};

/** The compiled validator of one of core's request schemas: a type guard for the value that schema accepts. */
export function validatorFor<K extends RequestSchemaId>(id: K): ValidateFunction<RequestBody<K>> {
  return validators[id]();
}

/** A validated value, typed by its schema, or the problems that refused it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ErrorDetail[] };

/** ajv errors as `{ field, message }`, naming the field (an unknown property is named itself). */
function toDetails(errors: readonly ErrorObject[] | null | undefined): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === 'additionalProperties') {
      const extra: string = e.params.additionalProperty;
      return { field: `${e.instancePath}/${extra}`, message: `unknown field '${extra}'` };
    }
    if (e.keyword === 'required') {
      const missing: string = e.params.missingProperty;
      return { field: `${e.instancePath}/${missing}`, message: `'${missing}' is required` };
    }
    return { field: e.instancePath || '/', message: e.message ?? 'is invalid' };
  });
}

/**
 * Validates without throwing: the value typed by its schema, or the problems.
 * @example const parsed = parse('AssignmentRequest', body); if (parsed.ok) parsed.value.user_id;
 */
export function parse<K extends RequestSchemaId>(id: K, value: unknown): Parsed<RequestBody<K>> {
  const validate = validatorFor(id);
  return validate(value) ? { ok: true, value } : { ok: false, problems: toDetails(validate.errors) };
}
