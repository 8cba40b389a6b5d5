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

test('a snapshot holds the pairs as they were when taken, in the format older versions read; none when unchanged', async () => {
  const storage = createFakeStorage();
  const log = new ExposureLog(storage, 'x', 100, never);
  assert.is(log.snapshot(), undefined);
  log.add('u1', 'a');
  const first = log.snapshot()!;
  log.add('u1', 'b');
  await log.write(first);
  assert.equal(JSON.parse(storage.map.get('x')!), [JSON.stringify(['u1', 'a'])]);
  await log.write(log.snapshot()!);
  assert.equal(JSON.parse(storage.map.get('x')!), [JSON.stringify(['u1', 'a']), JSON.stringify(['u1', 'b'])]);
  assert.is(log.snapshot(), undefined, 'everything written');
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
  await log.write(log.snapshot()!);
  assert.equal(
    JSON.parse(storage.map.get('x')!),
    [
      ['u1', 'a'],
      ['u2', 'b'],
      ['u3', 'c'],
    ].map((p) => JSON.stringify(p)),
  );
});

test.run();
