import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LIMITS, type TrackedEvent } from '@ab-calicritters/core';
import { eventProblem, newEvent, objectProblem, toQueued, userIdProblem, utf8Length } from './event.js';

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

const lone = '🐱'.slice(0, 1);

/** An object nested `depth` levels deep: { a: { a: … } }. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

test('a lone surrogate or NUL in the name, the user id, or any property key or value is a problem naming the field', () => {
  for (const bad of [lone, `cat ${lone}`, '\udc31 tail', 'nul\u0000']) {
    assert.match(eventProblem({ ...base, name: bad })!, /^name: contains/);
    assert.match(eventProblem({ ...base, user_id: bad })!, /^user_id: contains/);
    assert.match(eventProblem({ ...base, properties: { label: bad } })!, /^properties\/label: contains/);
    assert.match(eventProblem({ ...base, properties: { [bad]: 1 } })!, /^properties\/.*: key contains/);
    assert.match(
      eventProblem({ ...base, properties: { list: [1, { deep: [bad] }] } })!,
      /^properties\/list\/1\/deep\/0: contains/,
    );
  }
  assert.is(eventProblem({ ...base, name: '🐱 cat', user_id: '猫-🐱', properties: { '🐱': '🐱🐱' } }), undefined);
});

test('properties nested up to 16 levels are fine; deeper, even 6,000 levels, is a problem, not a stack overflow', () => {
  assert.is(eventProblem({ ...base, properties: nested(LIMITS.maxPropertiesDepth) }), undefined);
  assert.match(
    eventProblem({ ...base, properties: nested(LIMITS.maxPropertiesDepth + 1) })!,
    /nested deeper than 16 levels/,
  );
  assert.match(
    eventProblem({ ...base, properties: nested(6000) })!,
    /^properties\/a\/a.*: nested deeper than 16 levels/,
  );
  let array: unknown = [];
  for (let i = 0; i < 6000; i++) array = [array];
  assert.match(eventProblem({ ...base, properties: { array } })!, /nested deeper/);
});

test('more than 1,000 keys in all is a problem', () => {
  const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, { x: 1 }]));
  assert.is(eventProblem({ ...base, properties: keys(LIMITS.maxPropertiesKeys / 2) }), undefined);
  assert.match(eventProblem({ ...base, properties: keys(LIMITS.maxPropertiesKeys / 2 + 1) })!, /more than 1000 keys/);
});

test('values JSON cannot carry are problems, not exceptions: a cycle, a BigInt, a function, a non-finite number', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  for (const properties of [cycle, { n: 10n }, { f: () => 1 }, { x: NaN }, { y: [Infinity] }]) {
    assert.ok(eventProblem({ ...base, properties: properties as never }), String(Object.keys(properties)));
  }
});

test('a toJSON that brings back what the walk refused is caught in the JSON itself', () => {
  // A non-enumerable toJSON: the walk sees an empty object, JSON.stringify sees what toJSON returns.
  class Returns {
    constructor(json: unknown) {
      Object.defineProperty(this, 'toJSON', { enumerable: false, value: () => json });
    }
  }
  const surrogate = new Returns({ label: lone });
  assert.match(
    eventProblem({ ...base, properties: { surrogate } })!,
    /^properties: serialises to text the server cannot store/,
  );
  assert.match(eventProblem({ ...base, properties: { nul: new Returns('a\u0000') } })!, /cannot store/);
  assert.is(eventProblem({ ...base, properties: { when: new Date(0), text: '\\ud83d is not an escape' } }), undefined);
});

test('userIdProblem and objectProblem check identify() arguments with the same rules', () => {
  assert.is(userIdProblem('user-42'), undefined);
  assert.match(userIdProblem(lone)!, /^user_id: contains an unpaired UTF-16 surrogate/);
  assert.match(userIdProblem('x'.repeat(LIMITS.maxUserIdLength + 1))!, /1\.\.256/);
  assert.is(objectProblem('attributes', { plan: 'pro', tags: ['a'] }), undefined);
  assert.match(objectProblem('attributes', { plan: lone })!, /^attributes\/plan: contains/);
  assert.match(objectProblem('attributes', nested(6000))!, /nested deeper/);
  assert.match(objectProblem('attributes', ['x'])!, /not an object/);
});

test('newEvent refuses exactly what eventProblem refuses, naming the same field; what it takes is the same wire event', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const withToJson = (json: unknown) => Object.defineProperty({}, 'toJSON', { enumerable: false, value: () => json });
  const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, { x: 1 }]));
  const cases: [string, string, unknown][] = [
    ['u1', 'purchase', undefined],
    ['u1', 'purchase', { plan: 'pro', amount: 4.99, ok: true, none: null, list: [1, 'a', { b: [] }] }],
    ['猫-🐱', '🐱 cat', { '🐱': '🐱🐱', é: 'é'.repeat(100) }],
    ['u1', 'purchase', { when: new Date(0), text: '\\ud83d is not an escape' }],
    ['u1', 'x'.repeat(LIMITS.maxEventNameLength), nested(LIMITS.maxPropertiesDepth)],
    ['u1', 'purchase', keys(LIMITS.maxPropertiesKeys / 2)],
    ['u1', 'purchase', { s: 'x'.repeat(LIMITS.maxPropertiesBytes - 8) }],
    ['u1', 'purchase', { s: 'é'.repeat(LIMITS.maxPropertiesBytes / 4) }],
    ['u1', '', {}],
    ['u1', 'x'.repeat(LIMITS.maxEventNameLength + 1), {}],
    ['', 'purchase', {}],
    ['u1', 'purchase', []],
    ['u1', 'purchase', null],
    ['u1', 'purchase', { s: 'x'.repeat(LIMITS.maxPropertiesBytes - 7) }],
    ['u1', 'purchase', { s: 'é'.repeat(LIMITS.maxPropertiesBytes / 2) }],
    ['u1', 'purchase', nested(LIMITS.maxPropertiesDepth + 1)],
    ['u1', 'purchase', nested(6000)],
    ['u1', 'purchase', keys(LIMITS.maxPropertiesKeys / 2 + 1)],
    ['u1', 'purchase', cycle],
    ['u1', 'purchase', { n: 10n }],
    ['u1', 'purchase', { f: () => 1 }],
    ['u1', 'purchase', { x: NaN, y: [Infinity] }],
    ['u1', 'purchase', { u: undefined }],
    // eslint-disable-next-line no-sparse-arrays
    ['u1', 'purchase', { holes: [1, , 2] }],
    ['u1', 'purchase', { list: Object.assign([1, 2], { extra: 3 }) }],
    ['u1', 'purchase', { surrogate: withToJson({ label: lone }) }],
    ['u1', 'purchase', { nul: withToJson('a\u0000') }],
    ...[lone, `cat ${lone}`, '\udc31 tail', 'nul\u0000'].flatMap((bad): [string, string, unknown][] => [
      ['u1', bad, {}],
      [bad, 'purchase', {}],
      ['u1', 'purchase', { label: bad }],
      ['u1', 'purchase', { [bad]: 1 }],
      ['u1', 'purchase', { list: [1, { deep: [bad] }] }],
    ]),
  ];
  const time = Date.parse('2025-03-01T12:34:56.789Z');
  for (const [userId, name, properties] of cases) {
    const wire = { ...base, user_id: userId, name, ...(properties !== undefined && { properties }) } as TrackedEvent;
    const expected = eventProblem(wire);
    const made = newEvent(time, userId, name, properties as Record<string, unknown>);
    const label = JSON.stringify([userId, name]).slice(0, 80);
    if (typeof made === 'string' || expected !== undefined) {
      assert.is(made, expected, label);
      continue;
    }
    assert.match(made.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.is(made.id, made.id, 'the id is made once');
    assert.equal(
      JSON.parse(made.json),
      JSON.parse(JSON.stringify({ ...wire, event_id: made.id, timestamp: '2025-03-01T12:34:56.789Z' })),
      label,
    );
    assert.is(made.bytes, Buffer.byteLength(made.json), label);
  }
});

test('a new event stamps the ISO form of the time it was given, also for times the short form cannot hold', () => {
  const times = [
    0,
    999,
    1000,
    59_999,
    60_000,
    Date.parse('2025-03-01T23:59:59.999Z'),
    Date.parse('2025-03-02T00:00:00.000Z'),
  ];
  times.push(Date.parse('+010000-01-01T00:00:00.000Z'), -1, 1.5);
  for (const time of [...times, ...times]) {
    const made = newEvent(time, 'u1', 'e', undefined);
    assert.type(made, 'object');
    const event = made as Exclude<typeof made, string>;
    assert.is(JSON.parse(event.json).timestamp, new Date(time).toISOString(), String(time));
    assert.is(event.bytes, Buffer.byteLength(event.json), String(time));
  }
});

test.run();
