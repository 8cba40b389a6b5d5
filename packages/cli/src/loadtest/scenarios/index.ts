/** The load scenarios by name. */
import type { LoadTestScenario } from '@ab-calicritters/core';
import { createAssignmentScenario } from './assignment.js';
import { createEventsScenario } from './events.js';
import { createMixedScenario } from './mixed.js';
import type { Scenario, ScenarioContext } from './scenario-types.js';

/** Builds the named scenario over a run's context. */
export function createScenario(name: LoadTestScenario, ctx: ScenarioContext): Scenario {
  switch (name) {
    case 'assignment':
      return createAssignmentScenario(ctx);
    case 'events':
      return createEventsScenario(ctx);
    case 'mixed':
      return createMixedScenario(ctx);
  }
}

export type { Scenario, ScenarioContext } from './scenario-types.js';
export { createUserPool, runUserPrefix } from './user-pool.js';
