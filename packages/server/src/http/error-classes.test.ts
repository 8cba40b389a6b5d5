import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DatabaseNotFoundError,
  DatabaseUnreachableError,
  DataDirLockedError,
  DuplicateKeyError,
  HttpError,
  RateLimitedError,
  RateLimitOptionError,
  RollupBusyError,
  RollupCancelledError,
} from '../index.js';

test('every exported error class sets its own name and a stable code, and passes cause along', () => {
  const cause = new Error('underlying');
  const cases: Array<[Error & { code: string }, string, string]> = [
    [new DuplicateKeyError('exp', { cause }), 'DuplicateKeyError', 'duplicate_key'],
    [
      new DataDirLockedError('/d', '/d.lock', { pid: 1, command: 'node', started_at: '' }, { cause }),
      'DataDirLockedError',
      'data_dir_locked',
    ],
    [new HttpError(404, 'not_found', 'missing', undefined, { cause }), 'HttpError', 'not_found'],
    [new DatabaseNotFoundError('abc', 'postgres://h/abc', { cause }), 'DatabaseNotFoundError', 'database_not_found'],
    [
      new DatabaseUnreachableError('postgres://h/abc', 'ECONNREFUSED', { cause }),
      'DatabaseUnreachableError',
      'database_unreachable',
    ],
    [new RateLimitedError(1, 'slow down', []), 'RateLimitedError', 'rate_limited'],
    [new RateLimitOptionError('points', 'must be a number'), 'RateLimitOptionError', 'invalid_rate_limit_option'],
    [new RollupBusyError('daily'), 'RollupBusyError', 'rollup_busy'],
    [new RollupCancelledError('daily', 'stop', { cause }), 'RollupCancelledError', 'rollup_cancelled'],
  ];
  for (const [error, name, code] of cases) {
    assert.ok(error instanceof Error, name);
    assert.is(error.name, name);
    assert.is(error.code, code, name);
    assert.match(String(error), new RegExp(`^${name}: `));
    if (error.cause !== undefined) assert.is(error.cause, cause, name);
  }
});

test.run();
