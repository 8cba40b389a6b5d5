import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from './cli-error.js';
import { readServerConfig } from './config.js';

test('defaults: port 3000, embedded database, generated tokens, CORS for any origin', () => {
  const config = readServerConfig({});
  assert.is(config.port, 3000);
  assert.is(config.databaseUrl, undefined);
  assert.equal(config.generatedTokens, ['ADMIN_TOKEN', 'DASHBOARD_TOKEN']);
  assert.ok(config.adminToken.length >= 16);
  assert.is(config.corsOrigins, '*');
});

test('CORS_ORIGINS takes none or a list of origins', () => {
  assert.is(readServerConfig({ CORS_ORIGINS: 'none' }).corsOrigins, undefined);
  assert.equal(readServerConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:8080' }).corsOrigins, [
    'https://a.example.com',
    'http://localhost:8080',
  ]);
});

test('bad values fail with exit code 2 and name the variable', () => {
  for (const env of [{ PORT: 'eighty' }, { PORT: '70000' }, { ADMIN_TOKEN: 'short' }, { DATABASE_URL: 'mysql://x' }, { CORS_ORIGINS: 'a.example.com' }]) {
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

test.run();
