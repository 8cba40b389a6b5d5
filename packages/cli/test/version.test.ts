/** `calicritters --version` prints the version of the CLI package itself (it printed `unknown` once). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cliNodeArgs } from './helpers/cli-bin.js';

test('--version prints the version in the package.json of @ab-calicritters/cli', async () => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  assert.is(pkg.name, '@ab-calicritters/cli');
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [...cliNodeArgs, '--version'], (error, out) => (error ? reject(error) : resolve(out))),
  );
  assert.is(stdout.trim(), pkg.version);
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
});

test.run();
