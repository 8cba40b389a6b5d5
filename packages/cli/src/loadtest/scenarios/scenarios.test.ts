import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOAD_TEST_SCENARIOS, type AssignmentRequest, type EventsRequest } from '@ab-calicritters/core';
import { createRunLedger } from '../run-ledger.js';
import { createScenario, createUserPool, runUserPrefix } from './index.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function context(random = seeded(7)) {
  const runId = '11111111-2222-4333-8444-555555555555';
  return {
    runId,
    users: createUserPool(runUserPrefix(runId), random),
    ledger: createRunLedger(random),
    random,
    now: () => new Date('2026-03-01T12:00:00Z'),
  };
}

test('every scenario builds each body when it is sent, tagged with the run id', () => {
  for (const name of LOAD_TEST_SCENARIOS) {
    const ctx = context();
    const steps = createScenario(name, ctx).createSession();
    const bodies: string[] = [];
    for (let i = 0; i < 20; i++) {
      for (const step of steps) {
        const built = step.request();
        assert.is(built.method, 'POST');
        assert.ok(built.body?.includes(ctx.runId), `${name}: tagged`);
        bodies.push(built.body ?? '');
      }
    }
    // A returning user may ask for assignments with the same body twice; events always carry fresh ids.
    const distinct = new Set(bodies).size;
    assert.ok(
      name === 'events' ? distinct === bodies.length : distinct > bodies.length / 2,
      `${name}: ${distinct} distinct`,
    );
  }
});

test('assignment mixes first-time and returning users from the run pool', () => {
  const ctx = context();
  const [step] = createScenario('assignment', ctx).createSession();
  const users = Array.from(
    { length: 200 },
    () => (JSON.parse(step?.request().body ?? '{}') as AssignmentRequest).user_id,
  );
  assert.ok(users.every((u) => u.startsWith(`lt-${ctx.runId}-`)));
  const distinct = new Set(users).size;
  assert.ok(distinct > 20 && distinct < 150, `distinct users ${distinct}`);
  assert.is(ctx.users.size, distinct);
});

test('event batches carry fresh UUIDs, valid timestamps and some duplicates on purpose', () => {
  const ctx = context();
  const [step] = createScenario('events', ctx).createSession();
  let repeats = 0;
  for (let i = 0; i < 300; i++) {
    const request = JSON.parse(step?.request().body ?? '{}') as EventsRequest;
    assert.ok(request.events.length >= 1 && request.events.length <= 1000);
    const ids = request.events.map((e) => e.event_id);
    repeats += ids.length - new Set(ids).size;
    for (const e of request.events) {
      assert.match(e.event_id, /^[0-9a-f-]{36}$/);
      assert.ok(Date.parse(e.timestamp) <= Date.parse('2026-03-01T12:00:00Z'));
    }
    // Answer every batch so later batches can retry acknowledged events.
    step?.onResponse(200, JSON.stringify({ accepted: request.events.length, duplicates: 0, rejected: [] }));
  }
  assert.ok(repeats > 0, 'in-batch repeats');
  assert.ok(ctx.ledger.totals().intentional_duplicates > repeats, 'retries of acknowledged events too');
});

test('mixed sends the events of the user it just assigned', () => {
  const ctx = context();
  const [assign, events] = createScenario('mixed', ctx).createSession();
  for (let i = 0; i < 10; i++) {
    const user = (JSON.parse(assign?.request().body ?? '{}') as AssignmentRequest).user_id;
    const batch = JSON.parse(events?.request().body ?? '{}') as EventsRequest;
    assert.is(batch.events[0]?.name, 'app_open');
    assert.is(batch.events[0]?.user_id, user);
  }
});

test.run();
