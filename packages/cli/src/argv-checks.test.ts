import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from './cli-error.js';
import { rejectNotANumber, tidyUnknownArguments } from './argv-checks.js';

test('a number option that is not a number names what was typed, in either spelling', () => {
  for (const raw of [
    ['rollup', '--window-days', 'abc'],
    ['rollup', '--window-days=abc'],
  ]) {
    try {
      rejectNotANumber({ 'window-days': Number.NaN, windowDays: Number.NaN, _: ['rollup'] }, raw);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).message, "--window-days must be a number (got 'abc')");
      assert.is((error as CliError).exitCode, 2);
    }
  }
  rejectNotANumber({ 'window-days': 7, coverage: 0.5 }, ['--window-days', '7']);
});

test('unknown arguments are listed once each, as typed', () => {
  assert.is(tidyUnknownArguments('Unknown arguments: bogus-flag, bogusFlag'), 'Unknown argument: --bogus-flag');
  assert.is(
    tidyUnknownArguments('Unknown arguments: bogus-flag, bogusFlag, other, x'),
    'Unknown arguments: --bogus-flag, --other, -x',
  );
  assert.is(tidyUnknownArguments('Missing required argument: key'), 'Missing required argument: key');
});

test.run();
