/**
 * The OpenAPI 3.1 description of the router. Request bodies are core's `requestSchemas`, the very schemas ajv
 * validates with; query and path parameters repeat the checks of query-params.ts and key-params.ts. Response bodies
 * other than the error body have no JSON Schema in the code (they are TypeScript types in core's wire-types.ts), so
 * they are described as JSON objects with a sentence each. `test/openapi.test.ts` checks the document against the
 * OpenAPI 3.1 schema and against the router's own route list, guards included.
 */
import { createRequire } from 'node:module';
import {
  DEFAULT_WINDOW_DAYS,
  KEY_PATTERN,
  LIMITS,
  LOAD_TEST_RUNS_DEFAULT_LIMIT,
  LOAD_TEST_RUNS_MAX_LIMIT,
  LOAD_TEST_SCENARIOS,
  MAX_WINDOW_DAYS,
  MIN_WINDOW_DAYS,
  requestSchemas,
  type RequestSchemaId,
} from '@ab-calicritters/core';
import type Router from '@koa/router';
import { createRouter } from './create-router.js';
import { checkPrefix } from './mount-routers.js';

/** Where the router serves the document (under its prefix), with `openApi: true`; `serve` always does. */
export const OPENAPI_PATH = '/openapi.json';

export interface OpenApiDocumentOptions {
  /** The router's path prefix, e.g. `/ab` (as given to `createAbRouter`). Default: none. */
  prefix?: string;
  /** Describe the load-test routes too, as mounted by `createAbRouter({ loadTests: true })`. Default: off. */
  loadTests?: boolean;
}

type Json = Record<string, unknown>;
type Auth = 'public' | 'admin' | 'dashboard';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  auth: Auth;
  summary: string;
  tag: string;
  parameters?: Json[];
  body?: RequestSchemaId;
  /** The body may be left out (default: required). */
  bodyOptional?: boolean;
  /** Success status and what its body is. */
  ok: [status: number, description: string];
  /** Error statuses besides the ones every operation of its kind can answer. */
  errors?: number[];
}

const SCHEMES: Record<Exclude<Auth, 'public'>, { name: string; header: string }> = {
  admin: { name: 'adminToken', header: 'x-admin-token' },
  dashboard: { name: 'dashboardToken', header: 'x-dashboard-token' },
};

const keySchema = { type: 'string', minLength: 1, maxLength: LIMITS.maxKeyLength, pattern: KEY_PATTERN };
const pathKey = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: keySchema,
});
const query = (name: string, description: string, schema: Json, extra: Json = {}): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
  ...extra,
});
const includeArchived = query('include_archived', 'Also list archived definitions.', {
  type: 'string',
  enum: ['true', 'false'],
  default: 'false',
});
const windowDays = query('window_days', 'Days of the window, ending today (UTC).', {
  type: 'integer',
  minimum: MIN_WINDOW_DAYS,
  maximum: MAX_WINDOW_DAYS,
  default: DEFAULT_WINDOW_DAYS,
});
const runId = (name: string) => ({
  ...query(name, 'A stored run id.', { type: 'string', format: 'uuid' }),
  required: true,
});

const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/health',
    auth: 'public',
    tag: 'health',
    summary: 'Liveness and a database ping',
    ok: [200, 'Up: `{ status, db }`'],
    errors: [503],
  },
  {
    method: 'post',
    path: '/v1/assignment',
    auth: 'public',
    tag: 'assignment',
    summary: "Sticky variants for one user, by the experiments' targeting rules",
    body: 'AssignmentRequest',
    ok: [
      200,
      '`{ user_id, assignments: [{ experiment_key, variant, reason, value, assigned_at, new }], unknown_experiments }`',
    ],
    errors: [400, 413, 415, 429],
  },
  {
    method: 'get',
    path: '/v1/definitions',
    auth: 'public',
    tag: 'assignment',
    summary: 'Running and released experiments with their rules, for SDKs that evaluate offline',
    ok: [
      200,
      "`{ experiments: [{ key, seed, coverage, variants, condition?, namespace?, hashAttribute?, fallbackAttribute?, released?, holdouts? }], saved_groups: { <key>: [values] } }` (the SDK's definition shape, and the saved groups its conditions name); with an `ETag` and `Cache-Control: public, max-age=30`; a matching `If-None-Match` gets `304` without a body",
    ],
    errors: [429],
  },
  {
    method: 'post',
    path: '/v1/events',
    auth: 'public',
    tag: 'events',
    summary: 'A batch of events (idempotent by `event_id`, partial acceptance)',
    body: 'EventsEnvelope',
    ok: [
      200,
      '`{ accepted, duplicates, rejected }`; each event of the batch is checked against the TrackedEvent schema',
    ],
    errors: [400, 413, 415, 429],
  },
  {
    method: 'get',
    path: '/v1/metrics/summary',
    auth: 'public',
    tag: 'metrics',
    summary: 'Public aggregate counters (cached briefly)',
    ok: [200, 'Counters and `last_rollup_at`'],
  },
  {
    method: 'get',
    path: '/v1/metrics/daily',
    auth: 'dashboard',
    tag: 'metrics',
    summary: 'Daily events and users of a window',
    parameters: [windowDays],
    ok: [200, 'DailyMetrics'],
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/metrics/experiments',
    auth: 'dashboard',
    tag: 'metrics',
    summary: 'Experiment results: the list, or one experiment with `experiment_key`',
    parameters: [
      windowDays,
      query('experiment_key', "One experiment's full results instead of the list.", keySchema),
      query('experiment_id', 'Deprecated alias of `experiment_key` (it always carried the key).', keySchema, {
        deprecated: true,
      }),
      query(
        'method',
        "With `experiment_key`: `sequential` (valid however often the results are read) or `fixed` (one planned look); default: the experiment's stored `analysis.method` (sequential unless set).",
        { type: 'string', enum: ['sequential', 'fixed'] },
      ),
      query(
        'target_effect',
        "With `experiment_key`: the relative effect each comparison's `power.days_to_power` plans for (0.05 = 5 %); default: the observed effect.",
        { type: 'number', not: { const: 0 }, minimum: -100, maximum: 100 },
      ),
      query(
        'series',
        "With `experiment_key`: `cumulative` adds to every `catalog_metrics[].variants[]` a `series` of `{ day, exposed_users, control_exposed_users, relative_effect, relative_ci, reason }`, one point a day over the users first exposed up to that day, with the results' method.",
        { type: 'string', enum: ['cumulative'] },
      ),
      includeArchived,
    ],
    ok: [
      200,
      'ExperimentList, or ExperimentResults with `experiment_key` (with `series=cumulative`, each catalog variant carries its `series`)',
    ],
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/metrics/funnels',
    auth: 'dashboard',
    tag: 'metrics',
    summary: 'Funnel reports: the list, or one funnel with `funnel_name`',
    parameters: [
      windowDays,
      query('funnel_name', "One funnel's report instead of the list.", keySchema),
      includeArchived,
    ],
    ok: [200, 'FunnelList, or one FunnelReport with `funnel_name`'],
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/admin/experiments',
    auth: 'admin',
    tag: 'admin',
    summary: 'List experiments',
    parameters: [includeArchived],
    ok: [200, '`{ experiments }`'],
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/admin/experiments',
    auth: 'admin',
    tag: 'admin',
    summary: 'Create an experiment',
    body: 'ExperimentDefinition',
    ok: [201, 'The stored experiment (Location header: its URL)'],
    errors: [400, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/admin/experiments/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'One experiment',
    parameters: [pathKey('key', 'The experiment key.')],
    ok: [200, 'The stored experiment'],
    errors: [400, 404],
  },
  {
    method: 'patch',
    path: '/v1/admin/experiments/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Change an experiment',
    parameters: [pathKey('key', 'The experiment key.')],
    body: 'ExperimentPatch',
    ok: [200, 'The stored experiment'],
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/admin/experiments/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Archive an experiment (kept, with its assignments and events)',
    parameters: [pathKey('key', 'The experiment key.')],
    ok: [200, 'The archived experiment'],
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/admin/namespaces',
    auth: 'admin',
    tag: 'admin',
    summary: "Each namespace's ranges used by experiments that are not archived, and its free ranges",
    ok: [200, '`{ namespaces: [{ name, used: [{ experiment_key, status, start, end }], free: [{ start, end }] }] }`'],
  },
  {
    method: 'get',
    path: '/v1/admin/funnels',
    auth: 'admin',
    tag: 'admin',
    summary: 'List funnels',
    parameters: [includeArchived],
    ok: [200, '`{ funnels }`'],
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/admin/funnels',
    auth: 'admin',
    tag: 'admin',
    summary: 'Create a funnel',
    body: 'FunnelDefinition',
    ok: [201, 'The stored funnel (Location header: its URL)'],
    errors: [400, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/admin/funnels/{name}',
    auth: 'admin',
    tag: 'admin',
    summary: 'One funnel',
    parameters: [pathKey('name', 'The funnel name.')],
    ok: [200, 'The stored funnel'],
    errors: [400, 404],
  },
  {
    method: 'patch',
    path: '/v1/admin/funnels/{name}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Change a funnel',
    parameters: [pathKey('name', 'The funnel name.')],
    body: 'FunnelPatch',
    ok: [200, 'The stored funnel'],
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/admin/funnels/{name}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Archive a funnel (its rollup rows are kept)',
    parameters: [pathKey('name', 'The funnel name.')],
    ok: [200, 'The archived funnel'],
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/admin/rollups',
    auth: 'admin',
    tag: 'admin',
    summary:
      'Start a rollup round now (every job over 90 days, recomputing what changed since its last run, unless the body says otherwise)',
    body: 'RollupRequest',
    bodyOptional: true,
    ok: [202, '`{ jobs, window_days, full, started_at }` of the round started'],
    errors: [400, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/admin/audit',
    auth: 'admin',
    tag: 'admin',
    summary: 'The audit log of admin changes, newest first, a page at a time',
    parameters: [
      query('limit', 'Entries per page.', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
      query('before_id', 'Only entries older than this id: `next_before_id` of the previous page.', {
        type: 'integer',
        minimum: 1,
      }),
      query('entity_kind', 'One kind or several separated by commas (`experiment,override`).', {
        type: 'string',
        maxLength: 528,
      }),
      query('entity_key', 'The experiment key, funnel name, … the entries concern.', {
        type: 'string',
        maxLength: 256,
      }),
      query('actor', 'Who made the change, as sent in `x-admin-actor`.', { type: 'string', maxLength: 128 }),
      query('since', 'At or after this time (RFC 3339 date-time or date).', { type: 'string' }),
      query('until', 'Before this time (RFC 3339 date-time or date).', { type: 'string' }),
    ],
    ok: [
      200,
      '`{ entries: [{ id, at, actor, method, path, entity_kind, entity_key, action, before, after, diff, request_id }], next_before_id }`',
    ],
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/metrics/rollups/status',
    auth: 'dashboard',
    tag: 'metrics',
    summary: 'Per rollup job: last run, its duration and outcome, and seconds since the last success',
    ok: [
      200,
      '`{ now, interval_ms, next_run_at, running, jobs: [{ job, last_run_at, last_status, last_mode, last_duration_ms, lag_seconds, … }] }`',
    ],
  },
];

/** QA overrides and holdouts (routes/rule-routes.ts), saved groups (routes/saved-group-routes.ts). */
const userIdPath: Json = {
  name: 'user_id',
  in: 'path',
  required: true,
  description: 'The user id, as the assignment endpoint gets it (percent-encoded).',
  schema: { type: 'string', minLength: 1, maxLength: LIMITS.maxUserIdLength },
};
const experimentKey = pathKey('key', 'The experiment key.');
const holdoutKey = pathKey('key', 'The holdout key.');
const savedGroupKey = pathKey('key', 'The saved group key.');

const RULE_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/experiments/{key}/overrides',
    auth: 'admin',
    tag: 'admin',
    summary: "An experiment's QA overrides by user id (expired ones only when asked, marked `expired`)",
    parameters: [
      experimentKey,
      query('include_expired', 'Also list expired overrides.', {
        type: 'string',
        enum: ['true', 'false'],
        default: 'false',
      }),
    ],
    ok: [200, '`{ overrides }`'],
    errors: [400, 404],
  },
  {
    method: 'put',
    path: '/v1/admin/experiments/{key}/overrides/{user_id}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Force a user into a variant (a QA device), optionally until `expires_at`; replaces any override',
    parameters: [experimentKey, userIdPath],
    body: 'OverrideRequest',
    ok: [200, 'The stored override (201 when the user had none)'],
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/admin/experiments/{key}/overrides/{user_id}',
    auth: 'admin',
    tag: 'admin',
    summary: "Remove a user's override",
    parameters: [experimentKey, userIdPath],
    ok: [200, 'The removed override'],
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/admin/holdouts',
    auth: 'admin',
    tag: 'admin',
    summary: 'List holdouts',
    parameters: [includeArchived],
    ok: [200, '`{ holdouts }`'],
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/admin/holdouts',
    auth: 'admin',
    tag: 'admin',
    summary: 'Create a holdout: a share of users kept out of some experiments, or all',
    body: 'HoldoutDefinition',
    ok: [201, 'The stored holdout (Location header: its URL)'],
    errors: [400, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/admin/holdouts/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'One holdout',
    parameters: [holdoutKey],
    ok: [200, 'The stored holdout'],
    errors: [400, 404],
  },
  {
    method: 'patch',
    path: '/v1/admin/holdouts/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: "Change a holdout's name, share or experiments (never its key or seed)",
    parameters: [holdoutKey],
    body: 'HoldoutPatch',
    ok: [200, 'The stored holdout'],
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/admin/holdouts/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Archive a holdout (it then holds out nobody; kept for the record)',
    parameters: [holdoutKey],
    ok: [200, 'The archived holdout'],
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/holdouts/{key}/results',
    auth: 'dashboard',
    tag: 'metrics',
    summary: "A holdout's results: held-out users (control) against exposed users, SRM against its share",
    parameters: [
      holdoutKey,
      windowDays,
      query(
        'method',
        '`sequential` (default; valid however often the results are read) or `fixed` (one planned look); `analysis.source` says `request` when given, else `default` (a holdout stores no analysis).',
        {
          type: 'string',
          enum: ['sequential', 'fixed'],
          default: 'sequential',
        },
      ),
      query(
        'target_effect',
        "The relative effect each comparison's `power.days_to_power` plans for (0.05 = 5 %); default: the observed effect.",
        { type: 'number', not: { const: 0 }, minimum: -100, maximum: 100 },
      ),
    ],
    ok: [200, 'HoldoutResults, with `power` on every metric and the `analysis` used'],
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/admin/saved-groups',
    auth: 'admin',
    tag: 'admin',
    summary: 'List saved groups (the lists `$inGroup` / `$notInGroup` conditions name), by key',
    ok: [200, '`{ saved_groups }`'],
  },
  {
    method: 'post',
    path: '/v1/admin/saved-groups',
    auth: 'admin',
    tag: 'admin',
    summary: 'Create a saved group: a key, an optional name, up to 10,000 string or number values',
    body: 'SavedGroupDefinition',
    ok: [201, 'The stored saved group (Location header: its URL)'],
    errors: [400, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/admin/saved-groups/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'One saved group',
    parameters: [savedGroupKey],
    ok: [200, 'The stored saved group'],
    errors: [400, 404],
  },
  {
    method: 'patch',
    path: '/v1/admin/saved-groups/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: "Change a saved group's name or replace its values (never its key)",
    parameters: [savedGroupKey],
    body: 'SavedGroupPatch',
    ok: [200, 'The stored saved group'],
    errors: [400, 404, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/admin/saved-groups/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Delete a saved group; 409 while the condition of an experiment (not archived) names it',
    parameters: [savedGroupKey],
    ok: [200, 'The deleted saved group'],
    errors: [400, 404, 409],
  },
];

/** The metric catalog (routes/metric-routes.ts). */
const metricKey = pathKey('key', 'The metric key.');

const METRIC_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/metrics',
    auth: 'admin',
    tag: 'admin',
    summary: 'List the metric catalog by key (archived metrics only when asked)',
    parameters: [includeArchived],
    ok: [200, '`{ metrics }`'],
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/admin/metrics',
    auth: 'admin',
    tag: 'admin',
    summary: 'Create a catalog metric: conversion, count, sum or ratio of events after first exposure',
    body: 'MetricDefinition',
    ok: [201, 'The stored metric (Location header: its URL)'],
    errors: [400, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/admin/metrics/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'One catalog metric',
    parameters: [metricKey],
    ok: [200, 'The stored metric'],
    errors: [400, 404],
  },
  {
    method: 'put',
    path: '/v1/admin/metrics/{key}',
    auth: 'admin',
    tag: 'admin',
    summary:
      "Replace a metric's definition (never its key); 409 when archived, or when a ratio needs it as a count or sum",
    parameters: [metricKey],
    body: 'MetricReplacement',
    ok: [200, 'The stored metric'],
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/admin/metrics/{key}',
    auth: 'admin',
    tag: 'admin',
    summary: 'Archive a metric (experiments keep naming it; new references are refused)',
    parameters: [metricKey],
    ok: [200, 'The archived metric'],
    errors: [400, 404],
  },
];

const LOAD_TEST_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/v1/metrics/load-tests/runs',
    auth: 'dashboard',
    tag: 'load-tests',
    summary: 'Stored load-test runs, newest first',
    parameters: [
      query('limit', 'How many runs.', {
        type: 'integer',
        minimum: 1,
        maximum: LOAD_TEST_RUNS_MAX_LIMIT,
        default: LOAD_TEST_RUNS_DEFAULT_LIMIT,
      }),
    ],
    ok: [200, '`{ runs }`'],
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/metrics/load-tests/latest',
    auth: 'dashboard',
    tag: 'load-tests',
    summary: 'The latest completed run of each phase',
    parameters: [query('scenario', 'Only runs of this scenario.', { type: 'string', enum: [...LOAD_TEST_SCENARIOS] })],
    ok: [200, '`{ baseline, post_mitigation }`'],
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/metrics/load-tests/compare',
    auth: 'dashboard',
    tag: 'load-tests',
    summary: 'Two runs compared',
    parameters: [runId('baseline_run_id'), runId('candidate_run_id')],
    ok: [200, 'The comparison'],
    errors: [400, 404],
  },
];

const DOCUMENT_OPERATION: Operation = {
  method: 'get',
  path: OPENAPI_PATH,
  auth: 'public',
  tag: 'health',
  summary: 'This OpenAPI 3.1 document',
  ok: [200, 'The OpenAPI document'],
};

const STATUS_TEXT: Record<number, string> = {
  400: 'A bad input; `details` names the fields at fault',
  401: 'Missing or wrong token, or no token configured on the server',
  404: 'No such definition or run',
  409: 'Already exists, or archived and not changeable',
  413: 'Body (or batch) too large',
  415: 'Not `application/json`',
  429: 'Rate limited (see Retry-After)',
  500: 'Internal error (details are logged, not shown)',
  503: 'Database unreachable or too slow (see Retry-After)',
};

/** A TypeBox schema as plain JSON (its symbol keys dropped), without its `$id`, which would rebase `$ref`s. */
function plainSchema(id: RequestSchemaId): Json {
  const { $id: _id, ...schema } = JSON.parse(JSON.stringify(requestSchemas[id])) as Json;
  // The envelope takes any items so good events survive bad ones; each one is then validated as a TrackedEvent.
  if (id === 'EventsEnvelope') {
    const events = (schema.properties as Record<string, Json | undefined>).events;
    if (events) events.items = { $ref: '#/components/schemas/TrackedEvent' };
  }
  return schema;
}

const errorResponse = (status: number) => ({
  description: STATUS_TEXT[status] ?? 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** Every admin change is audited (http/audit-middleware.ts), so each one reads who makes it. */
const actorHeader: Json = {
  name: 'x-admin-actor',
  in: 'header',
  required: false,
  description:
    'Who makes the change, for the audit log: 1–128 characters, percent-encoded UTF-8 beyond printable ASCII. Default: `unknown`.',
  schema: { type: 'string', maxLength: 1536 },
};

function operationObject(op: Operation): Json {
  const parameters = [...(op.parameters ?? []), ...(op.auth === 'admin' && op.method !== 'get' ? [actorHeader] : [])];
  const statuses = new Set([...(op.errors ?? []), ...(op.auth === 'public' ? [] : [401]), 500]);
  if (op.path !== '/health' && op.path !== OPENAPI_PATH) statuses.add(503);
  const responses: Json = {
    [op.ok[0]]: { description: op.ok[1], content: { 'application/json': { schema: { type: 'object' } } } },
  };
  for (const status of [...statuses].sort()) responses[status] = errorResponse(status);
  return {
    operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[/.-]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: op.summary,
    tags: [op.tag],
    security: op.auth === 'public' ? [] : [{ [SCHEMES[op.auth].name]: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: !op.bodyOptional,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of `createAbRouter()` with the same `prefix` and `loadTests`: every route, its parameters,
 * request body schema and token (`x-admin-token`/`x-dashboard-token`, as the route's guard checks), and the error body.
 * `GET /openapi.json` is in it too: `serve` answers it, and so does the router with `openApi: true`.
 * @example app.use((ctx, next) => (ctx.path === '/openapi.json' ? (ctx.body = createOpenApiDocument()) : next()));
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions = {}): Json {
  checkPrefix(options.prefix);
  const prefix = options.prefix ?? '';
  const operations = [
    ...OPERATIONS,
    ...RULE_OPERATIONS,
    ...METRIC_OPERATIONS,
    ...(options.loadTests ? LOAD_TEST_OPERATIONS : []),
    DOCUMENT_OPERATION,
  ];
  const paths: Record<string, Json> = {};
  for (const op of operations) (paths[`${prefix}${op.path}`] ??= {})[op.method] = operationObject(op);
  const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  return {
    openapi: '3.1.0',
    info: {
      title: 'AB Calicritters API',
      version,
      description:
        'Assignment, event ingestion, metrics and admin endpoints. Every GET also answers HEAD. Errors are ' +
        '`{ error: { code, message, details? } }`. Request bodies are the JSON Schemas the server validates with; ' +
        'success bodies are described in words (their types are in @ab-calicritters/core).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        ...Object.fromEntries((Object.keys(requestSchemas) as RequestSchemaId[]).map((id) => [id, plainSchema(id)])),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'Stable code, e.g. `invalid_request`, `unauthorized`' },
                message: { type: 'string' },
                details: {
                  type: 'array',
                  description: 'At most 20; the message says how many more there were.',
                  items: {
                    type: 'object',
                    properties: {
                      field: { type: 'string', description: 'JSON pointer into the body, or a parameter name' },
                      message: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      securitySchemes: Object.fromEntries(
        Object.values(SCHEMES).map(({ name, header }) => [name, { type: 'apiKey', in: 'header', name: header }]),
      ),
    },
  };
}

/** `GET /openapi.json` (a child router: the parent adds the prefix), answering the document built once. */
export function createOpenApiRoutes(options: OpenApiDocumentOptions): Router {
  const body = JSON.stringify(createOpenApiDocument(options));
  return createRouter().get(OPENAPI_PATH, (ctx) => {
    ctx.type = 'application/json';
    ctx.body = body;
  });
}
