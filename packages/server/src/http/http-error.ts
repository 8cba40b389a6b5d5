/** Typed HTTP errors with stable codes; the error middleware turns them into `{ error: { code, message, details } }`. */

/** One problem with a request, pointing at the field at fault (JSON pointer into the body, or a query name). */
export interface ErrorDetail {
  field: string;
  message: string;
}

/** How many `details` an error answer lists at most; the message says how many more there were. */
export const MAX_ERROR_DETAILS = 20;

/** An error with an HTTP status and a stable `code` (`invalid_body`, `not_found`, …) for the response body. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly unknown[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const badRequest = (code: string, message: string, details?: readonly unknown[]) =>
  new HttpError(400, code, message, details);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const payloadTooLarge = (code: string, message: string) => new HttpError(413, code, message);
export const unsupportedMediaType = (message: string) => new HttpError(415, 'unsupported_media_type', message);
