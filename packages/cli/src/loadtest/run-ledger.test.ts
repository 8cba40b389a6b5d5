import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrackedEvent } from '@ab-calicritters/core';
import { createRunLedger } from './run-ledger.js';

const event = (id: string): TrackedEvent => ({
  event_id: id,
  user_id: 'u1',
  name: 'app_open',
  timestamp: '2026-01-01T00:00:00Z',
});

test('assignment answers are kept per (user, experiment), and a second different variant is kept as a conflict', () => {
  const ledger = createRunLedger(() => 0);
  const answer = (variant: string) =>
    JSON.stringify({
      user_id: 'u1',
      assignments: [
        { experiment_key: 'e', variant },
        { experiment_key: 'off', variant: null },
      ],
      unknown_experiments: [],
    });
  ledger.assignmentResponse(answer('red'));
  ledger.assignmentResponse(answer('red'));
  assert.equal(ledger.assignments(), [{ user_id: 'u1', experiment_key: 'e', variant: 'red' }]);
  ledger.assignmentResponse(answer('blue'));
  assert.is(ledger.assignments().length, 2);
  ledger.assignmentResponse('not json');
  assert.is(ledger.totals().unreadable_responses, 1);
});

test('rejected events are not acknowledged; acknowledged ones are counted once and offered for retries', () => {
  const ledger = createRunLedger(() => 0);
  ledger.eventsSent(3, 1);
  ledger.eventsResponse(
    [event('a'), event('b'), event('a')],
    JSON.stringify({ accepted: 1, duplicates: 1, rejected: [{ index: 1, errors: ['x'] }] }),
  );
  assert.equal(ledger.events(), [{ event_id: 'a', user_id: 'u1' }]);
  assert.is(ledger.acknowledgedSample()?.event_id, 'a');
  const totals = ledger.totals();
  assert.is(totals.events_sent, 3);
  assert.is(totals.intentional_duplicates, 1);
  assert.is(totals.events_acknowledged, 1);
  assert.is(totals.events_rejected_reported, 1);
});

test.run();
