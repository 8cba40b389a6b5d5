import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const RECEIVED_AT = new Date('2026-03-01T12:00:00.000Z');
const it = suite<{ server: TestServer }>('POST /v1/events');

function event(overrides: Record<string, unknown> = {}) {
  return {
    event_id: randomUUID(),
    user_id: 'u-events',
    name: 'app_open',
    timestamp: '2026-03-01T11:59:00.000Z',
    ...overrides,
  };
}

it.before(async (ctx) => {
  ctx.server = await startTestServer({ now: () => RECEIVED_AT });
  await createExperiment(ctx.server, {
    key: 'onboarding_flow',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  });
});
it.after(async (ctx) => ctx.server.close());

it('stores a batch and counts re-sent event_ids as duplicates, not errors', async ({ server }) => {
  const batch = [event(), event({ name: 'first_catch', properties: { species: 'tabby', weight_kg: 4.2 } })];
  const first = await server.post('/v1/events', { events: batch });
  assert.is(first.status, 200);
  assert.equal(first.body, { accepted: 2, duplicates: 0, rejected: [] });
  const retry = await server.post('/v1/events', { events: [...batch, event()] });
  assert.equal(retry.body, { accepted: 1, duplicates: 2, rejected: [] });
  const rows = await server.sql(`select count(*)::int as n from event_logs where user_id = 'u-events'`);
  assert.is(rows[0]?.n, 3);
});

it('a repeated event_id inside one batch is stored once', async ({ server }) => {
  const e = event({ user_id: 'u-twice' });
  const res = await server.post('/v1/events', { events: [e, { ...e }, { ...e, event_id: e.event_id.toUpperCase() }] });
  assert.equal(res.body, { accepted: 1, duplicates: 2, rejected: [] });
});

it('partial acceptance: valid events are stored, invalid ones are named by index with reasons', async ({ server }) => {
  const good = [event({ user_id: 'u-partial' }), event({ user_id: 'u-partial' })];
  const res = await server.post('/v1/events', {
    events: [
      good[0],
      { ...event(), event_id: 'not-a-uuid' },
      event({ timestamp: 'yesterday' }),
      event({ properties: { big: 'x'.repeat(33 * 1024) } }),
      event({ colour: 'red' }),
      'not an object',
      good[1],
      event({ properties: { bad: 'a\u0000b' } }),
    ],
  });
  assert.is(res.status, 200);
  assert.is(res.body.accepted, 2);
  assert.is(res.body.duplicates, 0);
  assert.equal(
    res.body.rejected.map((r: { index: number }) => r.index),
    [1, 2, 3, 4, 5, 7],
  );
  assert.match(res.body.rejected[0].errors[0], /event_id/);
  assert.match(res.body.rejected[1].errors[0], /timestamp/);
  assert.match(res.body.rejected[2].errors[0], /properties.*32768/);
  assert.match(res.body.rejected[3].errors[0], /unknown field 'colour'/);
  const rows = await server.sql(`select count(*)::int as n from event_logs where user_id = 'u-partial'`);
  assert.is(rows[0]?.n, 2);
});

it('sent_at corrects the client clock and the raw timestamp is kept', async ({ server }) => {
  // The device clock is 10 minutes behind: it sent at 11:50 (its time) when the server received at 12:00.
  const e = event({ user_id: 'u-skew', timestamp: '2026-03-01T11:45:00.000Z' });
  const res = await server.post('/v1/events', { events: [e], sent_at: '2026-03-01T11:50:00.000Z' });
  assert.is(res.body.accepted, 1);
  const [row] = await server.db.storage.events.listForUser('u-skew');
  assert.is(row?.client_timestamp, '2026-03-01T11:45:00.000Z');
  assert.is(row?.occurred_at, '2026-03-01T11:55:00.000Z');
});

it("each stored event is enriched with the user's current assignments", async ({ server }) => {
  const assigned = await server.post('/v1/assignment', { user_id: 'u-enriched' });
  const variant = assigned.body.assignments[0].variant;
  await server.post('/v1/events', { events: [event({ user_id: 'u-enriched' })] });
  await server.post('/v1/events', { events: [event({ user_id: 'u-unassigned' })] });
  const [enriched] = await server.db.storage.events.listForUser('u-enriched');
  assert.equal(enriched?.assignments, { onboarding_flow: variant });
  const [plain] = await server.db.storage.events.listForUser('u-unassigned');
  assert.equal(plain?.assignments, {});
});

it('envelope problems: 400 for a bad envelope, 413 beyond 1000 events or 1 MB, 415 for non-JSON', async ({
  server,
}) => {
  const noEvents = await server.post('/v1/events', { event: [] });
  assert.is(noEvents.status, 400);
  assert.ok(noEvents.body.error.details.some((d: { field: string }) => d.field === '/event' || d.field === '/events'));
  const emptyList = await server.post('/v1/events', { events: [] });
  assert.is(emptyList.status, 400);
  const badSentAt = await server.post('/v1/events', { events: [event()], sent_at: 'soon' });
  assert.is(badSentAt.status, 400);
  assert.is(badSentAt.body.error.details[0].field, '/sent_at');
  const notObject = await server.post('/v1/events', [event()]);
  assert.is(notObject.status, 400);

  const tooMany = await server.post('/v1/events', { events: Array.from({ length: 1001 }, () => event()) });
  assert.is(tooMany.status, 413);
  assert.is(tooMany.body.error.code, 'too_many_events');
  const tooBig = await server.post('/v1/events', {
    events: Array.from({ length: 40 }, () => event({ properties: { pad: 'x'.repeat(30 * 1024) } })),
  });
  assert.is(tooBig.status, 413);
  assert.is(tooBig.body.error.code, 'payload_too_large');
  const form = await server.send('POST', '/v1/events', 'a=b', { 'content-type': 'text/plain' });
  assert.is(form.status, 415);
  const rows = await server.sql(`select count(*)::int as n from event_logs where user_id = 'u-events'`);
  assert.is(rows[0]?.n, 3, 'rejected requests stored nothing');
  assert.is(server.errors.length, 0);
});

it('a full batch of 1000 events is stored in one request', async ({ server }) => {
  const res = await server.post('/v1/events', {
    events: Array.from({ length: 1000 }, () => event({ user_id: 'u-bulk' })),
  });
  assert.equal(res.body, { accepted: 1000, duplicates: 0, rejected: [] });
});

it.run();
