import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTtlCache } from './ttl-cache.js';

test('loads once per TTL, and concurrent callers share the load in flight', async () => {
  let now = 0;
  let loads = 0;
  const cache = createTtlCache(
    async () => ++loads,
    1000,
    () => now,
  );
  assert.equal(await Promise.all([cache.get(), cache.get(), cache.get()]), [1, 1, 1]);
  now = 999;
  assert.is(await cache.get(), 1);
  now = 1000;
  assert.is(await cache.get(), 2);
  cache.invalidate();
  assert.is(await cache.get(), 3);
});

test('a failed load is not kept', async () => {
  let fail = true;
  const cache = createTtlCache(async () => {
    if (fail) throw new Error('db blip');
    return 'ok';
  }, 60_000);
  try {
    await cache.get();
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /blip/);
  }
  fail = false;
  assert.is(await cache.get(), 'ok');
});

test('a TTL of 0 loads every time', async () => {
  let loads = 0;
  const cache = createTtlCache(async () => ++loads, 0);
  await cache.get();
  await cache.get();
  assert.is(loads, 2);
});

test.run();
