import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv4 } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('uses crypto.randomUUID when present', () => {
  assert.is(uuidv4({ randomUUID: () => 'from-random-uuid' }), 'from-random-uuid');
  assert.match(uuidv4(), V4);
});

test('falls back to crypto.getRandomValues with version and variant bits set', () => {
  let calls = 0;
  const crypto = {
    getRandomValues<T extends Uint8Array>(array: T): T {
      calls++;
      array.fill(0xff);
      return array;
    },
  };
  const id = uuidv4(crypto);
  assert.is(calls, 1);
  assert.is(id, 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  assert.match(id, V4);
});

test('without crypto it still makes distinct, well-formed v4 ids', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => uuidv4({})));
  assert.is(ids.size, 1000);
  for (const id of ids) assert.match(id, V4);
});

test.run();
