/** MikroORM configuration for both targets: PostgreSQL (DATABASE_URL) and embedded PGlite (no URL). */
import { PGlite } from '@electric-sql/pglite';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { PGliteDriver, type PGliteConnectionConfig } from 'mikro-orm-pglite';
import { mkdirSync } from 'node:fs';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** `dataDir` value that keeps the embedded database in memory (tests, throwaway demos). */
export const IN_MEMORY = 'memory://';

const shared = {
  entities,
  extensions: [Migrator] as Array<typeof Migrator>,
  migrations: {
    migrationsList,
    transactional: true,
    allOrNothing: true,
    tableName: 'mikro_orm_migrations',
    silent: true,
  },
  discovery: { warnWhenNoEntities: false },
  // Admin endpoints and the CLI use forked EMs explicitly; the global one must never collect state.
  allowGlobalContext: false,
};

/** Limits every pooled PostgreSQL session gets, in milliseconds; 0 turns one off. */
export interface SessionLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  connectionCheckIntervalMs: number;
}

/**
 * The `-c name=value` startup options: the server applies them before the first query, no round trip. A limit of 0
 * is left out, so the role's or database's own setting applies (and with all of them 0 nothing is sent, for poolers
 * that refuse the `options` startup parameter).
 */
function startupOptions(limits: SessionLimits): string | undefined {
  const settings: Array<[string, number]> = [
    ['statement_timeout', limits.statementTimeoutMs],
    ['lock_timeout', limits.lockTimeoutMs],
    ['idle_in_transaction_session_timeout', limits.idleInTransactionTimeoutMs],
  ];
  const options = settings.filter(([, ms]) => ms > 0).map(([name, ms]) => `-c ${name}=${ms}`);
  return options.length > 0 ? options.join(' ') : undefined;
}

// client_connection_check_interval exists from PostgreSQL 14 and only where the kernel reports closed sockets: as a
// startup option it would refuse every connection elsewhere, so it is set after connecting, where available.
const CONNECTION_CHECK_SQL = `select set_config('client_connection_check_interval', $1, false)
 where current_setting('server_version_num')::int >= 140000`;

interface RawPgConnection {
  query(text: string, values: unknown[], callback: (error: Error | null) => void): void;
}

function connectionCheck(intervalMs: number) {
  return (connection: RawPgConnection, done: (error: Error | null, connection: RawPgConnection) => void) => {
    if (intervalMs === 0) return done(null, connection);
    // A server that refuses the setting still serves queries; only the early abort of a dead client's query is lost.
    connection.query(CONNECTION_CHECK_SQL, [String(intervalMs)], () => done(null, connection));
  };
}

/**
 * ORM options for a PostgreSQL URL. Short pool timeouts so a dead database becomes a 503 quickly; session limits so
 * no statement, lock wait or forgotten transaction runs unbounded, and so a backend notices a dead client mid-query.
 */
export function postgresOptions(databaseUrl: string, poolMax: number, limits: SessionLimits): Options {
  return {
    ...shared,
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    // MikroORM would create a missing database on connect: a misspelt URL would start an empty server. createStorage
    // checks instead, and creates one only when asked (createDatabase).
    ensureDatabase: false,
    pool: {
      min: 0,
      max: poolMax,
      acquireTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      afterCreate: connectionCheck(limits.connectionCheckIntervalMs),
    },
    driverOptions: {
      connection: {
        connectionTimeoutMillis: 3000,
        application_name: 'ab-calicritters',
        options: startupOptions(limits),
      },
    },
  } as Options;
}

/**
 * ORM options for the embedded PGlite database persisted in `dataDir` (or in memory with {@link IN_MEMORY}).
 * Returns the PGlite instance too: MikroORM only borrows it, the storage closes it.
 */
export function pgliteOptions(dataDir: string): { options: Options; pglite: PGlite } {
  if (dataDir !== IN_MEMORY) mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir === IN_MEMORY ? new PGlite() : new PGlite(dataDir);
  const connection: PGliteConnectionConfig = { pglite: () => pglite };
  const options = { ...shared, driver: PGliteDriver, dbName: 'postgres', driverOptions: { connection } };
  return { options: options as unknown as Options, pglite };
}

/** True when an ORM (ours or a host's) runs on PGlite: one connection, so no prepared statements or side connections. */
export function runsOnPglite(orm: { config: { getDriver(): unknown } }): boolean {
  return orm.config.getDriver() instanceof PGliteDriver;
}
