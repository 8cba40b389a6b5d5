/**
 * A holdout's results as `<abc-experiment-results>` reads an experiment's, so the same verdicts and table show
 * them: the arms `holdout` (the control) and `exposed` are the variants, weighted by the holdout's share.
 */
import type { ExperimentResults, HoldoutResults } from '@ab-calicritters/core';

/**
 * @example asExperimentResults(await api.holdoutResults('long_run', 7)).experiment.variants // holdout, exposed
 */
export function asExperimentResults(results: HoldoutResults): ExperimentResults {
  const { holdout, ...rest } = results;
  return {
    ...rest,
    experiment: {
      key: holdout.key,
      name: holdout.name ?? `Holdout ${holdout.key}`,
      // An active holdout keeps holding users out, which the status chip of a running experiment says.
      status: holdout.status === 'active' ? 'running' : 'archived',
      coverage: 1,
      variants: results.assignments.map((a) => ({ key: a.variant, weight: a.expected_share })),
    },
    exposures: results.assignments.map((a) => ({
      variant: a.variant,
      exposed_users: a.assigned_users,
      expected_share: a.expected_share,
    })),
  };
}
