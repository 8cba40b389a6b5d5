import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLruCache } from './lru-cache.js';

test('never holds more than maxEntries', () => {
  const cache = createLruCache<number, number>(3);
  for (let i = 0; i < 100; i++) {
    cache.set(i, i);
    assert.ok(cache.size <= 3);
  }
  assert.is(cache.size, 3);
  assert.equal([cache.get(97), cache.get(98), cache.get(99)], [97, 98, 99]);
  assert.is(cache.get(96), undefined);
});

test('evicts the least recently used entry: a read or a rewrite makes an entry recent', () => {
  const cache = createLruCache<string, number>(3);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  assert.is(cache.get('a'), 1); // order now b, c, a
  cache.set('d', 4); // evicts b
  assert.is(cache.get('b'), undefined);
  cache.set('c', 30); // order now a, d, c
  cache.set('e', 5); // evicts a
  assert.is(cache.get('a'), undefined);
  assert.is(cache.get('c'), 30);
  assert.is(cache.get('d'), 4);
  assert.is(cache.get('e'), 5);
  assert.is(cache.size, 3);
});

test('a miss does not change the order, and delete frees a slot', () => {
  const cache = createLruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.is(cache.get('zzz'), undefined);
  assert.ok(cache.delete('b'));
  assert.not.ok(cache.delete('b'));
  cache.set('c', 3);
  assert.equal([cache.get('a'), cache.get('c'), cache.size], [1, 3, 2]);
  cache.set('d', 4); // evicts a, the least recently used of a, c
  assert.equal([cache.get('a'), cache.get('c'), cache.get('d')], [undefined, 3, 4]);
});

test('a size that is not a whole number ≥ 1 fails at construction', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => createLruCache(bad), /maxEntries/);
  }
});

test.run();
