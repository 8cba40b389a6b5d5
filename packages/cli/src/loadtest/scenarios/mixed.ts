/** `mixed`: what an app session does: ask for its assignments, then send a batch of events for the same user. */
import { assignmentStep, ASSIGNMENT_ENDPOINT } from './assignment.js';
import { sessionEvents } from './event-batch.js';
import { eventsStep, EVENTS_ENDPOINT } from './events.js';
import type { Scenario, ScenarioContext } from './scenario-types.js';

const FRESH_SHARE = 0.35;

/** The `mixed` scenario over a run's context. */
export function createMixedScenario(ctx: ScenarioContext): Scenario {
  return {
    name: 'mixed',
    endpoints: [ASSIGNMENT_ENDPOINT, EVENTS_ENDPOINT],
    createSession() {
      // The assignment step always runs first in a cycle, so the events step always has its user.
      let userId = '';
      return [
        assignmentStep(ctx, () => {
          userId = ctx.users.pick(FRESH_SHARE).userId;
          return userId;
        }),
        eventsStep(ctx, () => sessionEvents(ctx, userId, true)),
      ];
    },
  };
}
