/** `assignment`: many users asking for their variants, a mix of first-time users and returning ones. */
import type { AssignmentRequest } from '@ab-calicritters/core';
import type { Scenario, ScenarioContext, ScenarioStep } from './scenario-types.js';

/** Metrics label of the assignment endpoint. */
export const ASSIGNMENT_ENDPOINT = 'POST /v1/assignment';

/** Share of requests from a user never seen before in this run. */
const FRESH_SHARE = 0.3;

/** One assignment request for `userId`, whose 200 answer goes to the ledger. */
export function assignmentStep(ctx: ScenarioContext, nextUser: () => string): ScenarioStep {
  return {
    endpoint: ASSIGNMENT_ENDPOINT,
    request() {
      const body: AssignmentRequest = {
        user_id: nextUser(),
        attributes: { load_test_run: ctx.runId, platform: ctx.random() < 0.5 ? 'ios' : 'android' },
      };
      return { method: 'POST', path: '/v1/assignment', body: JSON.stringify(body) };
    },
    onResponse(status, body) {
      if (status === 200) ctx.ledger.assignmentResponse(body);
    },
  };
}

/** The `assignment` scenario over a run's context. */
export function createAssignmentScenario(ctx: ScenarioContext): Scenario {
  return {
    name: 'assignment',
    endpoints: [ASSIGNMENT_ENDPOINT],
    createSession: () => [assignmentStep(ctx, () => ctx.users.pick(FRESH_SHARE).userId)],
  };
}
