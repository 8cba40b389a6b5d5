/**
 * JSON Schemas (draft-07) of every request body, written with TypeBox: each value is a plain JSON Schema that the
 * server compiles once with ajv, and its `Static` type is the wire type in ./wire-types.ts, so the two cannot drift.
 * They are also the source for API docs. Every string and array is bounded so validation cost is bounded too.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LIMITS } from './limits.js';
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from './windows.js';

/** What an experiment key or funnel name looks like (JSON Schema `pattern`). */
export const KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';

const key = Type.String({ minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: KEY_PATTERN });
// PostgreSQL text cannot hold NUL characters, so they are refused at the door rather than failing a whole batch.
const NO_NUL = '^[^\\u0000]*$';
const userId = Type.String({ minLength: 1, maxLength: LIMITS.maxUserIdLength, pattern: NO_NUL });
const eventName = Type.String({ minLength: 1, maxLength: LIMITS.maxEventNameLength, pattern: NO_NUL });
const dateTime = Type.String({ format: 'date-time', maxLength: 64 });

/**
 * Any JSON object, as `{ type: 'object' }`: its contents are checked after the schema (jsonValueProblem), and
 * `Type.Record` would add a `patternProperties` that every key is matched against.
 */
const jsonObject = Type.Unsafe<Record<string, unknown>>({ type: 'object' });

/** `{ type: 'string', enum }`: a union of literals would compile to `anyOf`, with one error per branch. */
function stringEnum<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

export const assignmentRequestSchema = Type.Object(
  {
    user_id: userId,
    experiment_keys: Type.Optional(Type.Array(key, { maxItems: LIMITS.maxExperimentKeysPerRequest })),
    attributes: Type.Optional(jsonObject),
    // Records an exposure (a `$exposure` event) for every experiment answered with a variant: for server-side use.
    exposed: Type.Optional(Type.Boolean()),
  },
  { $id: 'AssignmentRequest', additionalProperties: false },
);

/**
 * Envelope only: events are validated one by one with {@link trackedEventSchema} so good ones survive bad ones. The
 * batch size is checked before this schema (413 naming the limit), hence no `maxItems`.
 */
export const eventsEnvelopeSchema = Type.Object(
  {
    events: Type.Array(Type.Unknown(), { minItems: 1 }),
    sent_at: Type.Optional(dateTime),
  },
  { $id: 'EventsEnvelope', additionalProperties: false },
);

export const trackedEventSchema = Type.Object(
  {
    event_id: Type.String({ format: 'uuid', maxLength: 36 }),
    user_id: userId,
    name: eventName,
    timestamp: dateTime,
    properties: Type.Optional(jsonObject),
  },
  { $id: 'TrackedEvent', additionalProperties: false },
);

/**
 * Only `running` buckets users; `released` gives everyone `released_variant`. `archived` is set by archiving
 * (`DELETE /v1/admin/experiments/:key`), never by a definition: an archived experiment is kept, with its sticky
 * assignments and events, and no longer changes.
 */
export const experimentStatusSchema = stringEnum(['draft', 'running', 'stopped', 'released', 'archived']);

/** Bytes of one variant's JSON `value` (its remote-config payload); every variant together stays within the body limit. */
export const MAX_VARIANT_VALUE_BYTES = 8 * 1024;

/**
 * What `hash_attribute` and `fallback_attribute` look like (JSON Schema `pattern`): a top-level attribute name. No
 * dots: a hash attribute is read as one key, while a dot in a condition reaches into nested objects.
 */
export const ATTRIBUTE_NAME_PATTERN = '^[A-Za-z0-9_$][A-Za-z0-9_:$-]*$';

const attributeName = { minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: ATTRIBUTE_NAME_PATTERN };

/** A nullable field: `null` clears it. ajv accepts `type: [T, 'null']` in strict mode; other unions it refuses. */
function nullable<T>(type: 'string' | 'object' | 'array', keywords: Record<string, unknown> = {}) {
  return Type.Unsafe<T | null>({ type: [type, 'null'], ...keywords });
}

export const variantSchema = Type.Object(
  {
    key,
    weight: Type.Number({ minimum: 0, maximum: 1 }),
    // Any JSON (remote config); its size and text are checked after the schema.
    value: Type.Optional(Type.Unsafe<unknown>({})),
  },
  { additionalProperties: false },
);

/** Most catalog metrics one experiment may name. */
export const MAX_EXPERIMENT_METRICS = 50;

/** What a metric is for in an experiment: `goal` (the decision) or `guardrail` (must not get worse). */
export const METRIC_ROLES = ['goal', 'guardrail'] as const;

/** A catalog metric an experiment is analysed on, with its role. */
export const experimentMetricSchema = Type.Object(
  { key, role: stringEnum(METRIC_ROLES) },
  { additionalProperties: false },
);

/** How an experiment's results test: `sequential` (always valid, for results looked at daily) or `fixed` (one look). */
export const ANALYSIS_METHODS = ['sequential', 'fixed'] as const;

/**
 * The prior of the Bayesian statistics (chance to win, risk, credible interval): `flat` (the data alone) or `proper`
 * (GrowthBook's N(0, 0.3²) on the relative effect, which pulls small samples towards no change).
 */
export const ANALYSIS_PRIORS = ['flat', 'proper'] as const;

/** Largest significance level an experiment may ask for: above it a "significant" verdict means little. */
export const MAX_ANALYSIS_ALPHA = 0.5;

/** Largest sequential tuning parameter (total users at which the always-valid interval is tightest). */
export const MAX_SEQUENTIAL_TUNING = 1_000_000_000;

/**
 * How an experiment is analysed; `alpha` (default 0.05), `sequential_tuning` (default 5000) and `prior` (default
 * `flat`) are optional.
 */
export const experimentAnalysisSchema = Type.Object(
  {
    method: stringEnum(ANALYSIS_METHODS),
    // Plain draft-07 `minimum` (no exclusive bounds in these schemas): 1e-6 stands for "above 0".
    alpha: Type.Optional(Type.Number({ minimum: 1e-6, maximum: MAX_ANALYSIS_ALPHA })),
    sequential_tuning: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEQUENTIAL_TUNING })),
    prior: Type.Optional(stringEnum(ANALYSIS_PRIORS)),
  },
  { additionalProperties: false },
);

const experimentFields = {
  name: Type.Optional(Type.String({ maxLength: LIMITS.maxNameLength, pattern: NO_NUL })),
  seed: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: NO_NUL })),
  coverage: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  variants: Type.Array(variantSchema, { minItems: 2, maxItems: LIMITS.maxVariants }),
  // Optional on input: a new experiment starts as a draft.
  status: Type.Optional(experimentStatusSchema),
  // A GrowthBook condition; its operators are checked after the schema (checkCondition).
  condition: Type.Optional(nullable<Readonly<Record<string, unknown>>>('object')),
  hash_attribute: Type.Optional(Type.String(attributeName)),
  fallback_attribute: Type.Optional(nullable<string>('string', attributeName)),
  // [name, start, end]; the items are checked after the schema (namespaceProblems).
  namespace: Type.Optional(
    nullable<readonly [name: string, start: number, end: number]>('array', { minItems: 3, maxItems: 3 }),
  ),
  released_variant: Type.Optional(nullable<string>('string', { minLength: 1, maxLength: LIMITS.maxKeyLength })),
  // Each must name a catalog metric (checked by the server against the catalog) at most once.
  metrics: Type.Optional(Type.Array(experimentMetricSchema, { maxItems: MAX_EXPERIMENT_METRICS })),
  // The results endpoint's default; `?method=` still overrides it per request.
  analysis: Type.Optional(experimentAnalysisSchema),
};

export const experimentDefinitionSchema = Type.Object(
  { key, ...experimentFields },
  { $id: 'ExperimentDefinition', additionalProperties: false },
);

export const experimentPatchSchema = Type.Object(
  { ...experimentFields, variants: Type.Optional(experimentFields.variants) },
  { $id: 'ExperimentPatch', additionalProperties: false, minProperties: 1 },
);

const funnelFields = {
  steps: Type.Array(eventName, { minItems: 2, maxItems: LIMITS.maxFunnelSteps }),
  // Optional on input: the server fills in 24 hours.
  conversion_window_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.maxConversionWindowHours })),
};

export const funnelDefinitionSchema = Type.Object(
  { name: key, ...funnelFields },
  { $id: 'FunnelDefinition', additionalProperties: false },
);

export const funnelPatchSchema = Type.Object(
  { ...funnelFields, steps: Type.Optional(funnelFields.steps) },
  { $id: 'FunnelPatch', additionalProperties: false, minProperties: 1 },
);

/** The rollup jobs a `POST /v1/admin/rollups` may name (the server's `ROLLUP_JOBS`, checked against this list). */
export const ROLLUP_JOB_NAMES = ['daily', 'experiments', 'funnels', 'metrics'] as const;

/**
 * `POST /v1/admin/rollups`: which job (default all) over how many days (default the largest standard window), and
 * whether to recompute the whole window (`full`) rather than what changed since each job's last run.
 */
export const rollupRequestSchema = Type.Object(
  {
    job: Type.Optional(stringEnum(ROLLUP_JOB_NAMES)),
    window_days: Type.Optional(Type.Integer({ minimum: MIN_WINDOW_DAYS, maximum: MAX_WINDOW_DAYS })),
    full: Type.Optional(Type.Boolean()),
  },
  { $id: 'RollupRequest', additionalProperties: false },
);

/** QA override of one user in one experiment: the variant to force, optionally until `expires_at`. */
export const overrideRequestSchema = Type.Object(
  {
    variant: key,
    expires_at: Type.Optional(dateTime),
    note: Type.Optional(Type.String({ maxLength: LIMITS.maxNameLength, pattern: NO_NUL })),
  },
  { $id: 'OverrideRequest', additionalProperties: false },
);

const holdoutFields = {
  name: Type.Optional(Type.String({ maxLength: LIMITS.maxNameLength, pattern: NO_NUL })),
  // Strictly between 0 and 1, checked after the schema (draft-07 here has no exclusive bounds in use).
  share: Type.Number({ minimum: 0, maximum: 1 }),
  experiment_keys: Type.Optional(Type.Array(key, { maxItems: LIMITS.maxExperimentKeysPerRequest })),
  all_experiments: Type.Optional(Type.Boolean()),
};

/** A new holdout: a share of users kept out of the listed experiments, or of all of them. */
export const holdoutDefinitionSchema = Type.Object(
  {
    key,
    seed: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: NO_NUL })),
    ...holdoutFields,
  },
  { $id: 'HoldoutDefinition', additionalProperties: false },
);

/** PATCH body of a holdout: its key and seed never change (the seed decides who is held out). */
export const holdoutPatchSchema = Type.Object(
  { ...holdoutFields, share: Type.Optional(holdoutFields.share) },
  { $id: 'HoldoutPatch', additionalProperties: false, minProperties: 1 },
);

/** Most values one saved group may hold. */
export const MAX_SAVED_GROUP_VALUES = 10_000;

// A value `$inGroup` compares attributes with: a string or a number. Checked after the schema (the server's
// saved-group checks: strings up to 256 characters without NUL), since draft-07 here has no unions ajv's strict mode
// accepts and `anyOf` would report one error per branch.
const savedGroupValue = Type.Unsafe<string | number>({});

const savedGroupFields = {
  name: Type.Optional(Type.String({ maxLength: LIMITS.maxNameLength, pattern: NO_NUL })),
  values: Type.Array(savedGroupValue, { maxItems: MAX_SAVED_GROUP_VALUES }),
};

/** A new saved group: a list of attribute values that `$inGroup` / `$notInGroup` conditions name by key. */
export const savedGroupDefinitionSchema = Type.Object(
  { key, ...savedGroupFields },
  { $id: 'SavedGroupDefinition', additionalProperties: false },
);

/** PATCH body of a saved group: its name or its values (replaced whole); the key never changes. */
export const savedGroupPatchSchema = Type.Object(
  { name: savedGroupFields.name, values: Type.Optional(savedGroupFields.values) },
  { $id: 'SavedGroupPatch', additionalProperties: false, minProperties: 1 },
);

/** How a catalog metric summarises a user's events (docs/ADMIN_API.md#metric-catalog). */
export const METRIC_KINDS = ['conversion', 'count', 'sum', 'ratio'] as const;

/** Whether a rise of the metric is good (`higher`: revenue) or bad (`lower`: latency, errors). */
export const METRIC_DIRECTIONS = ['higher', 'lower'] as const;

/** Longest CUPED lookback before a user's first exposure, in days. */
export const MAX_CUPED_LOOKBACK_DAYS = 90;

/** A top-level event property name, as filters and sums read it. */
const propertyName = Type.String(attributeName);

const metricFields = {
  name: Type.Optional(Type.String({ maxLength: LIMITS.maxNameLength, pattern: NO_NUL })),
  description: Type.Optional(nullable<string>('string', { maxLength: 2000, pattern: NO_NUL })),
  kind: stringEnum(METRIC_KINDS),
  // Required for every kind but `ratio` (checked after the schema).
  event: Type.Optional(eventName),
  // `equals` is a string, number or boolean, checked after the schema (no anyOf here).
  filter: Type.Optional(
    nullable<{ property: string; equals: string | number | boolean }>('object', {
      properties: { property: { type: 'string', ...attributeName }, equals: {} },
      required: ['property', 'equals'],
      additionalProperties: false,
    }),
  ),
  // `sum` only: the numeric event property summed per user (default `value`).
  property: Type.Optional(propertyName),
  // `ratio` only: the catalog keys of a `count` or `sum` metric each.
  numerator: Type.Optional(key),
  denominator: Type.Optional(key),
  // Hours after the user's first exposure that count; null: up to the end of the analysis window.
  window_hours: Type.Optional(
    Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: LIMITS.maxConversionWindowHours }),
  ),
  // Caps each user's value: at `value` (absolute) or at the `value` quantile of exposed users (percentile).
  capping: Type.Optional(
    nullable<{ type: 'absolute' | 'percentile'; value: number }>('object', {
      properties: { type: { type: 'string', enum: ['absolute', 'percentile'] }, value: { type: 'number' } },
      required: ['type', 'value'],
      additionalProperties: false,
    }),
  ),
  direction: Type.Optional(stringEnum(METRIC_DIRECTIONS)),
  // Days before the first exposure whose value of the same metric CUPED adjusts with; 0 turns CUPED off.
  cuped_lookback_days: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CUPED_LOOKBACK_DAYS })),
};

/** A new catalog metric (`POST /v1/admin/metrics`). */
export const metricDefinitionSchema = Type.Object(
  { key, ...metricFields },
  { $id: 'MetricDefinition', additionalProperties: false },
);

/** `PUT /v1/admin/metrics/:key`: the whole definition again (its key may be left out; it never changes). */
export const metricReplacementSchema = Type.Object(
  { key: Type.Optional(key), ...metricFields },
  { $id: 'MetricReplacement', additionalProperties: false },
);

/** All request schemas by id, for registering with a validator or generating docs. */
export const requestSchemas = {
  AssignmentRequest: assignmentRequestSchema,
  EventsEnvelope: eventsEnvelopeSchema,
  TrackedEvent: trackedEventSchema,
  ExperimentDefinition: experimentDefinitionSchema,
  ExperimentPatch: experimentPatchSchema,
  FunnelDefinition: funnelDefinitionSchema,
  FunnelPatch: funnelPatchSchema,
  RollupRequest: rollupRequestSchema,
  OverrideRequest: overrideRequestSchema,
  HoldoutDefinition: holdoutDefinitionSchema,
  HoldoutPatch: holdoutPatchSchema,
  SavedGroupDefinition: savedGroupDefinitionSchema,
  SavedGroupPatch: savedGroupPatchSchema,
  MetricDefinition: metricDefinitionSchema,
  MetricReplacement: metricReplacementSchema,
} as const satisfies Record<string, TSchema>;

/** The id of one of {@link requestSchemas}. */
export type RequestSchemaId = keyof typeof requestSchemas;

/**
 * The value a request schema accepts, e.g. `RequestBody<'AssignmentRequest'>` is `AssignmentRequest`.
 * @example const validate = ajv.compile<RequestBody<'TrackedEvent'>>(requestSchemas.TrackedEvent);
 */
export type RequestBody<K extends RequestSchemaId> = Static<(typeof requestSchemas)[K]>;
