/**
 * Why a PostgreSQL database could not be opened, in one line that names where it looked and never the password: the
 * database does not exist (nothing creates it unless asked), or the server cannot be reached.
 */

/** `postgres://user@host:port/db`: the URL without its password, query or fragment, safe to print. */
function safeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const user = url.username ? `${url.username}@` : '';
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    return 'postgres://…';
  }
}

/** The database name and `host:port` of a PostgreSQL URL. */
function databaseTarget(databaseUrl: string): { database: string; address: string } {
  try {
    const url = new URL(databaseUrl);
    const database = decodeURIComponent(url.pathname.slice(1)) || url.username || 'postgres';
    return { database, address: `${url.hostname || 'localhost'}:${url.port || '5432'}` };
  } catch {
    return { database: '?', address: '?' };
  }
}

/**
 * The database in the URL does not exist on that server. Opening storage never creates one unless asked
 * (`createDatabase: true`): a misspelt URL would otherwise start an empty server.
 */
export class DatabaseNotFoundError extends Error {
  readonly code = 'database_not_found';
  override name = 'DatabaseNotFoundError';
  /** `host:port` of the server that was asked. */
  readonly address: string;
  /** The URL without its password. */
  readonly safeUrl: string;
  constructor(
    readonly database: string,
    databaseUrl: string,
    options?: ErrorOptions,
  ) {
    const address = databaseTarget(databaseUrl).address;
    const safeUrl = safeDatabaseUrl(databaseUrl);
    super(
      `database '${database}' does not exist at ${address} (${safeUrl}); check the URL, or create it with ` +
        'createDatabase: true (`calicritters migrate` does)',
      options,
    );
    this.address = address;
    this.safeUrl = safeUrl;
  }
}

/** The PostgreSQL server in the URL cannot be reached: not running, wrong host or port, or a network problem. */
export class DatabaseUnreachableError extends Error {
  readonly code = 'database_unreachable';
  override name = 'DatabaseUnreachableError';
  /** `host:port` of the server that was asked. */
  readonly address: string;
  /** The URL without its password. */
  readonly safeUrl: string;
  constructor(
    databaseUrl: string,
    /** ECONNREFUSED, ENOTFOUND, … or the driver's first line. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    const address = databaseTarget(databaseUrl).address;
    const safeUrl = safeDatabaseUrl(databaseUrl);
    super(`cannot reach PostgreSQL at ${address} (${reason}): is it running? ${safeUrl}`, options);
    this.address = address;
    this.safeUrl = safeUrl;
  }
}

/** The Node error code (ECONNREFUSED, ENOTFOUND, …) or message behind a failed connection, for the one line. */
export function connectionFailureReason(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
    // `localhost` resolves to ::1 and 127.0.0.1: Node reports both failures as one AggregateError.
    if (Array.isArray(e.errors) && e.errors.length > 0) current = e.errors[0];
    else current = e.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 120) ?? 'unknown error';
}
