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
  migrations: { migrationsList, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', silent: true },
  discovery: { warnWhenNoEntities: false },
  // Admin endpoints and the CLI use forked EMs explicitly; the global one must never collect state.
  allowGlobalContext: false,
};

/** ORM options for a PostgreSQL URL. Short pool timeouts so a dead database becomes a 503 quickly. */
export function postgresOptions(databaseUrl: string, poolMax = 10): Options {
  return {
    ...shared,
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    pool: { min: 0, max: poolMax, acquireTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
    driverOptions: { connection: { connectionTimeoutMillis: 3000 } },
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
