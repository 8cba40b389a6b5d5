/** ajv validators, compiled once per process. No `allErrors`: the first error per request keeps validation cheap. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { requestSchemas } from '@ab-calicritters/core';
import type { ErrorDetail } from './http-error.js';

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

const ajv = new Ajv({ allErrors: false, strict: true, coerceTypes: false, useDefaults: false });
addFormats.default(ajv);

type SchemaId = keyof typeof requestSchemas;
const compiled = new Map<SchemaId, ValidateFunction>();

/** The compiled validator of one of core's request schemas. */
export function validatorFor(id: SchemaId): ValidateFunction {
  let validate = compiled.get(id);
  if (!validate) {
    validate = ajv.compile(requestSchemas[id]);
    compiled.set(id, validate);
  }
  return validate;
}

/** ajv errors as `{ field, message }`, naming the field (an unknown property is named itself). */
export function toDetails(errors: readonly ErrorObject[] | null | undefined): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { field: `${e.instancePath}/${extra}`, message: `unknown field '${extra}'` };
    }
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { field: `${e.instancePath}/${missing}`, message: `'${missing}' is required` };
    }
    return { field: e.instancePath || '/', message: e.message ?? 'is invalid' };
  });
}

/** Validates or returns the problems, without throwing. */
export function check(id: SchemaId, value: unknown): ErrorDetail[] {
  const validate = validatorFor(id);
  return validate(value) ? [] : toDetails(validate.errors);
}
