/** Test doubles for the injected clock, fetch and storage (not part of the build). */
import type { EventsRequest, TrackedEvent } from '@ab-calicritters/core';
import { createClient } from './client.js';
import type { ClientError } from './client-error.js';
import type { FlushResult } from './delivery.js';
import type { ClientOptions } from './options.js';
import type { Clock, FetchLike } from './platform.js';
import type { StorageAdapter } from './storage.js';

/** Let every pending promise chain run (fakes resolve through microtasks only, never real I/O). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface FakeClock extends Clock {
  /** Move time forward, firing due timers in order and settling after each. */
  advance(ms: number): Promise<void>;
  /** Delays of the pending timers from now, soonest first. */
  pending(): number[];
}

export function createFakeClock(start = Date.parse('2025-03-01T12:00:00.000Z')): FakeClock {
  let now = start;
  let sequence = 0;
  const timers: { id: number; at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { id: ++sequence, at: now + Math.max(0, ms), callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(id) {
      const index = timers.findIndex((t) => t.id === id);
      if (index >= 0) timers.splice(index, 1);
    },
    pending: () => timers.map((t) => t.at - now).sort((a, b) => a - b),
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (!due) break;
        timers.splice(timers.indexOf(due), 1);
        now = due.at;
        due.callback();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

export interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A reply of the fake fetch: `body` is sent as JSON, `text` as is (an HTML page); an Error means a network failure. */
export type FakeReply = { status?: number; body?: unknown; text?: string; headers?: Record<string, string> } | Error;

/** A fetch answering from `handler`, recording every request. */
export function createFakeFetch(handler: (request: FakeRequest, index: number) => FakeReply | Promise<FakeReply>) {
  const requests: FakeRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = init.body === undefined ? undefined : (JSON.parse(init.body) as unknown);
    const request = { method: init.method, path: new URL(url).pathname, body, headers: init.headers };
    requests.push(request);
    const reply = await handler(request, requests.length - 1);
    if (reply instanceof Error) throw reply;
    const headers = new Map(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      status: reply.status ?? 200,
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
      text: async () => reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)),
    };
  };
  return { fetch, requests };
}

/** A fake server's answer for one experiment: a variant (an older server: no reason, no value) or the full answer. */
export type FakeAnswer = string | null | { variant: string | null; reason?: string; value?: unknown };

/**
 * A fake of the server's two endpoints: stores events once per event_id, answers assignments from `assignments`
 * (which a test may change between requests), and can be taken down (`down = true` → 503) like the real one.
 */
export function createFakeServer(assignments: Record<string, FakeAnswer> = {}) {
  const stored = new Map<string, TrackedEvent>();
  const state = { down: false, stored, eventRequests: 0, assignments };
  const { fetch, requests } = createFakeFetch((request) => {
    if (state.down) return { status: 503, body: { error: { code: 'db_unavailable', message: 'database down' } } };
    if (request.path === '/v1/assignment') {
      const body = request.body as { user_id: string; experiment_keys?: string[] };
      const keys = body.experiment_keys ?? Object.keys(assignments);
      const known = keys.filter((k) => k in assignments);
      return {
        body: {
          user_id: body.user_id,
          assignments: known.map((k) => {
            const answer = assignments[k];
            const fields = answer !== null && typeof answer === 'object' ? answer : { variant: answer };
            return { experiment_key: k, assigned_at: null, new: false, ...fields };
          }),
          unknown_experiments: keys.filter((k) => !(k in assignments)),
        },
      };
    }
    state.eventRequests++;
    let accepted = 0;
    let duplicates = 0;
    for (const event of (request.body as EventsRequest).events) {
      if (stored.has(event.event_id)) duplicates++;
      else {
        accepted++;
        stored.set(event.event_id, event);
      }
    }
    return { body: { accepted, duplicates, rejected: [] } };
  });
  return Object.assign(state, { fetch, requests });
}

export interface FakeStorage extends StorageAdapter {
  map: Map<string, string>;
  /** 'sync' throws from the call, 'async' rejects, false works. */
  failing: false | 'sync' | 'async';
  writes: number;
}

/** Memory storage that can be made to fail, exposing its map for inspection and restarts. */
export function createFakeStorage(map = new Map<string, string>()): FakeStorage {
  const storage: FakeStorage = {
    map,
    failing: false,
    writes: 0,
    getItem: (key) => run(() => map.get(key) ?? null),
    setItem: (key, value) => run(() => void (storage.writes++, map.set(key, value))),
    removeItem: (key) => run(() => void map.delete(key)),
  };
  function run<T>(operation: () => T): Promise<T> {
    if (storage.failing === 'sync') throw new Error('storage exploded');
    if (storage.failing === 'async') return Promise.reject(new Error('storage unavailable'));
    return Promise.resolve(operation());
  }
  return storage;
}

/** A client wired to fakes: user `u1`, fake server, fake clock, jitter fixed at 0.5, no automatic refresh. */
export function setup(
  options: Partial<ClientOptions> = {},
  server = createFakeServer(),
  storage = createFakeStorage(),
) {
  const clock = (options.clock as FakeClock | undefined) ?? createFakeClock();
  const client = createClient({
    baseUrl: 'https://ab.example.test',
    userId: 'u1',
    storage,
    fetch: server.fetch,
    clock,
    random: () => 0.5,
    autoRefresh: false,
    ...options,
  });
  const errors: ClientError[] = [];
  const flushes: FlushResult[] = [];
  client.on('error', (error) => errors.push(error));
  client.on('flush', (result) => flushes.push(result));
  return { client, clock, storage, server, errors, flushes };
}

/** Events the fake server received, across all requests, in order. */
export function sentEvents(requests: readonly FakeRequest[]): TrackedEvent[] {
  return requests.filter((r) => r.path === '/v1/events').flatMap((r) => (r.body as EventsRequest).events);
}
