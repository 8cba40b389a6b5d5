import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { looseCompare, looseNumber, looseString } from './js-coercion.js';

test('looseString and looseNumber agree with JavaScript on JSON values', () => {
  const values: unknown[] = [null, true, false, 0, -1.5, '', ' 8 ', 'x', [], [5], [1, [2, null]], { a: 1 }];
  for (const value of values) {
    assert.is(looseString(value), String(value), JSON.stringify(value));
    assert.is(Object.is(looseNumber(value), Number(value)), true, JSON.stringify(value));
  }
});

test('looseCompare agrees with JavaScript relational operators on JSON values', () => {
  const values: any[] = [null, true, 0, 5, 10, '5', '10', 'abc', 'ABC', '', [5], [], { a: 1 }];
  for (const a of values) {
    for (const b of values) {
      const c = looseCompare(a, b);
      const label = `${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
      assert.is(c < 0, a < b, `${label} <`);
      assert.is(c <= 0, a <= b, `${label} <=`);
      assert.is(c > 0, a > b, `${label} >`);
      assert.is(c >= 0, a >= b, `${label} >=`);
    }
  }
});

test.run();
