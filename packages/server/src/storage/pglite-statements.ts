/**
 * Named prepared statements on PGlite, sent through its wire-protocol entry (`execProtocol`) rather than `query()`.
 *
 * PGlite's `query()` parses and plans the SQL on every call, spends a second protocol exchange asking for the
 * parameter types, and copies its whole table of type parsers for every result. For the hot statements (the sticky
 * insert-or-read, the event batch insert) that was about three quarters of their CPU, in the server's own thread
 * (docs/PERFORMANCE.md). Here a statement is parsed once per PGlite instance under its name; each call is then one
 * protocol message (Bind, Describe, Execute, Sync), its rows decoded with PGlite's own parsers, so values come back as
 * `query()` returns them. Sync ends the statement's implicit transaction: it commits (or rolls back on an error)
 * before the promise settles, as with `query()`.
 */
import { protocol, type PGlite, type messages } from '@electric-sql/pglite';

/** A value bound to a placeholder: sent as text, as PostgreSQL's input functions read it. */
export type StatementValue = string | number | boolean | null | Date;

/** What is used of a PGlite instance: its protocol entry, its query lock and its result parsers (all public). */
export type PgliteConnection = Pick<PGlite, 'execProtocol' | 'runExclusive' | 'parsers'>;

/** The statement names parsed on each PGlite instance (a name is parsed once per instance, like a session's). */
const parsed = new WeakMap<PgliteConnection, Set<string>>();

/** PostgreSQL's SQLSTATE for a statement name the session does not know (after `DEALLOCATE ALL`, `DISCARD ALL`). */
const UNKNOWN_STATEMENT = '26000';

function toText(value: StatementValue): string | null {
  if (value === null || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

/** The result rows, each value decoded by PGlite's parser for its column type (as `query()` decodes them). */
function rowsOf<T>(connection: PgliteConnection, replies: readonly messages.BackendMessage[]): T[] {
  const rows: T[] = [];
  let fields: messages.Field[] = [];
  for (const reply of replies) {
    if (reply.name === 'rowDescription') fields = (reply as messages.RowDescriptionMessage).fields;
    else if (reply.name === 'dataRow') {
      const values = (reply as messages.DataRowMessage).fields;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const { name, dataTypeID } = fields[i]!;
        const text = values[i];
        const parse = connection.parsers[dataTypeID];
        row[name] = text === null || text === undefined ? null : parse ? parse(text, dataTypeID) : text;
      }
      rows.push(row as T);
    }
  }
  return rows;
}

async function parse(connection: PgliteConnection, name: string, text: string): Promise<void> {
  // Sync closes the implicit transaction Parse opened; a syntax error throws here and the name stays unparsed.
  await connection.execProtocol(concat([protocol.serialize.parse({ name, text }), protocol.serialize.sync()]), {
    syncToFs: false,
  });
}

/**
 * Runs the statement `text` (`$1, $2, …` placeholders) prepared under `name` on `connection`, parsing it on first use,
 * and resolves its rows. One name must always carry the same SQL. The caller makes sure no transaction of another
 * caller is open on the connection (the knex pool's one connection does).
 * @example
 * const rows = await runPrepared<{ n: number }>(pglite, 'abc_count', 'select count(*)::int as n from assignments', []);
 */
export async function runPrepared<T>(
  connection: PgliteConnection,
  name: string,
  text: string,
  values: readonly StatementValue[],
): Promise<T[]> {
  let names = parsed.get(connection);
  if (!names) parsed.set(connection, (names = new Set()));
  const known = names;
  const execute = async (): Promise<T[]> => {
    if (!known.has(name)) {
      await parse(connection, name, text);
      known.add(name);
    }
    const message = concat([
      protocol.serialize.bind({ statement: name, values: values.map(toText) }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]);
    // Throws the first error after the whole message ran, so Sync has ended the failed transaction by then.
    const { messages } = await connection.execProtocol(message, { syncToFs: true });
    return rowsOf<T>(connection, messages);
  };
  // PGlite's query lock: no query() of PGlite's own interleaves with the Parse and the Bind.
  return connection.runExclusive(async () => {
    try {
      return await execute();
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNKNOWN_STATEMENT || !known.has(name)) throw error;
      // Deallocated behind our back (a host's DISCARD ALL, say): parse it again, once.
      known.delete(name);
      return execute();
    }
  });
}
