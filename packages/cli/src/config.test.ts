import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from './cli-error.js';
import {
  readDatabaseConfig,
  readEventRetentionDays,
  readRollupStatementTimeout,
  readServerConfig,
  storageOptions,
} from './config.js';

test('defaults: port 3000, embedded database, generated tokens, CORS for any origin', () => {
  const config = readServerConfig({});
  assert.is(config.port, 3000);
  assert.is(config.databaseUrl, undefined);
  assert.equal(config.generatedTokens, ['ADMIN_TOKEN', 'DASHBOARD_TOKEN']);
  assert.ok(config.adminToken.length >= 16);
  assert.is(config.corsOrigins, '*');
});

test('a rotation keeps the previous tokens next to the current ones', () => {
  const config = readServerConfig({
    ADMIN_TOKEN: 'new-admin-token',
    ADMIN_TOKEN_PREVIOUS: 'old-admin-token',
    DASHBOARD_TOKEN_PREVIOUS: 'old-dash-token',
  });
  assert.equal(config.previousTokens, { admin: 'old-admin-token', dashboard: 'old-dash-token' });
  assert.equal(readServerConfig({}).previousTokens, { admin: undefined, dashboard: undefined });
});

test('CORS_ORIGINS takes none or a list of origins', () => {
  assert.is(readServerConfig({ CORS_ORIGINS: 'none' }).corsOrigins, undefined);
  assert.equal(readServerConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:8080' }).corsOrigins, [
    'https://a.example.com',
    'http://localhost:8080',
  ]);
});

test('bad values fail with exit code 2 and name the variable', () => {
  for (const env of [
    { PORT: 'eighty' },
    { PORT: '70000' },
    { ADMIN_TOKEN: 'short' },
    { ADMIN_TOKEN_PREVIOUS: 'short' },
    { DASHBOARD_TOKEN_PREVIOUS: 'short' },
    { DATABASE_URL: 'mysql://x' },
    { CORS_ORIGINS: 'a.example.com' },
  ]) {
    try {
      readServerConfig(env);
      assert.unreachable(JSON.stringify(env));
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
      assert.match((error as Error).message, new RegExp(Object.keys(env)[0] as string));
    }
  }
});

test('DB_*_MS timeouts reach the storage options; unset leaves the storage defaults; bad values name the variable', () => {
  const db = readDatabaseConfig({
    DATABASE_URL: 'postgres://db/x',
    DB_STATEMENT_TIMEOUT_MS: '5000',
    DB_LOCK_TIMEOUT_MS: '0',
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '120000',
    DB_CONNECTION_CHECK_INTERVAL_MS: '1000',
  });
  assert.equal(storageOptions(db), {
    databaseUrl: 'postgres://db/x',
    dataDir: undefined,
    statementTimeoutMs: 5000,
    lockTimeoutMs: 0,
    idleInTransactionTimeoutMs: 120000,
    connectionCheckIntervalMs: 1000,
  });
  assert.is(readServerConfig({ DB_STATEMENT_TIMEOUT_MS: '7000' }).statementTimeoutMs, 7000);
  assert.is(readDatabaseConfig({}).statementTimeoutMs, undefined);
  assert.is(readRollupStatementTimeout({ ROLLUP_STATEMENT_TIMEOUT_MS: '3600000' }), 3600000);
  assert.is(readRollupStatementTimeout({}), undefined);
  for (const [name, value] of [
    ['DB_STATEMENT_TIMEOUT_MS', '-1'],
    ['DB_LOCK_TIMEOUT_MS', '1.5'],
    ['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', '10s'],
    ['ROLLUP_STATEMENT_TIMEOUT_MS', '99999999999'],
  ]) {
    try {
      readDatabaseConfig({ [name as string]: value });
      readRollupStatementTimeout({ [name as string]: value });
      assert.unreachable(`${name}=${value}`);
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
      assert.match((error as Error).message, new RegExp(name as string));
    }
  }
});

test('EVENT_RETENTION_DAYS: whole days, unset or 0 keeps everything, bad values name the variable', () => {
  assert.is(readServerConfig({}).eventRetentionDays, 0);
  assert.is(readServerConfig({ EVENT_RETENTION_DAYS: '400' }).eventRetentionDays, 400);
  assert.is(readEventRetentionDays({ EVENT_RETENTION_DAYS: ' 0 ' }), 0);
  for (const bad of ['-1', '30d', '1.5', '99999']) {
    assert.throws(
      () => readEventRetentionDays({ EVENT_RETENTION_DAYS: bad }),
      (error: Error) => error instanceof CliError && error.message.includes('EVENT_RETENTION_DAYS'),
    );
  }
});

test('ROLLUP_INTERVAL: minutes, default 5, 0 turns the schedule off, bad values name the variable', () => {
  assert.is(readServerConfig({}).rollupIntervalMs, 300_000);
  assert.is(readServerConfig({ ROLLUP_INTERVAL: '0' }).rollupIntervalMs, 0);
  assert.is(readServerConfig({ ROLLUP_INTERVAL: '15' }).rollupIntervalMs, 900_000);
  assert.is(readServerConfig({ ROLLUP_INTERVAL: '0.5' }).rollupIntervalMs, 30_000);
  for (const bad of ['-1', 'five', '1e3', '1441', '5m']) {
    try {
      readServerConfig({ ROLLUP_INTERVAL: bad });
      assert.unreachable(`ROLLUP_INTERVAL=${bad} was accepted`);
    } catch (error) {
      assert.instance(error, CliError);
      assert.match((error as CliError).message, /^ROLLUP_INTERVAL must be/);
      assert.is((error as CliError).exitCode, 2);
    }
  }
});

test('a generated token never starts with - (it would read as a flag after --admin-token)', () => {
  // One in 64 base64url strings starts with '-': 2000 tokens make a miss of the rule all but certain to show.
  for (let i = 0; i < 1000; i++) {
    const config = readServerConfig({});
    for (const token of [config.adminToken, config.dashboardToken]) {
      assert.not.ok(token.startsWith('-'), token);
      assert.is(token.length, 24);
    }
  }
});

test.run();
