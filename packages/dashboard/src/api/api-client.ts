/**
 * A small typed client for the dashboard endpoints. It sends the token as `x-dashboard-token`, turns every failure
 * into a {@link DashboardApiError}, and takes `fetch` by injection so it runs in browsers, Node and tests alike.
 */
import { DashboardApiError } from './api-error.js';
import type {
  DailyMetrics,
  ExperimentList,
  ExperimentResults,
  FunnelList,
  FunnelReport,
  HoldoutResults,
  LoadTestComparison,
  LoadTestLatest,
} from '@ab-calicritters/core';
import type { LoadTestRunList, RollupStatus } from './api-types.js';

/** Where the token comes from: a fixed string, or a function asked before every request. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

export interface DashboardApiOptions {
  /** Origin (and optional path prefix) of the server, e.g. `https://ab.example.com/ab`; '' means this page's origin. */
  baseUrl?: string;
  /** The dashboard token. */
  token?: string | null;
  /** Asked before each request; wins over `token`. */
  tokenProvider?: TokenProvider;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

/** Optional parts of one experiment's results. */
export interface ExperimentQuery {
  /** `cumulative`: each catalog metric variant also gets its cumulative effect per day (`series`). */
  series?: 'cumulative';
}

/**
 * Creates the client.
 * @example
 * const api = createDashboardApi({ baseUrl: 'http://localhost:3000', token: 'secret-token' });
 * const daily = await api.daily(7);
 */
export function createDashboardApi(options: DashboardApiOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  if (baseUrl && !/^(https?:\/\/[^/]+)?(\/[^?#]*)?$/.test(baseUrl)) {
    throw new Error(`baseUrl must be an http(s) URL or a path starting with '/' (got '${baseUrl}')`);
  }
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function get<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined && value !== '') params.set(name, String(value));
    const url = `${baseUrl}${path}${params.toString() ? `?${params}` : ''}`;
    const token = (options.tokenProvider ? await options.tokenProvider() : options.token) ?? '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['x-dashboard-token'] = token;

    let response: Response;
    try {
      response = await fetchImpl(url, { headers, signal });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new DashboardApiError('network', `${(error as Error)?.message || 'request failed'} (GET ${url})`, {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      const kind = response.status === 401 ? 'unauthorized' : response.status === 404 ? 'not_found' : 'http';
      throw new DashboardApiError(kind, error?.message ?? `GET ${path} answered ${response.status}`, {
        status: response.status,
        code: error?.code,
      });
    }
    if (body === undefined || typeof body !== 'object') {
      throw new DashboardApiError('invalid_response', `GET ${path} did not answer JSON`, { status: response.status });
    }
    return body as T;
  }

  return {
    baseUrl,
    /** Events and unique users per day, top events. */
    daily: (windowDays: number, signal?: AbortSignal) =>
      get<DailyMetrics>('/v1/metrics/daily', { window_days: windowDays }, signal),
    /** Every experiment with its users assigned in the window and its sample-ratio check. */
    experiments: (windowDays: number, signal?: AbortSignal) =>
      get<ExperimentList>('/v1/metrics/experiments', { window_days: windowDays }, signal),
    /**
     * Full results of one experiment, by key. `series: 'cumulative'` asks for each catalog metric variant's effect
     * day by day as well (`series` on each variant; servers that predate it ignore the parameter and send none).
     */
    experiment: (key: string, windowDays: number, signal?: AbortSignal, options: ExperimentQuery = {}) =>
      get<ExperimentResults>(
        '/v1/metrics/experiments',
        { window_days: windowDays, experiment_key: key, series: options.series },
        signal,
      ),
    /** A holdout's results: its held-out users (the control) against its exposed users. */
    holdoutResults: (key: string, windowDays: number, signal?: AbortSignal) =>
      get<HoldoutResults>(`/v1/holdouts/${encodeURIComponent(key)}/results`, { window_days: windowDays }, signal),
    /** Every funnel's report. */
    funnels: (windowDays: number, signal?: AbortSignal) =>
      get<FunnelList>('/v1/metrics/funnels', { window_days: windowDays }, signal),
    /** One funnel's report. */
    funnel: (name: string, windowDays: number, signal?: AbortSignal) =>
      get<FunnelReport>('/v1/metrics/funnels', { window_days: windowDays, funnel_name: name }, signal),
    /** Newest load-test runs first, with metrics and data checks. */
    loadTestRuns: (limit = 20, signal?: AbortSignal) =>
      get<LoadTestRunList>('/v1/metrics/load-tests/runs', { limit }, signal),
    /** The newest completed baseline and post-mitigation runs. */
    loadTestLatest: (signal?: AbortSignal) => get<LoadTestLatest>('/v1/metrics/load-tests/latest', {}, signal),
    /** Candidate-minus-baseline deltas of two runs. */
    loadTestCompare: (baselineRunId: string, candidateRunId: string, signal?: AbortSignal) =>
      get<LoadTestComparison>(
        '/v1/metrics/load-tests/compare',
        { baseline_run_id: baselineRunId, candidate_run_id: candidateRunId },
        signal,
      ),
    /** When each rollup job last ran, how long it took, and seconds since its last success. */
    rollupStatus: (signal?: AbortSignal) => get<RollupStatus>('/v1/metrics/rollups/status', {}, signal),
  };
}

/** The client {@link createDashboardApi} returns. */
export type DashboardApi = ReturnType<typeof createDashboardApi>;
