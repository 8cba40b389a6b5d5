import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createAbRouter } from '../src/index.js';
import { createStorage, type Storage, type StorageOptions } from '../src/storage/storage.js';
import { isDatabaseUnavailable, isQueryTimeout } from '../src/storage/database-errors.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { createTestStorage, testDatabaseKind, type TestDatabase, storageOrm } from '../src/testing.js';

const it = suite<{ db: TestDatabase; opened: Storage[] }>('database statement and lock timeouts');
const onPostgres = testDatabaseKind() === 'postgresql';

it.before(async (ctx) => {
  ctx.opened = [];
  if (onPostgres) ctx.db = await createTestStorage();
});
it.after(async (ctx) => {
  for (const storage of ctx.opened) await storage.close();
  await ctx.db?.close();
});

/** A second storage on the test database with its own settings. */
async function open(
  ctx: { db: TestDatabase; opened: Storage[] },
  options: Partial<StorageOptions> = {},
): Promise<Storage> {
  const storage = await createStorage({ databaseUrl: ctx.db.url, ...options });
  ctx.opened.push(storage);
  return storage;
}

const show = async (storage: Storage, setting: string) =>
  (await rawQuery<Record<string, string>>(storageOrm(storage).em.fork(), `show ${setting}`))[0]?.[setting];

it('bad timeout options fail at construction, naming the option', async () => {
  const cases: Array<[Partial<StorageOptions>, RegExp]> = [
    [{ statementTimeoutMs: -1 }, /statementTimeoutMs/],
    [{ lockTimeoutMs: 1.5 }, /lockTimeoutMs/],
    [{ idleInTransactionTimeoutMs: Number.NaN }, /idleInTransactionTimeoutMs/],
    [{ connectionCheckIntervalMs: 2 ** 31 }, /connectionCheckIntervalMs/],
  ];
  for (const [options, message] of cases) {
    try {
      // Port 1: nothing listens there, so only validation can answer before a connection is tried.
      await createStorage({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', ...options });
      assert.unreachable(JSON.stringify(options));
    } catch (error) {
      assert.match((error as Error).message, message);
    }
  }
});

if (onPostgres) {
  it('every pooled session gets the default statement, lock and idle-in-transaction timeouts and the connection check', async (ctx) => {
    const storage = await open(ctx);
    assert.is(await show(storage, 'statement_timeout'), '30s');
    assert.is(await show(storage, 'lock_timeout'), '10s');
    assert.is(await show(storage, 'idle_in_transaction_session_timeout'), '1min');
    assert.is(await show(storage, 'client_connection_check_interval'), '2s');
  });

  it('configured values reach the session; 0 leaves a setting to the server', async (ctx) => {
    const storage = await open(ctx, {
      statementTimeoutMs: 1234,
      lockTimeoutMs: 0,
      idleInTransactionTimeoutMs: 5000,
      connectionCheckIntervalMs: 0,
    });
    assert.is(await show(storage, 'statement_timeout'), '1234ms');
    assert.is(await show(storage, 'lock_timeout'), '0');
    assert.is(await show(storage, 'idle_in_transaction_session_timeout'), '5s');
    assert.is(await show(storage, 'client_connection_check_interval'), '0');
  });

  it('a statement over the statement timeout fails with a query timeout, not an outage', async (ctx) => {
    const storage = await open(ctx, { statementTimeoutMs: 200 });
    const started = Date.now();
    try {
      await rawQuery(storageOrm(storage).em.fork(), 'select pg_sleep(3)');
      assert.unreachable('pg_sleep(3) should have been cancelled');
    } catch (error) {
      assert.is((error as { code?: string }).code, '57014');
      assert.ok(isQueryTimeout(error));
      assert.not.ok(isDatabaseUnavailable(error));
    }
    assert.ok(Date.now() - started < 2000, 'cancelled near the timeout');
  });

  it('a request stuck behind a lock answers 503 database_timeout with Retry-After, not database_unavailable', async (ctx) => {
    const storage = await open(ctx, { lockTimeoutMs: 200 });
    const errors: unknown[] = [];
    const app = new Koa();
    const router = createAbRouter({
      storage,
      adminToken: 'test-admin-token',
      logger: { error: (obj) => errors.push(obj) },
    });
    app.use(router.routes()).use(router.allowedMethods());
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const holder = new pg.Client({ connectionString: ctx.db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table experiments in access exclusive mode');
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/v1/admin/experiments`, {
        headers: { 'x-admin-token': 'test-admin-token' },
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { error: { code: string } };
      assert.is(res.status, 503);
      assert.is(body.error.code, 'database_timeout');
      assert.ok(res.headers.get('retry-after'), 'Retry-After is set');
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
} else {
  it('PostgreSQL-only timeout checks skipped: TEST_DB=pglite has one in-process connection and no session timeouts', () => {});
}

it.run();
