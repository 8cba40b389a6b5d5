import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareEvents } from './prepare-events.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const received = new Date('2026-01-01T00:10:00.000Z');
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

test('without sent_at the client timestamp is stored as is', () => {
  const { batch } = prepareEvents(
    [{ event_id: id(1), user_id: 'u', name: 'x', timestamp: '2026-01-01T00:00:00+02:00' }],
    received,
  );
  assert.is(iso(batch.clientMs[0]), '2025-12-31T22:00:00.000Z');
  assert.is(iso(batch.occurredMs[0]), '2025-12-31T22:00:00.000Z');
  assert.is(batch.properties[0], '{}');
});

test('a device clock ahead of the server is pulled back by the same offset', () => {
  const { batch } = prepareEvents(
    [{ event_id: id(1), user_id: 'u', name: 'x', timestamp: '2026-01-01T01:00:00.000Z' }],
    received,
    '2026-01-01T01:10:00.000Z',
  );
  assert.is(iso(batch.occurredMs[0]), '2026-01-01T00:00:00.000Z');
  assert.is(iso(batch.clientMs[0]), '2026-01-01T01:00:00.000Z');
});

test('event ids are compared case-insensitively within a batch', () => {
  const e = { user_id: 'u', name: 'x', timestamp: '2026-01-01T00:00:00Z' };
  const prepared = prepareEvents(
    [
      { ...e, event_id: 'AAAAAAAA-0000-4000-8000-000000000001' },
      { ...e, event_id: 'aaaaaaaa-0000-4000-8000-000000000001' },
    ],
    received,
  );
  assert.is(prepared.batch.length, 1);
  assert.is(prepared.duplicatesInBatch, 1);
});

test('missing required fields are reported per index with the field name', () => {
  const prepared = prepareEvents([{ user_id: 'u', name: 'x', timestamp: '2026-01-01T00:00:00Z' }, null], received);
  assert.equal(
    prepared.rejected.map((r) => r.index),
    [0, 1],
  );
  assert.match(prepared.rejected[0]?.errors[0] ?? '', /event_id/);
});

test('times in the far future (after correction) or older than a year are rejected, the rest kept', () => {
  const e = (n: number, timestamp: string) => ({ event_id: id(n), user_id: 'u', name: 'x', timestamp });
  const prepared = prepareEvents(
    [
      e(1, '2026-01-02T00:10:01Z'),
      e(2, '2025-01-01T00:09:59Z'),
      e(3, '2026-01-01T23:00:00Z'),
      e(4, '2025-06-01T00:00:00Z'),
    ],
    received,
  );
  assert.equal(
    prepared.rejected.map((r) => r.index),
    [0, 1],
  );
  assert.match(prepared.rejected[0]?.errors[0] ?? '', /future/);
  assert.match(prepared.rejected[1]?.errors[0] ?? '', /older than 365 days/);
  // A device clock a year behind is fine when sent_at lets us correct it.
  const corrected = prepareEvents([e(5, '2025-01-01T00:00:00Z')], received, '2025-01-01T00:01:00Z');
  assert.is(corrected.batch.length, 1);
});

test.run();
