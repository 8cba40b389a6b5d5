import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonValueProblem, LIMITS } from '@ab-calicritters/core';
import { validatorFor } from '../http/schema-validator.js';
import { checkTrackedEvent } from './check-tracked-event.js';

const ID = '6f1c7c9e-8f51-4a5e-9d0e-1c2b3a4d5e6f';
const event = (fields: Record<string, unknown>) => ({
  event_id: ID,
  user_id: 'u',
  name: 'app_open',
  timestamp: '2026-01-01T00:00:00.000Z',
  ...fields,
});

/** The full validator's verdict: ajv with ajv-formats, then a real instant. */
const fullyValid = (raw: ReturnType<typeof event>) =>
  validatorFor('TrackedEvent')(raw) && Number.isFinite(Date.parse(raw.timestamp));

test('date-times: the fast path accepts exactly what ajv-formats and Date.parse accept', () => {
  const timestamps = [
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.123456789Z',
    '2026-01-01T23:59:59+23:59',
    '2026-01-01T00:00:00-00:00',
    '2024-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-12-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-06-30T23:59:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00+01:60',
    '2026-01-01t00:00:00z',
    '2026-01-01 00:00:00Z',
    '2026-01-01T00:00:00+0100',
    '2026-01-01T00:00:00+01',
    '2026-01-01T00:00:00',
    '2026-01-01T00:00:00.Z',
    '2026-01-01',
    `2026-01-01T00:00:00.${'1'.repeat(60)}Z`,
  ];
  for (const timestamp of timestamps) {
    const raw = event({ timestamp });
    assert.is(checkTrackedEvent(raw).ok, fullyValid(raw), timestamp);
  }
});

test('event ids: the fast path accepts exactly what the uuid format and maxLength accept', () => {
  const ids = [
    ID,
    ID.toUpperCase(),
    `urn:uuid:${ID}`,
    ID.slice(1),
    `${ID}0`,
    ID.replace('6', 'g'),
    ID.replace(/-/g, ''),
  ];
  for (const event_id of ids) {
    const raw = event({ event_id });
    assert.is(checkTrackedEvent(raw).ok, fullyValid(raw), event_id);
  }
});

test('a refusal carries the full validator message', () => {
  assert.equal(checkTrackedEvent(event({ timestamp: '2026-02-30T00:00:00Z' })), {
    ok: false,
    errors: ['/timestamp: must match format "date-time"'],
  });
  assert.equal(checkTrackedEvent(event({ timestamp: '2026-06-30T23:59:60Z' })), {
    ok: false,
    errors: ['/timestamp: is not a valid date'],
  });
  assert.equal(checkTrackedEvent(event({ event_id: 'nope' })), {
    ok: false,
    errors: ['/event_id: must match format "uuid"'],
  });
  const both = checkTrackedEvent(event({ user_id: 'a\ud800', name: 'b\udc00' }));
  assert.is(both.ok ? 0 : both.errors.length, 2, 'both text fields are named');
});

test('properties: the cheap walk refuses what jsonValueProblem refuses, with its message', () => {
  const nest = (depth: number): Record<string, unknown> => (depth <= 1 ? { a: 1 } : { a: nest(depth - 1) });
  const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  const cases: Array<Record<string, unknown>> = [
    { cat: '🐱', list: [1, 'two', null, true, { deep: [] }] },
    nest(LIMITS.maxPropertiesDepth),
    nest(LIMITS.maxPropertiesDepth + 1),
    { a: [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]] },
    keys(LIMITS.maxPropertiesKeys),
    keys(LIMITS.maxPropertiesKeys + 1),
    { title: 'x\ud83d' },
    { ['k\u0000']: 1 },
    { nested: { 'a/b~c': 'x\u0000' } },
  ];
  for (const properties of cases) {
    const checked = checkTrackedEvent(event({ properties }));
    const problem = jsonValueProblem(properties);
    assert.equal(
      checked.ok ? [] : checked.errors,
      problem ? [`/properties${problem.path}: ${problem.message}`] : [],
      JSON.stringify(Object.keys(properties)).slice(0, 60),
    );
  }
});

test('properties come back as the JSON text whose size was checked', () => {
  const checked = checkTrackedEvent(event({ properties: { screen: 'home', k: 1 } }));
  assert.ok(checked.ok);
  assert.is(checked.properties, '{"screen":"home","k":1}');
  const absent = checkTrackedEvent(event({}));
  assert.is(absent.ok && absent.properties, '{}');
  const big = checkTrackedEvent(event({ properties: { s: '€'.repeat(LIMITS.maxPropertiesBytes / 3) } }));
  assert.equal(big.ok ? [] : big.errors, [`/properties: larger than ${LIMITS.maxPropertiesBytes} bytes of JSON`]);
});

test.run();
