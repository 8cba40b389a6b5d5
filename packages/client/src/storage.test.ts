import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLocalStorage, createMemoryStorage, type StorageAdapter } from './storage.js';

async function roundTrip(storage: StorageAdapter): Promise<void> {
  assert.is(await storage.getItem('k'), null);
  await storage.setItem('k', 'v1');
  await storage.setItem('k', 'v2');
  assert.is(await storage.getItem('k'), 'v2');
  await storage.removeItem('k');
  await storage.removeItem('k');
  assert.is(await storage.getItem('k'), null);
}

test('memory storage reads back what it wrote and null for missing keys', async () => {
  await roundTrip(createMemoryStorage());
});

test('localStorage adapter wraps a Web Storage object', async () => {
  const data = new Map<string, string>();
  const web = {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
  await roundTrip(createLocalStorage(web));
  await createLocalStorage(web).setItem('x', '1');
  assert.is(data.get('x'), '1');
});

test('a quota error becomes a rejected promise, not a synchronous throw', async () => {
  const storage = createLocalStorage({
    getItem: () => null,
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: () => undefined,
  });
  let promise: Promise<void> | undefined;
  assert.not.throws(() => (promise = storage.setItem('k', 'v')));
  await promise!.then(
    () => assert.unreachable('should reject'),
    (error: Error) => assert.match(error.message, /Quota/),
  );
});

test('createLocalStorage without any localStorage fails naming the fix', () => {
  assert.throws(() => createLocalStorage(undefined), /no localStorage/);
});

test.run();
