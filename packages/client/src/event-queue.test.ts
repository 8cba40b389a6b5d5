import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toQueued, type QueuedEvent } from './event.js';
import { EventQueue, joinEvents } from './event-queue.js';
import { createFakeStorage, type FakeStorage } from './fakes.js';

function event(n: number, properties?: Record<string, unknown>): QueuedEvent {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return toQueued({ event_id: id, user_id: 'u', name: 'e', timestamp: '2025-03-01T12:00:00.000Z', properties });
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => event(from + i));
const never = (error: unknown) => assert.unreachable(String(error));
const ids = (events: readonly QueuedEvent[]) => events.map((e) => e.id);

async function reload(storage: FakeStorage, maxSize = 10_000, errors: unknown[] = []) {
  const queue = new EventQueue(storage, 'q', maxSize, (e) => errors.push(e));
  const dropped = await queue.load();
  return { queue, dropped, all: queue.peek(Infinity, Infinity) };
}

test('events survive a restart in order, stored in pages of at most 100', async () => {
  const storage = createFakeStorage();
  const queue = new EventQueue(storage, 'q', 10_000, never);
  await queue.load();
  queue.append(range(0, 250));
  await queue.persist();
  assert.equal([...storage.map.keys()].sort(), ['q:0', 'q:1', 'q:2']);
  assert.is(JSON.parse(storage.map.get('q:2')!).length, 50);
  const { all } = await reload(storage);
  assert.equal(ids(all), ids(range(0, 250)));
});

test('a burst of appends while a write runs costs one more write, not one per event', async () => {
  const storage = createFakeStorage();
  const queue = new EventQueue(storage, 'q', 10_000, never);
  await queue.load();
  for (const e of range(0, 50)) {
    queue.append([e]);
    void queue.persist();
  }
  await queue.persist();
  assert.is(storage.writes, 1);
});

test('removing acknowledged events moves the head and deletes emptied pages', async () => {
  const storage = createFakeStorage();
  const queue = new EventQueue(storage, 'q', 10_000, never);
  await queue.load();
  queue.append(range(0, 250));
  await queue.persist();
  queue.remove(new Set(ids(range(0, 150))));
  await queue.persist();
  assert.is(queue.length, 100);
  assert.equal([...storage.map.keys()].sort(), ['q', 'q:1', 'q:2']);
  assert.equal(JSON.parse(storage.map.get('q')!), { head: 1 });
  assert.equal(ids((await reload(storage)).all), ids(range(150, 250)));
  queue.remove(new Set(ids(range(150, 250))));
  await queue.persist();
  assert.equal([...storage.map.keys()], ['q']);
  assert.equal((await reload(storage)).all, []);
});

test('past maxSize the oldest events are dropped and returned', async () => {
  const storage = createFakeStorage();
  const queue = new EventQueue(storage, 'q', 120, never);
  await queue.load();
  assert.equal(queue.append(range(0, 100)), []);
  const dropped = queue.append(range(100, 130));
  assert.equal(ids(dropped), ids(range(0, 10)));
  assert.is(queue.length, 120);
  await queue.persist();
  assert.equal(ids((await reload(storage)).all), ids(range(10, 130)));
  const smaller = await reload(storage, 50);
  assert.equal(ids(smaller.dropped), ids(range(10, 80)), 'a smaller cap on load drops the oldest too');
});

test('peek returns the oldest events bounded by count and bytes, but at least one', async () => {
  const queue = new EventQueue(createFakeStorage(), 'q', 10_000, never);
  await queue.load();
  queue.append(range(0, 300));
  assert.equal(ids(queue.peek(150, Infinity)), ids(range(0, 150)));
  const size = event(0).bytes + 1;
  assert.is(queue.peek(1000, size * 10).length, 10);
  assert.is(queue.peek(1000, 1).length, 1);
});

test('load deletes orphan pages left below the head by a kill during cleanup', async () => {
  const storage = createFakeStorage(
    new Map([
      ['q', '{"head":2}'],
      ['q:0', '[]'],
      ['q:1', JSON.stringify([JSON.parse(event(1).json)])],
      ['q:2', JSON.stringify([JSON.parse(event(2).json)])],
    ]),
  );
  const { all } = await reload(storage);
  assert.equal(ids(all), [event(2).id]);
  assert.equal([...storage.map.keys()].sort(), ['q', 'q:2']);
});

test('a corrupt page is reported and skipped; the pages after it still load', async () => {
  const storage = createFakeStorage(
    new Map([
      ['q:0', '{torn'],
      ['q:1', JSON.stringify([JSON.parse(event(7).json), { not: 'an event' }])],
    ]),
  );
  const errors: unknown[] = [];
  const { all } = await reload(storage, 10_000, errors);
  assert.is(errors.length, 1);
  assert.equal(ids(all), [event(7).id]);
});

test('a failed write is reported and retried by the next persist', async () => {
  const storage = createFakeStorage();
  const errors: unknown[] = [];
  const queue = new EventQueue(storage, 'q', 10_000, (e) => errors.push(e));
  await queue.load();
  queue.append(range(0, 150));
  storage.failing = 'async';
  await queue.persist();
  assert.is(errors.length, 1);
  assert.is(queue.length, 150, 'events stay in memory');
  storage.failing = false;
  await queue.persist();
  assert.equal(ids((await reload(storage)).all), ids(range(0, 150)));
});

test('killed after any single storage operation, a restart loses no unacknowledged persisted event', async () => {
  const live = createFakeStorage();
  const snapshots: { map: Map<string, string>; durable: Set<string>; acked: Set<string> }[] = [];
  let durable = new Set<string>();
  const acked = new Set<string>();
  // Record the storage as it is after every single write or delete.
  const recording: FakeStorage = {
    ...live,
    getItem: live.getItem,
    setItem: async (k, v) => {
      await live.setItem(k, v);
      snapshots.push({ map: new Map(live.map), durable: new Set(durable), acked: new Set(acked) });
    },
    removeItem: async (k) => {
      await live.removeItem(k);
      snapshots.push({ map: new Map(live.map), durable: new Set(durable), acked: new Set(acked) });
    },
  };
  const queue = new EventQueue(recording, 'q', 10_000, never);
  await queue.load();
  const persist = async () => {
    const expected = new Set(ids(queue.peek(Infinity, Infinity)));
    await queue.persist();
    durable = expected;
  };
  let next = 0;
  for (let round = 0; round < 8; round++) {
    queue.append(range(next, next + 70));
    next += 70;
    await persist();
    const batch = queue.peek(90 + round * 7, Infinity);
    for (const id of ids(batch)) acked.add(id);
    queue.removeBatch(batch);
    await persist();
  }
  assert.ok(snapshots.length > 20);
  for (const [i, snapshot] of snapshots.entries()) {
    const { all } = await reload(createFakeStorage(snapshot.map));
    const loaded = ids(all);
    assert.is(new Set(loaded).size, loaded.length, `no duplicates after kill #${i}`);
    assert.equal(loaded, [...loaded].sort(), `FIFO order after kill #${i}`);
    for (const id of snapshot.durable) {
      if (!snapshot.acked.has(id)) assert.ok(loaded.includes(id), `kill #${i} lost ${id}`);
    }
  }
});

test('removeBatch cuts a delivered batch from the front; one the cap cut into meanwhile is removed by id', async () => {
  const storage = createFakeStorage();
  const queue = new EventQueue(storage, 'q', 200, never);
  await queue.load();
  queue.append(range(0, 150));
  queue.removeBatch(queue.peek(120, Infinity));
  assert.equal(ids(queue.peek(Infinity, Infinity)), ids(range(120, 150)));
  const batch = queue.peek(20, Infinity); // 120..139
  queue.append(range(150, 340)); // over the cap of 200: 120..129 are dropped
  queue.removeBatch(batch);
  assert.equal(ids(queue.peek(Infinity, Infinity)), ids(range(140, 340)));
  await queue.persist();
  assert.equal(ids((await reload(storage)).all), ids(range(140, 340)));
});

test('a batch that is a whole page shares its JSON with the page write; any other batch gets its own', async () => {
  const storage = createFakeStorage();
  const queue = new EventQueue(storage, 'q', 10_000, never);
  await queue.load();
  queue.append(range(0, 150));
  const page = queue.peek(100, Infinity);
  assert.is(queue.json(page), joinEvents(range(0, 100)));
  await queue.persist();
  assert.is(storage.map.get('q:0'), `[${queue.json(page)}]`);
  assert.is(queue.json(queue.peek(30, Infinity)), joinEvents(range(0, 30)));
  queue.removeBatch(queue.peek(30, Infinity));
  queue.append(range(150, 160));
  assert.is(queue.json(queue.peek(70, Infinity)), joinEvents(range(30, 100)), 'not the text from before the cut');
  await queue.persist();
  assert.equal(ids((await reload(storage)).all), ids(range(30, 160)));
});

test.run();
