/**
 * Servers starting together on an empty PostgreSQL database all migrate it: one at a time (an advisory lock), so
 * every one of them starts and each migration is applied once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createStorage } from '../src/storage/storage.js';
import { testDatabaseKind } from '../src/testing.js';

const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

if (testDatabaseKind() === 'postgresql') {
  test('four servers migrating one empty database at once all start, and each migration runs once', async () => {
    const name = `abc_test_migrate_${randomBytes(4).toString('hex')}`;
    await admin(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, () => createStorage({ databaseUrl: url.toString(), migrate: true })),
      );
      const failures = opened.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
      assert.equal(failures, []);
      const storages = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const { rows } = await client.query<{ name: string; n: string }>(
        'select name, count(*)::text as n from mikro_orm_migrations group by name',
      );
      await client.end();
      assert.ok(rows.length >= 6, 'every migration recorded');
      assert.ok(
        rows.every((r) => r.n === '1'),
        'each migration applied once',
      );
      await Promise.all(storages.map((s) => s.close()));
    } finally {
      await admin(`drop database if exists ${name} with (force)`);
    }
  });
} else {
  console.log('migrate-concurrently: PostgreSQL only (the embedded database has one writer)');
}

test.run();
