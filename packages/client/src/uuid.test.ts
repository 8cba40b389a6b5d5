import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId, uuidv4 } from './uuid.js';

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

test('event ids are distinct v4 UUIDs, counting through blocks of 256 that each share one random draw', () => {
  const ids = Array.from({ length: 1000 }, () => eventId());
  assert.is(new Set(ids).size, 1000);
  for (const id of ids) assert.match(id, V4);
  const blocks = new Map<string, number[]>();
  for (const id of ids) {
    const block = id.slice(0, 34);
    blocks.set(block, [...(blocks.get(block) ?? []), parseInt(id.slice(34), 16)]);
  }
  // 1000 ids span 4 blocks, or 5 when the first was partly used before; a new draw, not a count, starts each.
  assert.ok(blocks.size === 4 || blocks.size === 5, String(blocks.size));
  const counts = [...blocks.values()];
  for (const [i, count] of counts.entries()) {
    assert.equal(
      count,
      Array.from({ length: count.length }, (_, k) => count[0]! + k),
      'consecutive within a block',
    );
    if (i > 0 && i < counts.length - 1) assert.is(count.length, 256);
    if (i > 0) assert.is(count[0], 0);
  }
});

test.run();
