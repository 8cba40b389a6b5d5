import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleRatioMismatch, type HoldoutResults } from '@ab-calicritters/core';
import { asExperimentResults } from './holdout-results.model.js';

const it = suite('holdout results model');

const results = (over: Partial<HoldoutResults['holdout']> = {}): HoldoutResults => ({
  holdout: {
    key: 'long_run',
    name: null,
    status: 'active',
    share: 0.1,
    experiment_keys: [],
    all_experiments: true,
    ...over,
  },
  window_days: 7,
  window_start: null,
  window_end: null,
  computed_at: null,
  control: 'holdout',
  assignments: [
    { variant: 'holdout', assigned_users: 10, expected_share: 0.1 },
    { variant: 'exposed', assigned_users: 90, expected_share: 0.9 },
  ],
  sample_ratio: sampleRatioMismatch([10, 90], [0.1, 0.9]),
  metrics: [],
});

it('the arms become the variants, weighted by the share, the holdout the experiment', () => {
  const shown = asExperimentResults(results());
  assert.equal(shown.experiment, {
    key: 'long_run',
    name: 'Holdout long_run',
    status: 'running',
    coverage: 1,
    variants: [
      { key: 'holdout', weight: 0.1 },
      { key: 'exposed', weight: 0.9 },
    ],
  });
  assert.is(shown.control, 'holdout');
  assert.equal(
    shown.exposures.map((e) => e.exposed_users),
    [10, 90],
  );
});

it('a named, archived holdout keeps its name and shows as archived', () => {
  const shown = asExperimentResults(results({ name: 'Long run', status: 'archived' }));
  assert.is(shown.experiment.name, 'Long run');
  assert.is(shown.experiment.status, 'archived');
});

it.run();
