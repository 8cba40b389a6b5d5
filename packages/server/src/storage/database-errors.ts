/** Tells "the database is unreachable" apart from other database errors, so callers get 503 rather than 500. */

// PostgreSQL SQLSTATE classes and codes meaning the server or the database is gone, starting or shutting down.
const UNAVAILABLE_SQLSTATES = new Set(['3D000', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = [
  /timeout acquiring a connection/i,
  /unable to acquire a connection/i,
  /connection terminated/i,
  /Connection terminated unexpectedly/i,
  /client has encountered a connection error/i,
  /PGlite is closed/i,
  /database .* does not exist/i,
];

/** True when the error (or any error in its `cause` chain) means the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') {
      if (UNAVAILABLE_SQLSTATES.has(e.code) || e.code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(e.code)) return true;
    }
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
    current = e.cause;
  }
  return false;
}
