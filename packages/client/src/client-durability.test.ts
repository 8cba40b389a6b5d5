/**
 * What a crash loses, exactly as docs/CLIENT_SDK.md (Delivery guarantees) states it: the events of the current turn,
 * and those whose write was still in flight; nothing tracked before `flush()`, `onBackground()` or `shutdown()`
 * returned. A crash is a copy of the storage taken at that instant, opened by a new client.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXPOSURE_EVENT } from './client.js';
import { createFakeServer, createFakeStorage, sentEvents, settle, setup, type FakeStorage } from './fakes.js';

/**
 * A new client over the storage as it is now, as after the process was killed at this instant; it sends only when
 * flushed, to a server that is up.
 */
async function restartAfterCrash(storage: FakeStorage, server: ReturnType<typeof createFakeServer>) {
  server.down = false;
  const restarted = setup({ flushAt: 1000, flushIntervalMs: 0 }, server, createFakeStorage(new Map(storage.map)));
  await restarted.client.ready;
  return restarted;
}

/** The storage, each write completing a turn of the event loop later, as a real one does. */
function slow(storage: FakeStorage): FakeStorage {
  const later = () => new Promise((resolve) => setImmediate(resolve));
  return {
    ...storage,
    setItem: async (key, value) => {
      await later();
      return storage.setItem(key, value);
    },
  };
}

const stepsOf = (events: { properties?: Record<string, unknown> }[]) => events.map((e) => e.properties!.step);

test('a crash loses the events tracked in the current turn, and only those', async () => {
  const server = createFakeServer();
  server.down = true;
  const { client, storage } = setup({ flushAt: 1000 }, server);
  await client.ready;
  for (let step = 0; step < 3; step++) client.track('step', { step });
  await settle(); // the turn ended: its write ran
  for (let step = 3; step < 5; step++) client.track('step', { step });
  const restarted = await restartAfterCrash(storage, server); // killed before this turn ended
  await restarted.client.flush();
  assert.equal(stepsOf([...server.stored.values()]), [0, 1, 2]);
});

test('a crash while the write of a turn is in flight loses that turn; the write that completed before is kept', async () => {
  const server = createFakeServer();
  server.down = true;
  const storage = createFakeStorage();
  const gate: { hold?: Promise<void> } = {};
  const gated: FakeStorage = {
    ...storage,
    setItem: async (key, value) => {
      await gate.hold;
      return storage.setItem(key, value);
    },
  };
  const { client } = setup({ flushAt: 1000 }, server, gated);
  await client.ready;
  client.track('step', { step: 0 });
  await settle();
  let release!: () => void;
  gate.hold = new Promise((resolve) => (release = resolve));
  client.track('step', { step: 1 });
  await settle(); // the turn ended, its write waits on the storage
  const restarted = await restartAfterCrash(storage, server);
  release();
  await restarted.client.flush();
  assert.equal(stepsOf([...server.stored.values()]), [0]);
});

test('nothing tracked before flush(), onBackground() or shutdown() returned is lost, even when nothing could be sent', async () => {
  for (const call of ['flush', 'onBackground', 'shutdown'] as const) {
    const server = createFakeServer();
    server.down = true;
    const storage = createFakeStorage();
    const { client } = setup({ flushAt: 1000 }, server, slow(storage));
    await client.ready;
    for (let step = 0; step < 5; step++) client.track('step', { step });
    await client[call]();
    const restarted = await restartAfterCrash(storage, server);
    await restarted.client.flush();
    assert.equal(stepsOf([...server.stored.values()]), [0, 1, 2, 3, 4], call);
  }
});

test('flush() persists first, also while a Retry-After holds delivery back', async () => {
  const server = createFakeServer();
  let answered = false;
  const storage = createFakeStorage();
  const { client } = setup(
    {
      flushAt: 1000,
      fetch: async (url, init) => {
        if (answered) return server.fetch(url, init);
        answered = true;
        const headers = { get: (name: string) => (name === 'retry-after' ? '600' : null) };
        return { status: 429, headers, text: async () => '' };
      },
    },
    server,
    slow(storage),
  );
  await client.ready;
  client.track('step', { step: 0 });
  await client.flush(); // answered 429: nothing is sent for 600 s
  for (let step = 1; step < 4; step++) client.track('step', { step });
  await client.flush(); // sends nothing, but returns after the write
  const restarted = await restartAfterCrash(storage, server);
  assert.is(restarted.client.stats().queued, 4);
});

test('an exposure cut by a crash in its turn is logged again after the restart; once written, it is not', async () => {
  const paywall = {
    key: 'paywall_copy',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'urgency', weight: 0.5 },
    ],
  };
  const server = createFakeServer();
  server.down = true;
  const { client, storage } = setup({ bootstrap: [paywall], flushAt: 1000 }, server);
  await client.ready;
  client.getVariant('paywall_copy');
  const cut = await restartAfterCrash(storage, server);
  cut.client.setDefinitions([paywall]);
  cut.client.getVariant('paywall_copy');
  await settle();
  const kept = await restartAfterCrash(cut.storage, server);
  kept.client.setDefinitions([paywall]);
  kept.client.getVariant('paywall_copy');
  await kept.client.flush();
  assert.is(sentEvents(server.requests).filter((e) => e.name === EXPOSURE_EVENT).length, 1);
});

test.run();
