/** The error type of the admin API client: what went wrong, with the server's per-field problems when it sent them. */

/**
 * `unauthorized`: 401, the admin token is missing, wrong, or the server has none configured. `invalid`: 400, the
 * definition (or the key in the path) was refused; `details` names each field. `conflict`: 409, the key exists.
 * `not_found`: 404. `network`: no answer at all. `http`: any other non-2xx answer. `invalid_response`: a 2xx that
 * is not JSON.
 */
export type AdminApiErrorKind =
  'unauthorized' | 'invalid' | 'conflict' | 'not_found' | 'network' | 'http' | 'invalid_response';

/** One problem the server found, pointing at the field at fault with a JSON pointer (`/variants/1/weight`). */
export interface AdminFieldProblem {
  field: string;
  message: string;
}

/**
 * Thrown by every {@link AdminApi} call that does not succeed.
 * @example
 * try { await admin.create(definition); } catch (e) { if (isAdminApiError(e) && e.kind === 'invalid') show(e.details); }
 */
export class AdminApiError extends Error {
  override name = 'AdminApiError';
  readonly kind: AdminApiErrorKind;
  /** HTTP status, 0 when there was no response. */
  readonly status: number;
  /** The server's stable error code (`invalid_definition`, `conflict`, …) when it sent one. */
  readonly code: string | undefined;
  /** The server's `details`: every field it refused, with its message (empty when it named none). */
  readonly details: readonly AdminFieldProblem[];

  constructor(
    kind: AdminApiErrorKind,
    message: string,
    options: { status?: number; code?: string; details?: readonly AdminFieldProblem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status ?? 0;
    this.code = options.code;
    this.details = options.details ?? [];
  }
}

/** True for an {@link AdminApiError} (also across bundle copies, by name and kind). */
export function isAdminApiError(value: unknown): value is AdminApiError {
  return (
    value instanceof AdminApiError || (value instanceof Error && value.name === 'AdminApiError' && 'kind' in value)
  );
}

/** The `details` of an error body, keeping only well-formed `{ field, message }` entries. */
export function fieldProblems(details: unknown): AdminFieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    const { field, message } = (d ?? {}) as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
  });
}

/** A sentence for people: 401 says the admin token was refused, 409 that the key exists. */
export function describeAdminError(error: unknown): { title: string; message: string } {
  if (!isAdminApiError(error)) {
    return { title: 'Something went wrong', message: error instanceof Error ? error.message : String(error) };
  }
  switch (error.kind) {
    case 'unauthorized':
      return {
        title: 'Admin token refused',
        message:
          'The server refused the admin token (401). Enter the ADMIN_TOKEN the server was started with; a server without one has the admin API turned off.',
      };
    case 'conflict':
      return { title: 'Key exists', message: error.message };
    case 'invalid':
      return { title: 'The server refused the definition', message: error.message };
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
