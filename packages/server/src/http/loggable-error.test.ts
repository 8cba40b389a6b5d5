import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loggableError } from './loggable-error.js';

test('a driver error keeps its kind, SQLSTATE and own message, not the statement with its parameters', () => {
  const error = Object.assign(
    new Error(
      `with input as (select * from jsonb_to_recordset('[{"user_id":"secret-user","properties":{"email":"a@b.c"}}]')) - invalid input syntax for type json`,
    ),
    { code: '22P02' },
  );
  const logged = loggableError(error);
  assert.is(logged.code, '22P02');
  assert.is(logged.message, 'invalid input syntax for type json');
  assert.not.match(JSON.stringify(logged), /secret-user|a@b\.c/);
  assert.match(logged.stack ?? '', /^ {4}at /);
});

test('other errors keep their message, shortened; causes are summarised too', () => {
  const logged = loggableError(new TypeError('x'.repeat(1000), { cause: new Error('inner') }));
  assert.is(logged.type, 'TypeError');
  assert.ok(logged.message.length <= 301);
  assert.is(logged.cause?.message, 'inner');
  assert.equal(loggableError('plain'), { type: 'string', message: 'plain' });
});

test.run();
