/** What a person sees when something is off: one clean line on stderr, with the way out, never a stack or a password. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createStorage, type Storage } from '@ab-calicritters/server';
import { testSql } from '@ab-calicritters/server/testing';
import { cliNodeArgs } from './helpers/cli-bin.js';

const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const onPostgres = process.env.TEST_DB !== 'pglite';

/** Runs the real `calicritters` command with only the given environment. */
function cli(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [...cliNodeArgs, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Statements on the maintenance database (`postgres`), which is never migrated. */
async function asAdmin<T>(run: (admin: Storage) => Promise<T>): Promise<T> {
  const admin = await createStorage({ databaseUrl: adminUrl });
  try {
    return await run(admin);
  } finally {
    await admin.close();
  }
}

const databaseExists = (name: string) =>
  asAdmin(async (admin) => (await testSql(admin, 'select 1 from pg_database where datname = ?', [name])).length === 1);

function urlOf(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

if (onPostgres) {
  test('a misspelt database is refused in one line saying to run migrate; only migrate creates it', async () => {
    const name = `abc_cli_missing_${randomBytes(4).toString('hex')}`;
    const address = `${new URL(adminUrl).hostname}:${new URL(adminUrl).port || '5432'}`;
    try {
      const refused = await cli(['experiments', 'list'], { DATABASE_URL: urlOf(name) });
      assert.is(refused.code, 1);
      assert.is(refused.stderr.trim().split('\n').length, 1, refused.stderr);
      assert.match(refused.stderr, `error: database '${name}' does not exist at ${address}`);
      assert.match(refused.stderr, 'run `calicritters migrate` to create it');
      assert.is(await databaseExists(name), false);

      const migrated = await cli(['migrate'], { DATABASE_URL: urlOf(name) });
      assert.is(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, 'Applied: ');
      assert.is(await databaseExists(name), true);
      const listed = await cli(['experiments', 'list'], { DATABASE_URL: urlOf(name) });
      assert.is(listed.code, 0, listed.stderr);
    } finally {
      await asAdmin((admin) => testSql(admin, `drop database if exists ${name} with (force)`));
    }
  });
}

test('an unreachable PostgreSQL is one line naming host, port and reason, without the password', async () => {
  const result = await cli(['experiments', 'list'], { DATABASE_URL: 'postgres://ab:s3cret-pw@127.0.0.1:1/abc' });
  assert.is(result.code, 1);
  assert.is(
    result.stderr.trim(),
    'error: cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED): is it running? DATABASE_URL=postgres://ab@127.0.0.1:1/abc',
  );
  assert.not.match(result.stderr, 's3cret');
});

test('a number flag that is not a number names what was typed; an unknown flag is named once', async () => {
  const nan = await cli(['rollup', '--window-days', 'abc'], { DATA_DIR: 'memory://' });
  assert.is(nan.code, 2);
  assert.is(nan.stderr.trim(), "error: --window-days must be a number (got 'abc')");
  const unknown = await cli(['rollup', '--bogus-flag'], { DATA_DIR: 'memory://' });
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown argument: --bogus-flag\s*$/);
  assert.not.match(unknown.stderr, /bogusFlag/);
});

test.run();
