/** One JSON request through the injected fetch, bounded by a timeout (fetch on React Native has none by default). */
import type { ResolvedOptions } from './options.js';
import { host } from './platform.js';

/** What the SDK needs from a response: status, `Retry-After`, `ETag`, and the JSON body (undefined if not JSON). */
export interface HttpResult {
  status: number;
  retryAfter: string | null;
  etag: string | null;
  body: unknown;
}

/** Everything a request needs besides its path and body. */
export type HttpContext = Pick<ResolvedOptions, 'fetch' | 'clock' | 'baseUrl' | 'headers' | 'requestTimeoutMs'>;

/**
 * POST `body` (already JSON) to `baseUrl + path`. Rejects on a network failure or when no complete response arrived
 * within `requestTimeoutMs` (the request is then aborted where AbortController exists); any HTTP status resolves.
 */
export function postJson(http: HttpContext, path: string, body: string): Promise<HttpResult> {
  return request(http, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

/** GET `baseUrl + path`, as {@link postJson}; `etag` makes it conditional (`If-None-Match`, answered by a 304). */
export function getJson(http: HttpContext, path: string, etag?: string): Promise<HttpResult> {
  return request(http, path, { method: 'GET', headers: etag ? { 'if-none-match': etag } : {} });
}

function request(
  http: HttpContext,
  path: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<HttpResult> {
  const controller = host.AbortController ? new host.AbortController() : undefined;
  return new Promise<HttpResult>((resolve, reject) => {
    const timer = http.clock.setTimeout(() => {
      controller?.abort();
      reject(new Error(`no response within ${http.requestTimeoutMs} ms`));
    }, http.requestTimeoutMs);
    (async () => {
      const response = await http.fetch(http.baseUrl + path, {
        ...init,
        headers: { ...init.headers, ...http.headers },
        signal: controller?.signal,
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const { headers } = response;
      return {
        status: response.status,
        retryAfter: headers.get('retry-after'),
        etag: headers.get('etag'),
        body: parsed,
      };
    })()
      .then(resolve, reject)
      .finally(() => http.clock.clearTimeout(timer));
  });
}

/** The server's error message from an `{ error: { message } }` body, else a generic one with the status. */
export function errorMessage(result: HttpResult): string {
  const message = (result.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? `${result.status}: ${message}` : `HTTP ${result.status}`;
}
