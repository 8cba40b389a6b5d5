/**
 * A running server's admin API, for CLI commands that must not open its database themselves (the embedded
 * database allows one process at a time). Every failure becomes a one-line {@link CliError}.
 */
import type {
  ExperimentDefinition,
  ExperimentPatch,
  ExperimentRecord,
  HoldoutRecord,
  OverrideRecord,
  SavedGroupRecord,
  MetricRecord,
} from '@ab-calicritters/core';
import type { MetricAdmin, RuleAdmin, SavedGroupAdmin } from '@ab-calicritters/server';
import { CliError } from './cli-error.js';

export interface AdminApiOptions {
  /** The server's base URL, e.g. `http://localhost:3000` (with its mount prefix, if any: `https://host/ab`). */
  url: string;
  /** The server's ADMIN_TOKEN. */
  token: string;
  /** Who makes the changes, recorded in the server's audit log (`x-admin-actor`); default: the server's `unknown`. */
  actor?: string;
  /** Give up on an answer after this long (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The experiment calls of the admin API, shaped like the storage's own experiment store, the override and holdout
 * calls, shaped like the server's `createRuleAdmin()`, and the saved group and metric calls, like
 * `createSavedGroupAdmin()` and `createMetricAdmin()`.
 */
export interface AdminApiClient {
  overrides: RuleAdmin['overrides'];
  holdouts: RuleAdmin['holdouts'];
  savedGroups: SavedGroupAdmin;
  metrics: MetricAdmin;
  experiments: {
    list(options?: { includeArchived?: boolean }): Promise<ExperimentRecord[]>;
    create(def: ExperimentDefinition): Promise<ExperimentRecord>;
    update(key: string, patch: ExperimentPatch): Promise<ExperimentRecord | null>;
    archive(key: string): Promise<ExperimentRecord | null>;
  };
  audit: {
    /** One page of the audit log, newest first (`GET /v1/admin/audit`). */
    list(query?: AuditQuery): Promise<{ entries: AuditEntry[]; next_before_id: number | null }>;
  };
}

/** Filters and paging of {@link AdminApiClient.audit}, as the query parameters of `GET /v1/admin/audit`. */
export interface AuditQuery {
  entity_kind?: string;
  entity_key?: string;
  actor?: string;
  since?: string;
  until?: string;
  limit?: number;
  before_id?: number;
}

/** One entry of the admin audit log. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  method: string;
  path: string;
  entity_kind: string;
  entity_key: string | null;
  action: string;
  before: unknown;
  after: unknown;
  diff: Array<{ path: string; op: 'added' | 'removed' | 'changed'; before?: unknown; after?: unknown }>;
  request_id: string | null;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function detailsText(details: unknown): string {
  if (!Array.isArray(details) || details.length === 0) return '';
  const parts = details.map(
    (d: { field?: unknown; message?: unknown }) => `${String(d?.field ?? '')}: ${String(d?.message ?? '')}`,
  );
  return ` (${parts.join('; ')})`;
}

function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'unknown host';
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * @example const api = createAdminApiClient({ url: 'http://localhost:3000', token: process.env.ADMIN_TOKEN! });
 * await api.experiments.list();
 */
export function createAdminApiClient(options: AdminApiOptions): AdminApiClient {
  const base = options.url.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(base + path, {
        method,
        headers: {
          accept: 'application/json',
          'x-admin-token': options.token,
          ...(options.actor ? { 'x-admin-actor': encodeURIComponent(options.actor) } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the server at ${base} (${connectionProblem(error)}): is it running, and is --url / CALICRITTERS_URL right?`,
        1,
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.status === 401) {
      throw new CliError(
        `the server at ${base} refused the admin token (401): set ADMIN_TOKEN (or --admin-token) to the server's admin token`,
      );
    }
    if (!response.ok) {
      const error = (parsed as ErrorBody | undefined)?.error;
      const what =
        typeof error?.message === 'string'
          ? `${error.message}${detailsText(error.details)}`
          : `${method} ${path} answered ${response.status}`;
      // Invalid input is exit code 2, as in direct mode; anything else the server refused is 1.
      throw new CliError(
        `${what.replace(/\s*\n\s*/g, ' ')} (server ${base}, ${response.status})`,
        response.status === 400 ? 2 : 1,
      );
    }
    if (parsed === undefined || typeof parsed !== 'object') {
      throw new CliError(
        `${base} answered ${method} ${path} with ${response.headers.get('content-type') ?? 'no content type'}, not the admin API's JSON: is it the AB Calicritters server (with its mount prefix)?`,
      );
    }
    return parsed as T;
  }

  const experimentPath = (key: string) => `/v1/admin/experiments/${encodeURIComponent(key)}`;
  const overridePath = (key: string, userId: string) =>
    `${experimentPath(key)}/overrides/${encodeURIComponent(userId)}`;
  const holdoutPath = (key: string) => `/v1/admin/holdouts/${encodeURIComponent(key)}`;
  const savedGroupPath = (key: string) => `/v1/admin/saved-groups/${encodeURIComponent(key)}`;
  const metricPath = (key: string) => `/v1/admin/metrics/${encodeURIComponent(key)}`;
  return {
    overrides: {
      async set(key, userId, body) {
        const override = await call<OverrideRecord>('PUT', overridePath(key, userId), body);
        // Both times come from one now() when the row was inserted; a replacement moves updated_at on.
        return { override, created: override.created_at === override.updated_at };
      },
      async list(key, listOptions = {}) {
        const query = listOptions.includeExpired ? '?include_expired=true' : '';
        const body = await call<{ overrides?: unknown }>('GET', `${experimentPath(key)}/overrides${query}`);
        if (!Array.isArray(body.overrides))
          throw new CliError(`${base} answered GET ${experimentPath(key)}/overrides without an overrides list`);
        return body.overrides as OverrideRecord[];
      },
      remove: (key, userId) => call<OverrideRecord>('DELETE', overridePath(key, userId)),
    },
    holdouts: {
      async list(listOptions = {}) {
        const path = `/v1/admin/holdouts${listOptions.includeArchived ? '?include_archived=true' : ''}`;
        const body = await call<{ holdouts?: unknown }>('GET', path);
        if (!Array.isArray(body.holdouts))
          throw new CliError(`${base} answered GET /v1/admin/holdouts without a holdouts list`);
        return body.holdouts as HoldoutRecord[];
      },
      get: (key) => call<HoldoutRecord>('GET', holdoutPath(key)),
      create: (body) => call<HoldoutRecord>('POST', '/v1/admin/holdouts', body),
      update: (key, body) => call<HoldoutRecord>('PATCH', holdoutPath(key), body),
      archive: (key) => call<HoldoutRecord>('DELETE', holdoutPath(key)),
    },
    savedGroups: {
      async list() {
        const body = await call<{ saved_groups?: unknown }>('GET', '/v1/admin/saved-groups');
        if (!Array.isArray(body.saved_groups))
          throw new CliError(`${base} answered GET /v1/admin/saved-groups without a saved_groups list`);
        return body.saved_groups as SavedGroupRecord[];
      },
      get: (key) => call<SavedGroupRecord>('GET', savedGroupPath(key)),
      create: (body) => call<SavedGroupRecord>('POST', '/v1/admin/saved-groups', body),
      update: (key, body) => call<SavedGroupRecord>('PATCH', savedGroupPath(key), body),
      remove: (key) => call<SavedGroupRecord>('DELETE', savedGroupPath(key)),
    },
    metrics: {
      async list(includeArchived = false) {
        const path = `/v1/admin/metrics${includeArchived ? '?include_archived=true' : ''}`;
        const body = await call<{ metrics?: unknown }>('GET', path);
        if (!Array.isArray(body.metrics)) throw new CliError(`${base} answered GET ${path} without a metrics list`);
        return body.metrics as MetricRecord[];
      },
      get: (key) => call<MetricRecord>('GET', metricPath(key)),
      create: (body) => call<MetricRecord>('POST', '/v1/admin/metrics', body),
      replace: (key, body) => call<MetricRecord>('PUT', metricPath(key), body),
      archive: (key) => call<MetricRecord>('DELETE', metricPath(key)),
    },
    experiments: {
      async list(options = {}) {
        const path = `/v1/admin/experiments${options.includeArchived ? '?include_archived=true' : ''}`;
        const body = await call<{ experiments?: unknown }>('GET', path);
        if (!Array.isArray(body.experiments))
          throw new CliError(`${base} answered GET /v1/admin/experiments without an experiments list`);
        return body.experiments as ExperimentRecord[];
      },
      create: (def) => call<ExperimentRecord>('POST', '/v1/admin/experiments', def),
      update: (key, patch) => call<ExperimentRecord>('PATCH', experimentPath(key), patch),
      archive: (key) => call<ExperimentRecord>('DELETE', experimentPath(key)),
    },
    audit: {
      async list(query = {}) {
        const params = new URLSearchParams();
        for (const [name, value] of Object.entries(query))
          if (value !== undefined && value !== '') params.set(name, String(value));
        const search = params.toString();
        const path = `/v1/admin/audit${search ? `?${search}` : ''}`;
        const body = await call<{ entries?: AuditEntry[]; next_before_id?: number | null }>('GET', path);
        if (!Array.isArray(body.entries)) throw new CliError(`${base} answered GET /v1/admin/audit without entries`);
        return { entries: body.entries, next_before_id: body.next_before_id ?? null };
      },
    },
  };
}
