/**
 * JSON Schemas (draft-07) of every request body. The server compiles them once with ajv; they are also the source
 * for API docs. Every string and array is bounded so validation cost is bounded too.
 */
import { LIMITS } from './limits.js';

/** What an experiment key or funnel name looks like (JSON Schema `pattern`). */
export const KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';

const key = { type: 'string', minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: KEY_PATTERN } as const;
// PostgreSQL text cannot hold NUL characters, so they are refused at the door rather than failing a whole batch.
const NO_NUL = '^[^\\u0000]*$';
const userId = { type: 'string', minLength: 1, maxLength: LIMITS.maxUserIdLength, pattern: NO_NUL } as const;
const eventName = { type: 'string', minLength: 1, maxLength: LIMITS.maxEventNameLength, pattern: NO_NUL } as const;

export const assignmentRequestSchema = {
  $id: 'AssignmentRequest',
  type: 'object',
  additionalProperties: false,
  required: ['user_id'],
  properties: {
    user_id: userId,
    experiment_keys: { type: 'array', maxItems: LIMITS.maxExperimentKeysPerRequest, items: key },
    attributes: { type: 'object' },
  },
} as const;

/** Envelope only: events are validated one by one with {@link trackedEventSchema} so good ones survive bad ones. */
export const eventsEnvelopeSchema = {
  $id: 'EventsEnvelope',
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: {
    events: { type: 'array', minItems: 1 },
    sent_at: { type: 'string', format: 'date-time', maxLength: 64 },
  },
} as const;

export const trackedEventSchema = {
  $id: 'TrackedEvent',
  type: 'object',
  additionalProperties: false,
  required: ['event_id', 'user_id', 'name', 'timestamp'],
  properties: {
    event_id: { type: 'string', format: 'uuid', maxLength: 36 },
    user_id: userId,
    name: eventName,
    timestamp: { type: 'string', format: 'date-time', maxLength: 64 },
    properties: { type: 'object' },
  },
} as const;

const variants = {
  type: 'array',
  minItems: 2,
  maxItems: LIMITS.maxVariants,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['key', 'weight'],
    properties: { key, weight: { type: 'number', minimum: 0, maximum: 1 } },
  },
} as const;

const experimentFields = {
  name: { type: 'string', maxLength: LIMITS.maxNameLength, pattern: NO_NUL },
  seed: { type: 'string', minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: NO_NUL },
  coverage: { type: 'number', minimum: 0, maximum: 1 },
  variants,
  status: { type: 'string', enum: ['draft', 'running', 'stopped'] },
} as const;

export const experimentDefinitionSchema = {
  $id: 'ExperimentDefinition',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'variants'],
  properties: { key, ...experimentFields },
} as const;

export const experimentPatchSchema = {
  $id: 'ExperimentPatch',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: experimentFields,
} as const;

const funnelFields = {
  steps: { type: 'array', minItems: 2, maxItems: LIMITS.maxFunnelSteps, items: eventName },
  conversion_window_hours: { type: 'integer', minimum: 1, maximum: LIMITS.maxConversionWindowHours },
} as const;

export const funnelDefinitionSchema = {
  $id: 'FunnelDefinition',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'steps'],
  properties: { name: key, ...funnelFields },
} as const;

export const funnelPatchSchema = {
  $id: 'FunnelPatch',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: funnelFields,
} as const;

/** All request schemas by id, for registering with a validator or generating docs. */
export const requestSchemas = {
  AssignmentRequest: assignmentRequestSchema,
  EventsEnvelope: eventsEnvelopeSchema,
  TrackedEvent: trackedEventSchema,
  ExperimentDefinition: experimentDefinitionSchema,
  ExperimentPatch: experimentPatchSchema,
  FunnelDefinition: funnelDefinitionSchema,
  FunnelPatch: funnelPatchSchema,
} as const;
