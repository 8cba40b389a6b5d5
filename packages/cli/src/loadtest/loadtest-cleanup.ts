/** `calicritters loadtest cleanup`: delete what load runs left in the database (load-test users' rows, optionally runs). */
import { LOAD_TEST_USER_PREFIX } from '@ab-calicritters/core';
import type { LoadTestCleanup, Storage } from '@ab-calicritters/server';

export interface LoadtestCleanupOptions {
  /** Only count what would be deleted. */
  dryRun?: boolean;
  /** Also delete the recorded runs, with their endpoint metrics and data checks. */
  runs?: boolean;
}

/**
 * Deletes the assignments and events of load-test users (ids starting with `lt-`) and, with `runs`, the recorded runs.
 * @example formatCleanup(await loadtestCleanup(storage, { dryRun: true }), true);
 */
export function loadtestCleanup(storage: Storage, options: LoadtestCleanupOptions = {}): Promise<LoadTestCleanup> {
  return storage.loadTests.cleanup(options);
}

/** One line for a terminal. */
export function formatCleanup(result: LoadTestCleanup, dryRun: boolean, runs: boolean): string {
  const what = `${result.assignments} assignment(s) and ${result.events} event(s) of load-test users (${LOAD_TEST_USER_PREFIX}…)`;
  const runText = runs ? `, ${result.runs} recorded run(s)` : '';
  return dryRun
    ? `Would delete ${what}${runText}; nothing was deleted (--dry-run).`
    : `Deleted ${what}${runText}. Run \`calicritters rollup\` to refresh the rollups.`;
}
