/** The one error type of the dashboard API client: what went wrong, in words a person can act on. */

/**
 * `unauthorized`: 401, the token is missing or wrong. `not_found`: 404. `network`: no answer at all (server down,
 * wrong URL, CORS). `http`: any other non-2xx answer. `invalid_response`: a 2xx that is not JSON.
 */
export type DashboardApiErrorKind = 'unauthorized' | 'not_found' | 'network' | 'http' | 'invalid_response';

/**
 * Thrown by every {@link DashboardApi} call that does not return data.
 * @example
 * try { await api.daily(7); } catch (e) { if (e instanceof DashboardApiError && e.kind === 'unauthorized') askForToken(); }
 */
export class DashboardApiError extends Error {
  readonly kind: DashboardApiErrorKind;
  /** HTTP status, 0 when there was no response. */
  readonly status: number;
  /** The server's stable error code (`unauthorized`, `not_found`, `invalid_query`, …) when it sent one. */
  readonly code: string | undefined;

  constructor(
    kind: DashboardApiErrorKind,
    message: string,
    options: { status?: number; code?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DashboardApiError';
    this.kind = kind;
    this.status = options.status ?? 0;
    this.code = options.code;
  }
}

/** True for a {@link DashboardApiError} (also across bundle copies, by name and kind). */
export function isDashboardApiError(value: unknown): value is DashboardApiError {
  return (
    value instanceof DashboardApiError ||
    (value instanceof Error && value.name === 'DashboardApiError' && 'kind' in value)
  );
}

/** A sentence for people: 401 says the token is wrong, a network failure says the server could not be reached. */
export function describeApiError(error: unknown): { title: string; message: string } {
  if (!isDashboardApiError(error)) {
    return { title: 'Something went wrong', message: error instanceof Error ? error.message : String(error) };
  }
  switch (error.kind) {
    case 'unauthorized':
      return {
        title: 'The dashboard token is wrong',
        message: 'The server refused the dashboard token (401). Check the token (DASHBOARD_TOKEN) and try again.',
      };
    case 'network':
      return {
        title: 'Network error',
        message: `Could not reach the server: ${error.message}. Check the API address and that the server is running.`,
      };
    case 'not_found':
      return { title: 'Not found', message: error.message };
    case 'invalid_response':
      return { title: 'Unexpected response', message: error.message };
    default:
      return { title: `Server error (${error.status})`, message: error.message };
  }
}
