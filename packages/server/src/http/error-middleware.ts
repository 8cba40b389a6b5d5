/**
 * The one error middleware, mounted on our router only: it never sees the host app's routes. Caller mistakes keep
 * their message; a database outage becomes 503; anything else is a 500 whose details go to the logger, not the caller.
 */
import type { Context, Middleware } from 'koa';
import { isDataError, isDatabaseUnavailable, isQueryTimeout } from '../storage/database-errors.js';
import { HttpError, MAX_ERROR_DETAILS } from './http-error.js';
import { loggableError } from './loggable-error.js';

/** What the server logs through; `console` fits, so does pino. */
export interface Logger {
  error(obj: unknown, msg?: string): void;
  warn?(obj: unknown, msg?: string): void;
  info?(obj: unknown, msg?: string): void;
}

export function createErrorMiddleware(logger: Logger): Middleware {
  const answer = (ctx: Context, error: unknown) => {
    const mapped = toHttpError(error);
    if (mapped.status >= 500)
      logger.error({ err: loggableError(error), method: ctx.method, path: ctx.path }, mapped.message);
    ctx.status = mapped.status;
    ctx.set('Cache-Control', 'no-store');
    if (mapped.status === 503) ctx.set('Retry-After', '5');
    if (mapped.status === 429 && 'retryAfterSeconds' in mapped)
      ctx.set('Retry-After', String(mapped.retryAfterSeconds));
    ctx.body = { error: errorBody(mapped) };
  };
  // A catch on the chain's promise rather than an async function around it: one promise per request, not three.
  return function abErrorMiddleware(ctx, next) {
    return next().catch((error: unknown) => answer(ctx, error));
  };
}

/** `{ code, message, details? }`, with at most {@link MAX_ERROR_DETAILS} details and the message saying how many more. */
function errorBody({ code, message, details }: HttpError) {
  if (!details) return { code, message };
  const more = details.length - MAX_ERROR_DETAILS;
  if (more <= 0) return { code, message, details };
  return {
    code,
    message: `${message} (${details.length} problems: the first ${MAX_ERROR_DETAILS} are in details, …and ${more} more)`,
    details: details.slice(0, MAX_ERROR_DETAILS),
  };
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isDatabaseUnavailable(error))
    return new HttpError(503, 'database_unavailable', 'The database is unreachable; retry later');
  // Statement or lock timeout: the database is up but busy or contended. Retryable, and no outage alert.
  if (isQueryTimeout(error))
    return new HttpError(503, 'database_timeout', 'The database did not answer in time; retry later');
  // Values are checked before they reach a query; this catches what a check missed, as the caller's mistake.
  if (isDataError(error))
    return new HttpError(400, 'invalid_value', 'The request carries a value the database cannot store');
  return new HttpError(500, 'internal_error', 'Internal server error');
}
