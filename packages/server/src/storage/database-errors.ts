/**
 * Classifies database errors: "the database is unreachable" (503, retry later) and "this value cannot be stored"
 * (the caller's data: 400), apart from everything else (500).
 */

// PostgreSQL SQLSTATE classes and codes meaning the server or the database is gone, starting or shutting down.
const UNAVAILABLE_SQLSTATES = new Set(['3D000', '57P01', '57P02', '57P03', '53300']);
const PROTOCOL_VIOLATION = '08P01';
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const UNAVAILABLE_MESSAGES = [
  /timeout acquiring a connection/i,
  /unable to acquire a connection/i,
  /connection terminated/i,
  /Connection terminated unexpectedly/i,
  /client has encountered a connection error/i,
  /PGlite is closed/i,
  /database .* does not exist/i,
];

/** The error and its causes, outermost first (drivers and the ORM wrap each other's errors a few levels deep). */
function* causeChain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    yield current as { code?: unknown; message?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

/** True when the error (or any error in its `cause` chain) means the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string') {
      // 08P01 (protocol violation) is what a NUL in a bound parameter gives: the request's fault, not an outage.
      const connectionClass = e.code.startsWith('08') && e.code !== PROTOCOL_VIOLATION;
      if (UNAVAILABLE_SQLSTATES.has(e.code) || connectionClass || UNAVAILABLE_NODE_CODES.has(e.code)) return true;
    }
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
  }
  return false;
}

/** The SQLSTATE of a database error, looked up through its `cause` chain. */
export function sqlState(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * True when PostgreSQL refused a value the request carried: SQLSTATE class 22 (data exception: bad encoding, out of
 * range, invalid text representation) or 08P01 (a NUL in a bound parameter).
 */
export function isDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code === PROTOCOL_VIOLATION);
}

/** 57014 query_canceled (statement_timeout, or a cancel request), 55P03 lock_not_available (lock_timeout). */
const TIMEOUT_SQLSTATES = new Set(['57014', '55P03']);

/**
 * True when a statement was stopped by a statement or lock timeout (or cancelled): the database is up but busy or
 * contended, so the caller should retry (503) and nobody should be paged for an outage.
 */
export function isQueryTimeout(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && TIMEOUT_SQLSTATES.has(code);
}
