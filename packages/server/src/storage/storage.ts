/** The storage facade the routers use: one object over MikroORM, on PostgreSQL or embedded PGlite. */
import type { PGlite } from '@electric-sql/pglite';
import { MikroORM, type EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import type { MikroORM as AnyMikroORM } from '@mikro-orm/core';
import { createAssignmentStore } from './assignment-store.js';
import { createAuditStore } from './audit-store.js';
import { createEventStore } from './event-store.js';
import { createEventPartitionStore } from './event-partitions.js';
import { createExperimentStore } from './experiment-store.js';
import { createFunnelStore } from './funnel-store.js';
import { createHoldoutStore } from './holdout-store.js';
import { createSavedGroupStore } from './saved-group-store.js';
import { createMetricStore } from './metric-store.js';
import { createLoadTestStore } from './load-test-store.js';
import { createOverrideStore } from './override-store.js';
import { createRollupStore } from './rollup-store.js';
import { runsOnPglite, IN_MEMORY, pgliteOptions, postgresOptions, type SessionLimits } from './orm-config.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { isDatabaseUnavailable, sqlState } from './database-errors.js';
import { DatabaseNotFoundError, DatabaseUnreachableError, connectionFailureReason } from './database-open-errors.js';
import type { Storage, StorageKind } from './storage-types.js';
import { rawQuery } from './raw-query.js';

/** What {@link Storage.poolUsage} reads of knex's pool (tarn). */
interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

export type { Storage, StorageKind } from './storage-types.js';

/** The advisory lock migrations run under on PostgreSQL (a constant in the same namespace as the rollup locks). */
const MIGRATION_LOCK_KEY = 720_100;

export interface StorageOptions {
  /** PostgreSQL URL. Absent: the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  /** Where the embedded database lives (default `./.data/pglite`); `memory://` keeps it in memory. */
  dataDir?: string;
  /**
   * An already initialised MikroORM (PostgreSQL driver) whose config includes this package's `entities` and
   * `migrationsList`; the storage borrows it and does not close it.
   */
  orm?: AnyMikroORM;
  /** Apply pending migrations on start (default false; the CLI's `serve` and `migrate` do it). */
  migrate?: boolean;
  /**
   * PostgreSQL: create the database of `databaseUrl` when it does not exist (default false: opening fails with
   * {@link DatabaseNotFoundError}, so a misspelt URL never starts an empty server). The CLI's `migrate` sets it.
   */
  createDatabase?: boolean;
  /** Maximum PostgreSQL connections (default 10). */
  poolMax?: number;
  /**
   * PostgreSQL: longest a statement may run, ms (default 30000; 0: the server's setting). Rollups set their own,
   * longer limit inside their transaction (runRollup's `statementTimeoutMs`). None of these four limits applies to a
   * borrowed `orm` or to PGlite.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL: longest a statement waits for a lock, ms (default 10000; 0: the server's setting). */
  lockTimeoutMs?: number;
  /** PostgreSQL: a session idle inside an open transaction this long is ended, ms (default 60000; 0: the server's). */
  idleInTransactionTimeoutMs?: number;
  /**
   * PostgreSQL 14+: how often a backend running a query checks that its client is still connected, ms (default 2000;
   * 0: the server's setting). A killed client's query is then aborted within this interval, releasing its locks.
   */
  connectionCheckIntervalMs?: number;
}

/** Defaults of the PostgreSQL session limits in {@link StorageOptions}, in milliseconds. */
export const DEFAULT_SESSION_LIMITS: Readonly<SessionLimits> = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
  connectionCheckIntervalMs: 2_000,
};

/** PostgreSQL's millisecond settings are 32-bit integers. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Fills in defaults and refuses what PostgreSQL would, naming the option. */
function sessionLimits(options: StorageOptions): SessionLimits {
  const limits = { ...DEFAULT_SESSION_LIMITS };
  for (const name of Object.keys(limits) as Array<keyof SessionLimits>) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > MAX_TIMEOUT_MS) {
      throw new Error(`${name} must be an integer number of milliseconds from 0 to ${MAX_TIMEOUT_MS} (got ${value})`);
    }
    limits[name] = value;
  }
  return limits;
}

/**
 * PGlite fails to open a damaged data dir with a bare wasm `RuntimeError: Aborted()`; say which directory and what to
 * do. (Two processes writing one data dir at once was the usual cause; the data-dir lock now prevents it.)
 */
function embeddedOpenError(dataDir: string, error: unknown): unknown {
  if (dataDir === IN_MEMORY || !(error instanceof Error) || error.name !== 'RuntimeError') return error;
  return new Error(
    `The embedded database in ${dataDir} could not be opened (${error.message}); it may be damaged. ` +
      `Restore it from a backup, or move the directory aside to start with an empty database.`,
    { cause: error },
  );
}

/**
 * Connects once: the database must exist (or is created when `create`), and an unreachable server fails here with one
 * line naming where it looked, rather than with a raw driver error on the first query.
 */
async function checkDatabase(orm: MikroORM, databaseUrl: string, create: boolean): Promise<void> {
  const check = await orm.em.getConnection().checkConnection();
  if (check.ok) return;
  const cause = check.error;
  if (sqlState(cause) === '3D000') {
    if (!create) throw new DatabaseNotFoundError(orm.config.get('dbName'), databaseUrl, { cause });
    await orm.schema.ensureDatabase();
    return;
  }
  if (isDatabaseUnavailable(cause))
    throw new DatabaseUnreachableError(databaseUrl, connectionFailureReason(cause), { cause });
  throw cause ?? new Error(check.reason);
}

/** Default on-disk location of the embedded database. */
export const DEFAULT_DATA_DIR = './.data/pglite';

/**
 * Opens storage. The only place that knows which database is behind it.
 * @example const storage = await createStorage({ databaseUrl: process.env.DATABASE_URL, migrate: true });
 */
export async function createStorage(options: StorageOptions = {}): Promise<Storage> {
  const limits = sessionLimits(options);
  let pglite: PGlite | undefined;
  let lock: DataDirLock | undefined;
  let orm: AnyMikroORM;
  const owned = !options.orm;
  if (options.orm) {
    orm = options.orm;
  } else if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new Error(
        `databaseUrl must start with postgres:// or postgresql:// (got '${options.databaseUrl.slice(0, 20)}…')`,
      );
    }
    const opened = await MikroORM.init(postgresOptions(options.databaseUrl, options.poolMax ?? 10, limits));
    await checkDatabase(opened, options.databaseUrl, options.createDatabase ?? false).catch(async (error: unknown) => {
      await opened.close(true).catch(() => undefined);
      throw error;
    });
    orm = opened;
  } else {
    const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    // Single-writer: refuse a second process (or a second open here) before anything touches the directory.
    lock = dataDir === IN_MEMORY ? undefined : acquireDataDirLock(dataDir);
    try {
      const embedded = pgliteOptions(dataDir);
      pglite = embedded.pglite;
      orm = await MikroORM.init(embedded.options);
    } catch (error) {
      await pglite?.close().catch(() => undefined);
      lock?.release();
      throw embeddedOpenError(dataDir, error);
    }
  }
  // A borrowed ORM may be on PGlite too (a host's embedded database).
  const kind: StorageKind = pglite || runsOnPglite(orm) ? 'pglite' : 'postgresql';
  const fork = () => orm.em.fork();

  const storage: Storage = {
    kind,
    experiments: createExperimentStore(fork),
    funnels: createFunnelStore(fork),
    assignments: createAssignmentStore(fork, kind),
    events: createEventStore(fork, kind),
    eventPartitions: createEventPartitionStore(fork),
    loadTests: createLoadTestStore(fork),
    rollups: createRollupStore(fork),
    audit: createAuditStore(fork),
    overrides: createOverrideStore(fork),
    holdouts: createHoldoutStore(fork),
    savedGroups: createSavedGroupStore(fork),
    metrics: createMetricStore(fork),

    async migrate(): Promise<string[]> {
      const migrator = orm.getMigrator();
      if (kind === 'pglite') return (await migrator.up()).map((m) => m.name);
      // A schema change may rewrite or index a big table: no statement limit inside the migration's transaction. The
      // lock limit stays, so a migration stuck behind long queries fails rather than stalling every query behind it.
      const connection = orm.em.getConnection();
      const applied = await connection.transactional(async (trx) => {
        await connection.execute(`select set_config('statement_timeout', '0', true)`, [], 'all', trx);
        // Servers starting together all migrate: one at a time, so the others find the work done instead of failing
        // on the same CREATE TABLE. Transaction-level, so it goes with the migration's commit or rollback.
        await connection.execute(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`, [], 'all', trx);
        return migrator.up({ transaction: trx });
      });
      return applied.map((m) => m.name);
    },

    async lastRollupSuccesses(jobs) {
      const rows = await rawQuery<{ job: string; at: unknown }>(
        fork(),
        `select j.job, (select r.ended_at from rollup_runs r where r.job = j.job and r.status = 'succeeded'
                         order by r.started_at desc limit 1) as at
           from unnest(?::text[]) as j(job)`,
        [`{${jobs.join(',')}}`],
      );
      const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();
      return rows.filter((r) => r.at).map((r) => ({ job: String(r.job), ended_at: iso(r.at) }));
    },

    poolUsage() {
      // knex's pool (tarn) counts these itself; reading them costs nothing.
      const pool = (orm.em as SqlEntityManager).getConnection().getKnex().client.pool as TarnPool | undefined;
      if (!pool) return { used: 0, free: 0, pending: 0, max: 0 };
      return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
    },

    async ping(timeoutMs = 2000): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const query = fork()
        .getConnection()
        .execute('select 1')
        .then(
          () => true,
          () => false,
        );
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async close(): Promise<void> {
      if (!owned) return;
      try {
        await orm.close(true);
        await pglite?.close();
      } finally {
        lock?.release();
      }
    },
  };
  ormOf.set(storage, orm);
  if (options.migrate) {
    // The caller never sees this storage when migrating fails, so it cannot close it (nor free the data dir).
    await storage.migrate().catch(async (error: unknown) => {
      await storage.close().catch(() => undefined);
      throw error;
    });
  }
  return storage;
}

/** The ORM behind each storage, for test helpers only (`ormOf` in the `testing` entry): not part of {@link Storage}. */
export const ormOf = new WeakMap<Storage, AnyMikroORM>();
