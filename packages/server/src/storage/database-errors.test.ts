import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isDataError, isDatabaseUnavailable, isQueryTimeout } from './database-errors.js';

test('connection-level failures count as unavailable, through cause chains too', () => {
  assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
  assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' })));
  assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '3D000' })));
  assert.ok(isDatabaseUnavailable(new Error('Knex: Timeout acquiring a connection. The pool is probably full.')));
  assert.ok(isDatabaseUnavailable(new Error('wrapped', { cause: Object.assign(new Error('y'), { code: '57P01' }) })));
});

test('query mistakes and constraint violations are not outages', () => {
  assert.not.ok(isDatabaseUnavailable(Object.assign(new Error('syntax'), { code: '42601' })));
  assert.not.ok(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' })));
  assert.not.ok(isDatabaseUnavailable(new TypeError('undefined is not a function')));
  assert.not.ok(isDatabaseUnavailable(undefined));
});

test('a bad value is a data error, not an outage: class 22 and the protocol violation a NUL parameter causes', () => {
  const nul = Object.assign(new Error('insufficient data left in message'), { code: '08P01' });
  assert.not.ok(isDatabaseUnavailable(nul));
  assert.ok(isDataError(nul));
  assert.ok(isDataError(new Error('wrapped', { cause: Object.assign(new Error('bad utf8'), { code: '22021' }) })));
  assert.ok(isDataError(Object.assign(new Error('range'), { code: '22008' })));
  assert.not.ok(isDataError(Object.assign(new Error('dup'), { code: '23505' })));
  assert.not.ok(isDataError(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })));
  assert.not.ok(isDataError(new Error('plain')));
});

test('statement and lock timeouts are query timeouts: retryable, neither outages nor data errors', () => {
  for (const code of ['57014', '55P03']) {
    const error = new Error('wrapped', {
      cause: Object.assign(new Error('canceling statement due to statement timeout'), { code }),
    });
    assert.ok(isQueryTimeout(error), code);
    assert.not.ok(isDatabaseUnavailable(error), code);
    assert.not.ok(isDataError(error), code);
  }
  assert.not.ok(isQueryTimeout(Object.assign(new Error('admin shutdown'), { code: '57P01' })));
  assert.not.ok(isQueryTimeout(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
});

test.run();
