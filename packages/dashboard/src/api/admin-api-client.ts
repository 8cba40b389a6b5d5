/**
 * A small typed client for the experiment routes of the admin API. It sends the admin token as `x-admin-token`,
 * turns every failure into an {@link AdminApiError} (with the server's per-field `details`), and takes `fetch` by
 * injection like the dashboard client. It keeps no token of its own beyond what it is given.
 */
import type {
  ExperimentDefinition,
  ExperimentPatch,
  ExperimentRecord,
  ExperimentStatus,
  HoldoutRecord,
  OverrideRecord,
} from '@ab-calicritters/core';
import { AdminApiError, fieldProblems, type AdminApiErrorKind } from './admin-api-error.js';
import type { TokenProvider } from './api-client.js';

/** An experiment as the admin API returns it; an archived one has the status `archived`. */
export type AdminExperiment = Omit<ExperimentRecord, 'status'> & { status: ExperimentStatus | 'archived' };

export interface AdminApiOptions {
  /** Origin (and optional path prefix) of the server; '' means this page's origin. */
  baseUrl?: string;
  /** The admin token. */
  token?: string | null;
  /** Who makes the changes, sent as `x-admin-actor` for the server's audit log; a function is asked per request. */
  actor?: string | (() => string | undefined);
  /** Asked before each request; wins over `token`. */
  tokenProvider?: TokenProvider;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

const EXPERIMENTS = '/v1/admin/experiments';
const AUDIT = '/v1/admin/audit';
const HOLDOUTS = '/v1/admin/holdouts';

/** One entry of the server's audit log of admin changes. */
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

/** Filters and paging of `GET /v1/admin/audit`. */
export interface AuditQuery {
  entity_kind?: string;
  entity_key?: string;
  actor?: string;
  since?: string;
  until?: string;
  limit?: number;
  before_id?: number;
}

const kindOf = (status: number): AdminApiErrorKind =>
  status === 401
    ? 'unauthorized'
    : status === 400
      ? 'invalid'
      : status === 409
        ? 'conflict'
        : status === 404
          ? 'not_found'
          : 'http';

/**
 * Creates the client.
 * @example
 * const admin = createAdminApi({ baseUrl: 'http://localhost:3000', token: adminToken });
 * await admin.start('paywall_copy');
 */
export function createAdminApi(options: AdminApiOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  if (baseUrl && !/^(https?:\/\/[^/]+)?(\/[^?#]*)?$/.test(baseUrl)) {
    throw new Error(`baseUrl must be an http(s) URL or a path starting with '/' (got '${baseUrl}')`);
  }
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${baseUrl}${path}`;
    const token = (options.tokenProvider ? await options.tokenProvider() : options.token) ?? '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['x-admin-token'] = token;
    const actor = (typeof options.actor === 'function' ? options.actor() : options.actor)?.trim();
    // Header values are bytes: a name beyond ASCII travels percent-encoded, as the server expects.
    if (actor) headers['x-admin-actor'] = encodeURIComponent(actor);
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new AdminApiError('network', `${(error as Error)?.message || 'request failed'} (${method} ${url})`, {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new AdminApiError(
        kindOf(response.status),
        error?.message ?? `${method} ${path} answered ${response.status}`,
        {
          status: response.status,
          code: error?.code,
          details: fieldProblems(error?.details),
        },
      );
    }
    if (parsed === undefined || typeof parsed !== 'object') {
      throw new AdminApiError('invalid_response', `${method} ${path} did not answer JSON`, { status: response.status });
    }
    return parsed as T;
  }

  const one = (key: string) => `${EXPERIMENTS}/${encodeURIComponent(key)}`;
  const update = (key: string, patch: ExperimentPatch, signal?: AbortSignal) =>
    request<AdminExperiment>('PATCH', one(key), patch, signal);

  return {
    baseUrl,
    /** Every experiment, oldest first; archived ones only when asked for. */
    list: async (query: { includeArchived?: boolean } = {}, signal?: AbortSignal) =>
      (
        await request<{ experiments: AdminExperiment[] }>(
          'GET',
          query.includeArchived ? `${EXPERIMENTS}?include_archived=true` : EXPERIMENTS,
          undefined,
          signal,
        )
      ).experiments,
    /** One experiment, by key. */
    get: (key: string, signal?: AbortSignal) => request<AdminExperiment>('GET', one(key), undefined, signal),
    /** Creates an experiment (a draft unless `status` says otherwise); 409 `conflict` when the key exists. */
    create: (definition: ExperimentDefinition, signal?: AbortSignal) =>
      request<AdminExperiment>('POST', EXPERIMENTS, definition, signal),
    /** Changes any fields but the key. */
    update,
    /** Sets the status to `running`: the server starts assigning users. */
    start: (key: string, signal?: AbortSignal) => update(key, { status: 'running' }, signal),
    /** Sets the status to `stopped`: no new assignments; stored ones and the results stay. */
    stop: (key: string, signal?: AbortSignal) => update(key, { status: 'stopped' }, signal),
    /** Releases `variant`: everyone gets it from then on (sticky rows stay for the record; results freeze). */
    release: (key: string, variant: string, signal?: AbortSignal) =>
      update(key, { status: 'released', released_variant: variant }, signal),
    /** The experiment's QA overrides that have not expired, by user id. */
    overrides: async (key: string, signal?: AbortSignal) =>
      (await request<{ overrides: OverrideRecord[] }>('GET', `${one(key)}/overrides`, undefined, signal)).overrides,
    /** The active holdouts, oldest first. */
    holdouts: async (signal?: AbortSignal) =>
      (await request<{ holdouts: HoldoutRecord[] }>('GET', HOLDOUTS, undefined, signal)).holdouts,
    /** Archives the experiment (status `archived`); it leaves the list unless archived ones are asked for. */
    archive: (key: string, signal?: AbortSignal) => request<AdminExperiment>('DELETE', one(key), undefined, signal),
    /** A page of the audit log, newest first; `next_before_id` asks for the next one. */
    audit: (query: AuditQuery = {}, signal?: AbortSignal) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query))
        if (value !== undefined && value !== '') params.set(name, String(value));
      const search = params.toString();
      return request<{ entries: AuditEntry[]; next_before_id: number | null }>(
        'GET',
        search ? `${AUDIT}?${search}` : AUDIT,
        undefined,
        signal,
      );
    },
  };
}

/** The client {@link createAdminApi} returns. */
export type AdminApi = ReturnType<typeof createAdminApi>;
