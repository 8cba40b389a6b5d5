/**
 * The hot paths' database layer: statements run on the pool's connections without an EntityManager per query, bind
 * their values, keep one prepared statement per name, and on PGlite wait for a transaction holding the one connection.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPooledQuery } from '../src/storage/raw-query.js';
import { createTestStorage, storageOrm } from '../src/testing.js';

test('runs a statement with bound values, and again under the same name with other values', async () => {
  const db = await createTestStorage();
  try {
    const orm = storageOrm(db.storage);
    const query = createPooledQuery(() => orm.em.fork(), db.storage.kind === 'postgresql');
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
    const query = createPooledQuery(() => orm.em.fork(), db.storage.kind === 'postgresql');
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

test.run();
