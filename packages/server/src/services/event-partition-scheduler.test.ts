import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventPartitionOptions, EventPartitionResult } from '../storage/event-partitions.js';
import type { Storage } from '../storage/storage-types.js';
import { createEventPartitionScheduler } from './event-partition-scheduler.js';

const done: EventPartitionResult = {
  table: 'partitioned',
  ran: true,
  created: [],
  moved_rows: 0,
  dropped: [],
  deleted_rows: 0,
};

/** Fake timers: the pending callback and its delay, run by hand. */
function fakeTimers() {
  const pending: Array<{ run: () => void; ms: number }> = [];
  return {
    pending,
    setTimeout: (run: () => void, ms: number) => pending.push({ run, ms }),
    clearTimeout: () => pending.splice(0),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('runs at start, daily after a run that worked, 15 minutes after one that failed; stop waits and cancels', async () => {
  const calls: EventPartitionOptions[] = [];
  let fail = false;
  const storage = {
    eventPartitions: {
      maintain: async (options: EventPartitionOptions) => {
        calls.push(options);
        if (fail) throw new Error('lock timeout');
        return done;
      },
    },
  } as unknown as Storage;
  const timers = fakeTimers();
  const errors: unknown[] = [];
  const scheduler = createEventPartitionScheduler(storage, {
    retentionDays: 30,
    timers,
    logger: { error: (obj) => errors.push(obj) },
    now: () => new Date('2026-03-10T12:00:00Z'),
  });
  scheduler.start();
  scheduler.start();
  await settle();
  assert.is(calls.length, 1);
  assert.equal(calls[0], { daysAhead: undefined, retentionDays: 30, now: new Date('2026-03-10T12:00:00Z') });
  assert.equal(
    timers.pending.map((p) => p.ms),
    [86_400_000],
  );
  fail = true;
  timers.pending.shift()?.run();
  await settle();
  assert.is(errors.length, 1);
  assert.equal(
    timers.pending.map((p) => p.ms),
    [15 * 60_000],
  );
  await scheduler.stop();
  assert.equal(timers.pending, []);
});

test('bad options fail at construction, naming the option', () => {
  const storage = {} as Storage;
  assert.throws(() => createEventPartitionScheduler(storage, { daysAhead: -1 }), /daysAhead/);
  assert.throws(() => createEventPartitionScheduler(storage, { intervalMs: 0 }), /intervalMs/);
});

test.run();
