/**
 * The hot paths' database layer: statements run on the pool's connections without an EntityManager per query, bind
 * their values, keep one prepared statement per name, and on PGlite wait for a transaction holding the one connection.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPooledQuery } from '../src/storage/raw-query.js';
import { createTestStorage, storageOrm, testDatabaseKind } from '../src/testing.js';

test('runs a statement with bound values, and again under the same name with other values', async () => {
  const db = await createTestStorage();
  try {
    const orm = storageOrm(db.storage);
    const query = createPooledQuery(() => orm.em.fork(), db.storage.kind);
    const sql = `select ?::int + 1 as n, ?::jsonb ->> 'k' as k`;
    const first = await query<{ n: number; k: string }>('pooled_query_test', sql, [41, JSON.stringify({ k: "it's" })]);
    assert.equal(first, [{ n: 42, k: "it's" }]);
    // Concurrent calls share the pool and the prepared statement of each connection.
    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) => query<{ n: number }>('pooled_query_test', sql, [i, '{}'])),
    );
    assert.equal(
      many.map((rows) => rows[0]!.n),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  } finally {
    await db.close();
  }
});

test("a pooled statement does not run inside another caller's open transaction", async () => {
  const db = await createTestStorage();
  try {
    const orm = storageOrm(db.storage);
    const query = createPooledQuery(() => orm.em.fork(), db.storage.kind);
    await query('pooled_query_create', 'create table pooled_probe (n int)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = orm.em.fork().transactional(async (em) => {
      await em.getConnection().execute('insert into pooled_probe values (1)', [], 'run', em.getTransactionContext());
      await held;
      throw new Error('roll back');
    });
    // Give the transaction time to insert before the pooled read runs (or queues, on PGlite's one connection).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const read = query<{ n: number }>('pooled_query_count', 'select count(*)::int as n from pooled_probe');
    release();
    await transaction.catch(() => undefined);
    assert.equal(await read, [{ n: 0 }], 'the rolled-back row is never seen');
  } finally {
    await db.close();
  }
});

test('binds dates, booleans, numbers and nulls, and decodes each column type as the stores expect', async () => {
  const db = await createTestStorage();
  try {
    const query = createPooledQuery(() => storageOrm(db.storage).em.fork(), db.storage.kind);
    const at = new Date('2026-11-30T12:34:56.789Z');
    const [row] = await query<Record<string, unknown>>(
      'pooled_query_types',
      `select ?::timestamptz as at, ?::boolean as yes, ?::float8 as x, ?::text as none, ?::jsonb as doc,
              ?::bigint as big, ?::text[] as list`,
      [at, true, 2.5, null, JSON.stringify({ k: [1, 'two'] }), '9007199254740993', '{a,"b c"}'],
    );
    // node-postgres under MikroORM reads timestamptz as text, PGlite as a Date: the stores take either.
    assert.is(new Date(row!.at as string | Date).getTime(), at.getTime());
    assert.equal(row!.yes, true);
    assert.equal(row!.x, 2.5);
    assert.equal(row!.none, null);
    assert.equal(row!.doc, { k: [1, 'two'] });
    assert.equal(row!.list, ['a', 'b c']);
    // Each driver's own choice for int8 beyond 2^53: node-postgres a string, PGlite a BigInt.
    assert.equal(String(row!.big), '9007199254740993');
  } finally {
    await db.close();
  }
});

test('a failing statement rolls back all it did, rejects with its SQLSTATE, and the next statement runs', async () => {
  const db = await createTestStorage();
  try {
    const query = createPooledQuery(() => storageOrm(db.storage).em.fork(), db.storage.kind);
    await query('pooled_query_create_keyed', 'create table pooled_keyed (n int primary key)');
    const insert = 'insert into pooled_keyed select value::int from jsonb_array_elements_text(?::jsonb) returning n';
    assert.equal(await query('pooled_query_insert_keyed', insert, ['[1]']), [{ n: 1 }]);
    const failed = await query('pooled_query_insert_keyed', insert, ['[2, 1]']).catch((error: unknown) => error);
    assert.is((failed as { code?: string }).code, '23505');
    const syntax = await query('pooled_query_syntax', 'selec 1').catch((error: unknown) => error);
    assert.is((syntax as { code?: string }).code, '42601');
    assert.equal(await query('pooled_query_insert_keyed', insert, ['[3]']), [{ n: 3 }]);
    const count = 'select count(*)::int as n, max(n) as top from pooled_keyed';
    assert.equal(
      await query('pooled_query_count_keyed', count),
      [{ n: 2, top: 3 }],
      'the 2 of the failed insert is gone',
    );
  } finally {
    await db.close();
  }
});

if (testDatabaseKind() === 'pglite') {
  test('PGlite: a statement deallocated behind the pool is prepared again', async () => {
    const db = await createTestStorage();
    try {
      const orm = storageOrm(db.storage);
      const query = createPooledQuery(() => orm.em.fork(), db.storage.kind);
      const sql = 'select ?::int * 2 as n';
      assert.equal(await query('pooled_query_twice', sql, [2]), [{ n: 4 }]);
      await orm.em.fork().getConnection().execute('deallocate all');
      assert.equal(await query('pooled_query_twice', sql, [5]), [{ n: 10 }]);
    } finally {
      await db.close();
    }
  });
}

test.run();
