/**
 * Fresh databases for tests, one per call: a new PostgreSQL database (`CREATE DATABASE` as `postgres`) or, with
 * `TEST_DB=pglite`, an in-memory PGlite. Either way migrated, and dropped again on close().
 */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { IN_MEMORY } from './storage/orm-config.js';
import { rawQuery, type SqlValue } from './storage/raw-query.js';
import { createStorage, ormOf, type Storage } from './storage/storage.js';

/**
 * The ORM behind a storage, for tests that hold locks, open transactions or inspect tables directly. Not part of
 * {@link Storage}: application code goes through the stores.
 */
export function storageOrm(storage: Storage): MikroORM {
  const orm = ormOf.get(storage);
  if (!orm) throw new Error('storageOrm: not a storage made by createStorage');
  return orm;
}

/**
 * Runs one parameterised statement (`?` placeholders) on a storage's database, for test setup and assertions.
 * @example const [row] = await testSql<{ n: number }>(db.storage, 'select count(*)::int as n from event_logs');
 */
export function testSql<T = Record<string, unknown>>(
  storage: Storage,
  sql: string,
  params: readonly SqlValue[] = [],
): Promise<T[]> {
  return rawQuery<T>(storageOrm(storage).em.fork(), sql, params);
}

/** Which database tests run on: `TEST_DB=pglite` or PostgreSQL at `TEST_PG_ADMIN_URL`. */
export function testDatabaseKind(): 'postgresql' | 'pglite' {
  return process.env.TEST_DB === 'pglite' ? 'pglite' : 'postgresql';
}

const adminUrl = () => process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function asAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  storage: Storage;
  /** PostgreSQL URL of the fresh database (undefined on PGlite). */
  url?: string;
  /** Drops a PostgreSQL database out from under the storage, to test outages. */
  dropNow(): Promise<void>;
  close(): Promise<void>;
}

/** A migrated, empty database of its own. */
export async function createTestStorage(): Promise<TestDatabase> {
  if (testDatabaseKind() === 'pglite') {
    const storage = await createStorage({ dataDir: IN_MEMORY, migrate: true });
    return {
      storage,
      async dropNow() {
        await storage.close();
      },
      close: () => storage.close().catch(() => undefined),
    };
  }
  const name = `abc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin((c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const storage = await createStorage({ databaseUrl: url.toString(), migrate: true });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await asAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
  };
  return {
    storage,
    url: url.toString(),
    dropNow: drop,
    async close() {
      await storage.close().catch(() => undefined);
      await drop();
    },
  };
}

/**
 * The service behind `POST /v1/assignment`, for tests that compare many of its decisions in process (no HTTP), such
 * as the client's agreement property test.
 */
export { assignUser } from './services/assign-user.js';
