import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from './cli-error.js';
import { InterruptedError } from './interrupt.js';

test('the CLI error classes set their own name and a stable code', () => {
  const cli = new CliError('bad flag', 2, { cause: 'x' });
  assert.is(cli.name, 'CliError');
  assert.is(cli.code, 'cli_error');
  assert.is(cli.exitCode, 2);
  assert.is(cli.cause, 'x');
  const interrupted = new InterruptedError('SIGTERM');
  assert.is(interrupted.name, 'InterruptedError');
  assert.is(interrupted.code, 'interrupted');
  assert.is(interrupted.exitCode, 143);
});

test.run();
