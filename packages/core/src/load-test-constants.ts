/** Names and limits of load testing shared by the server, the CLI and the dashboard. */

/** What a load-test run drives: sticky assignment, event batches, or both as an app session does. */
export const LOAD_TEST_SCENARIOS = ['assignment', 'events', 'mixed'] as const;

/** True for one of {@link LOAD_TEST_SCENARIOS}. */
export function isLoadTestScenario(value: unknown): value is (typeof LOAD_TEST_SCENARIOS)[number] {
  return (LOAD_TEST_SCENARIOS as readonly unknown[]).includes(value);
}

/**
 * Every user id a load-test run makes starts with this (`lt-<run id>-<n>`). Rollups leave these users out of the
 * analysis unless told otherwise, and `calicritters loadtest cleanup` deletes their rows.
 */
export const LOAD_TEST_USER_PREFIX = 'lt-';

/** Runs listed by `GET /v1/metrics/load-tests/runs` without `limit`. */
export const LOAD_TEST_RUNS_DEFAULT_LIMIT = 20;

/** Largest `limit` of `GET /v1/metrics/load-tests/runs` (the smallest is 1). */
export const LOAD_TEST_RUNS_MAX_LIMIT = 100;
