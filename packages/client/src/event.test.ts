import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LIMITS, type TrackedEvent } from '@ab-calicritters/core';
import { eventProblem, toQueued, utf8Length } from './event.js';

const base: TrackedEvent = {
  event_id: '3b241101-e2bb-4255-8caf-4136c566a962',
  user_id: 'u1',
  name: 'purchase',
  timestamp: '2025-03-01T12:00:00.000Z',
};

test('utf8Length agrees with Buffer.byteLength on ASCII, accents, CJK and emoji', () => {
  for (const text of ['', 'abc', 'Ünïcødé', '漢字', '🐱 cat', JSON.stringify({ s: 'é🐱' })]) {
    assert.is(utf8Length(text), Buffer.byteLength(text, 'utf8'), text);
  }
});

test('toQueued keeps the wire JSON, its byte length and the event id', () => {
  const queued = toQueued({ ...base, properties: { plan: 'pro' } });
  assert.is(queued.id, base.event_id);
  assert.equal(JSON.parse(queued.json), { ...base, properties: { plan: 'pro' } });
  assert.is(queued.bytes, Buffer.byteLength(queued.json));
});

test('a valid event has no problem', () => {
  assert.is(eventProblem(base), undefined);
  assert.is(eventProblem({ ...base, properties: { a: 1 } }), undefined);
  assert.is(eventProblem({ ...base, name: 'x'.repeat(LIMITS.maxEventNameLength) }), undefined);
});

test('names outside 1..128 characters and bad user ids are problems', () => {
  assert.match(eventProblem({ ...base, name: '' })!, /name/);
  assert.match(eventProblem({ ...base, name: 'x'.repeat(LIMITS.maxEventNameLength + 1) })!, /name/);
  assert.match(eventProblem({ ...base, name: 42 as never })!, /name/);
  assert.match(eventProblem({ ...base, user_id: '' })!, /user_id/);
});

test('properties must be a plain object of at most 32 KB of JSON (in UTF-8 bytes)', () => {
  assert.match(eventProblem({ ...base, properties: [] as never })!, /properties/);
  assert.match(eventProblem({ ...base, properties: null as never })!, /properties/);
  const limit = LIMITS.maxPropertiesBytes;
  const fits = { s: 'x'.repeat(limit - 8) }; // {"s":"…"} is 8 bytes of JSON around the string
  assert.is(eventProblem({ ...base, properties: fits }), undefined);
  assert.match(eventProblem({ ...base, properties: { s: 'x'.repeat(limit - 7) } })!, /properties/);
  assert.match(eventProblem({ ...base, properties: { s: 'é'.repeat(limit / 2) } })!, /properties/);
});

test('unserialisable properties throw (the client reports them)', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => eventProblem({ ...base, properties: cycle }));
});

test.run();
