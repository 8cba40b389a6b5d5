import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExposureLog } from './exposure-log.js';
import { createFakeStorage } from './fakes.js';

const never = (error: unknown) => assert.unreachable(String(error));

test('pairs are told apart by user and experiment, whatever characters their names hold', () => {
  const log = new ExposureLog(createFakeStorage(), 'x', 100, never);
  log.add('u1', 'a');
  log.add('u1","b', 'c');
  assert.ok(log.has('u1', 'a'));
  assert.ok(log.has('u1","b', 'c'));
  assert.not.ok(log.has('u2', 'a'));
  assert.not.ok(log.has('u1', 'b'));
  assert.not.ok(log.has('u1', '"b","c'));
});

test('past max pairs the oldest are forgotten, across users', () => {
  const log = new ExposureLog(createFakeStorage(), 'x', 3, never);
  log.add('u1', 'a');
  log.add('u2', 'a');
  log.add('u1', 'b');
  log.add('u1', 'a'); // known: neither added again nor moved
  log.add('u3', 'c');
  assert.equal(
    [log.has('u1', 'a'), log.has('u2', 'a'), log.has('u1', 'b'), log.has('u3', 'c')],
    [false, true, true, true],
  );
});

test('a pair is written only once saved() says its event is persisted, in the format older versions read', async () => {
  const storage = createFakeStorage();
  const log = new ExposureLog(storage, 'x', 100, never);
  log.add('u1', 'a');
  const marks = log.unsaved();
  log.add('u1', 'b');
  await log.persist();
  assert.is(storage.map.get('x'), undefined, 'nothing saved yet: nothing written');
  log.saved(marks);
  await log.persist();
  assert.equal(JSON.parse(storage.map.get('x')!), [JSON.stringify(['u1', 'a'])]);
  log.saved(log.unsaved());
  await log.persist();
  assert.equal(JSON.parse(storage.map.get('x')!), [JSON.stringify(['u1', 'a']), JSON.stringify(['u1', 'b'])]);
});

test('load reads what older versions wrote, skips malformed entries, and tells the stored pairs', async () => {
  const stored = [JSON.stringify(['u1', 'a']), 'not json', JSON.stringify(['u1']), 42, JSON.stringify(['u2', 'b'])];
  const storage = createFakeStorage(new Map([['x', JSON.stringify(stored)]]));
  const log = new ExposureLog(storage, 'x', 100, never);
  log.add('u1', 'a'); // before loading: a duplicate of a stored pair
  log.add('u3', 'c');
  const wasStored = await log.load();
  assert.equal([wasStored('u1', 'a'), wasStored('u2', 'b'), wasStored('u3', 'c')], [true, true, false]);
  assert.ok(log.has('u1', 'a') && log.has('u2', 'b') && log.has('u3', 'c'));
  assert.equal(log.unsaved().length, 1, 'only the pair the storage did not have waits for its event');
});

test.run();
