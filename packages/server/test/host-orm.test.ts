import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PGlite } from '@electric-sql/pglite';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { PGliteDriver } from 'mikro-orm-pglite';
import { createAbServer, createStorage, entities, IN_MEMORY, migrationsList } from '../src/index.js';
import { createTestStorage, testDatabaseKind } from '../src/testing.js';

test("a host's own initialised MikroORM is borrowed: migrated and used, but not closed", async () => {
  const db = await createTestStorage(); // only for a fresh database (PostgreSQL) of this file's own
  await db.storage.close();
  const pglite = testDatabaseKind() === 'pglite' ? new PGlite() : undefined;
  const hostConfig = {
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, silent: true },
    ...(pglite
      ? { driver: PGliteDriver, dbName: 'postgres', driverOptions: { connection: { pglite: () => pglite } } }
      : { driver: PostgreSqlDriver, clientUrl: db.url }),
  } as unknown as Options;
  const orm = await MikroORM.init(hostConfig);
  try {
    const storage = await createStorage({ orm, migrate: true });
    const created = await storage.experiments.create({
      key: 'host_orm',
      status: 'running',
      variants: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
    });
    assert.is(created.seed, 'host_orm');
    await storage.close();
    assert.ok(await orm.isConnected(), 'the host ORM is still connected after storage.close()');
    const [row] = await orm.em.fork().getConnection().execute('select count(*)::int as n from experiments');
    assert.is(row?.n, 1);
  } finally {
    await orm.close(true);
    await pglite?.close();
    await db.close();
  }
});

test('createAbServer opens storage and builds the router in one call; bad options fail and close what was opened', async () => {
  const ab = await createAbServer({ dataDir: IN_MEMORY, migrate: true, adminToken: 'one-call-admin' });
  try {
    assert.ok(ab.router.stack.some((layer) => layer.path === '/v1/assignment'));
    assert.equal(await ab.storage.experiments.list(), []);
  } finally {
    await ab.close();
  }
  try {
    await createAbServer({ dataDir: IN_MEMORY, adminToken: 'short' });
    assert.unreachable('a 5-character token must be refused');
  } catch (error) {
    assert.match((error as Error).message, /adminToken must be at least 8 characters/);
  }
});

test.run();
