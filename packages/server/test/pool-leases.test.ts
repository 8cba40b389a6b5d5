/**
 * The hot paths hold pool connections across back-to-back statements (storage/pool-leases.ts): the ORM still gets
 * a connection while they keep coming, and an idle server holds none.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPooledQuery } from '../src/storage/raw-query.js';
import { createTestStorage, storageOrm } from '../src/testing.js';

type Storage = Awaited<ReturnType<typeof createTestStorage>>['storage'];

/** The tarn pool under the ORM's knex (the storage runs on @mikro-orm/postgresql or the PGlite driver, both knex). */
const poolOf = (storage: Storage) =>
  (
    storageOrm(storage).em.getConnection() as unknown as {
      getKnex(): { client: { pool: { numUsed(): number; max: number } } };
    }
  ).getKnex().client.pool;

/**
 * Statements from `callers` loops until `until` settles, or `limit` of them ran; resolves how many ran. A limit, not a
 * timer: on PGlite a statement settles in microtasks only, so such a loop never lets a timer fire.
 */
async function keepQuerying(storage: Storage, callers: number, until: Promise<unknown>, limit = Infinity) {
  const query = createPooledQuery(() => storageOrm(storage).em.fork(), storage.kind);
  let done = false;
  void until.finally(() => (done = true));
  let ran = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (!done && ran < limit) {
        await query('pool_leases_probe', 'select ?::int as n', [ran]);
        ran++;
      }
    }),
  );
  return ran;
}

test('a transaction gets a connection while hot statements keep every connection busy', async () => {
  const db = await createTestStorage();
  try {
    const orm = storageOrm(db.storage);
    const pool = poolOf(db.storage);
    let started!: () => void;
    const busy = new Promise<void>((resolve) => (started = resolve));
    // Start the transaction once the statements hold the pool: it must wait in the pool's queue and be served there
    // (the pool's acquire times out after 5 s, which fails the test), not behind the leases' own queues.
    const transaction = busy.then(() =>
      orm.em.fork().transactional(async (em) => {
        const rows = await em.getConnection().execute('select 7 as n', [], 'all', em.getTransactionContext());
        return (rows as Array<{ n: number }>)[0]!.n;
      }),
    );
    const load = keepQuerying(db.storage, pool.max * 3, transaction);
    // Many statements in: every connection the pool has is leased by now.
    const query = createPooledQuery(() => orm.em.fork(), db.storage.kind);
    for (let i = 0; i < 200; i++) await query('pool_leases_probe', 'select ?::int as n', [i]);
    started();
    assert.is(await transaction, 7);
    assert.ok((await load) > 0);
  } finally {
    await db.close();
  }
});

test('once the statements stop, every leased connection goes back to the pool', async () => {
  const db = await createTestStorage();
  try {
    const pool = poolOf(db.storage);
    assert.ok((await keepQuerying(db.storage, 30, new Promise(() => undefined), 2000)) >= 2000);
    // The leases' sweep runs every few milliseconds; nothing else uses the pool here.
    for (let i = 0; i < 100 && pool.numUsed() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.is(pool.numUsed(), 0, 'no connection held by an idle server');
  } finally {
    await db.close();
  }
});

test.run();
