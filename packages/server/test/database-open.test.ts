/** Opening PostgreSQL: a missing database is never created unless asked, and a dead server is one clear line. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DatabaseNotFoundError, DatabaseUnreachableError, createStorage } from '../src/index.js';
import { testDatabaseKind } from '../src/testing.js';

const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    (): Error => assert.unreachable('opened') as never,
    (error: unknown) => error as Error,
  );

if (testDatabaseKind() === 'postgresql') {
  test('a misspelt database name is refused, naming it, and nothing is created (not even with migrate)', async () => {
    const name = `abc_missing_${randomBytes(4).toString('hex')}`;
    const error = await failure(createStorage({ databaseUrl: urlOf(name), migrate: true }));
    assert.instance(error, DatabaseNotFoundError);
    assert.match(error.message, `database '${name}' does not exist at `);
    assert.match(error.message, 'createDatabase');
    assert.is(await databaseExists(name), false);
  });

  test('createDatabase: true creates the missing database, and migrating it works', async () => {
    const name = `abc_created_${randomBytes(4).toString('hex')}`;
    try {
      const storage = await createStorage({ databaseUrl: urlOf(name), createDatabase: true, migrate: true });
      assert.is(await databaseExists(name), true);
      assert.equal(await storage.experiments.list(), []);
      await storage.close();
    } finally {
      await dropDatabase(name);
    }
  });
}

test('an unreachable server is one line naming host and port and the reason, never the password', async () => {
  const error = await failure(
    createStorage({ databaseUrl: 'postgres://ab:s3cret-pw@127.0.0.1:1/abc?sslmode=disable' }),
  );
  assert.instance(error, DatabaseUnreachableError);
  assert.is(
    error.message,
    'cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED): is it running? postgres://ab@127.0.0.1:1/abc',
  );
  assert.not.match(error.message, 's3cret');
  assert.ok(error.cause, 'the driver error is kept as the cause');
});

test.run();
