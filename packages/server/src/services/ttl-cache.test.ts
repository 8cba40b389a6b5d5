import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTtlCache } from './ttl-cache.js';

/** A cache of a 1000 ms TTL whose loads count up, on a clock the test sets. */
function countingCache() {
  const state = { now: 0, loads: 0 };
  const cache = createTtlCache(
    async () => ++state.loads,
    1000,
    () => state.now,
  );
  return { state, cache };
}

test('loads once per TTL, and concurrent callers share the load in flight', async () => {
  const { state, cache } = countingCache();
  assert.equal(await Promise.all([cache.get(), cache.get(), cache.get()]), [1, 1, 1]);
  state.now = 999;
  assert.is(await cache.get(), 1);
  state.now = 1000;
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

test('peek answers the loaded value only while it is fresh, and never starts a load', async () => {
  const { state, cache } = countingCache();
  assert.is(cache.peek(), undefined);
  assert.is(state.loads, 0);
  const loading = cache.get();
  // Still loading: the caller has to wait for get().
  assert.is(cache.peek(), undefined);
  assert.is(await loading, 1);
  assert.is(cache.peek(), 1);
  state.now = 999;
  assert.is(cache.peek(), 1);
  state.now = 1000;
  assert.is(cache.peek(), undefined);
  assert.is(await cache.get(), 2);
  assert.is(cache.peek(), 2);
  cache.invalidate();
  assert.is(cache.peek(), undefined);
  assert.is(state.loads, 2);
});

test('peek does not answer a failed load', async () => {
  const cache = createTtlCache(async () => {
    throw new Error('db blip');
  }, 60_000);
  await cache.get().catch(() => undefined);
  assert.is(cache.peek(), undefined);
});

test('a TTL of 0 loads every time', async () => {
  let loads = 0;
  const cache = createTtlCache(async () => ++loads, 0);
  await cache.get();
  await cache.get();
  assert.is(loads, 2);
});

test.run();
