/** `events`: batches of realistic events from many users, with duplicates on purpose. */
import type { TrackedEvent } from '@ab-calicritters/core';
import { buildBatch, sessionEvents } from './event-batch.js';
import type { Scenario, ScenarioContext, ScenarioStep } from './scenario-types.js';

/** Metrics label of the events endpoint. */
export const EVENTS_ENDPOINT = 'POST /v1/events';

const FRESH_SHARE = 0.2;

/** One batch request; `events()` gives the fresh events to send (the step adds duplicates). */
export function eventsStep(ctx: ScenarioContext, events: () => TrackedEvent[]): ScenarioStep {
  // With one request in flight per connection, the batch being answered is the last one built.
  let pending: TrackedEvent[] = [];
  return {
    endpoint: EVENTS_ENDPOINT,
    request() {
      const batch = buildBatch(ctx, events());
      pending = batch.events;
      return { method: 'POST', path: '/v1/events', body: batch.body };
    },
    onResponse(status, body) {
      if (status === 200) ctx.ledger.eventsResponse(pending, body);
    },
  };
}

/** The `events` scenario over a run's context. */
export function createEventsScenario(ctx: ScenarioContext): Scenario {
  return {
    name: 'events',
    endpoints: [EVENTS_ENDPOINT],
    createSession: () => [
      eventsStep(ctx, () => {
        const user = ctx.users.pick(FRESH_SHARE);
        return sessionEvents(ctx, user.userId, user.fresh);
      }),
    ],
  };
}
