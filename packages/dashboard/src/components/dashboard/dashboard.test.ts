import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExperimentList, ExperimentSummary, FunnelList, FunnelReport } from '@ab-calicritters/core';
import {
  currentExperiment,
  experimentRows,
  funnelRows,
  isDashboardTab,
  listPanel,
  tabForKey,
  windowChoiceLabel,
  windowChoices,
} from './dashboard.model.js';

function experiment(
  key: string,
  users: number[],
  sample: { srm: boolean; p_value: number | null },
  extra: Partial<ExperimentSummary> = {},
): ExperimentSummary {
  const assignments = users.map((n, i) => ({
    variant: i === 0 ? 'control' : `v${i}`,
    assigned_users: n,
    expected_share: 1 / users.length,
  }));
  return {
    key,
    name: null,
    status: 'running',
    assignments,
    exposures: assignments.map(({ variant, assigned_users, expected_share }) => ({
      variant,
      exposed_users: assigned_users,
      expected_share,
    })),
    sample_ratio: { chi_square: null, degrees_of_freedom: users.length - 1, p_value: sample.p_value, srm: sample.srm },
    computed_at: null,
    ...extra,
  } as ExperimentSummary;
}

function funnel(name: string, users: number[]): FunnelReport {
  return {
    funnel: { name, steps: users.map((_, i) => `step_${i}`), conversion_window_hours: 72 },
    window_days: 7,
    window_start: '2026-03-04T00:00:00.000Z',
    window_end: '2026-03-11T00:00:00.000Z',
    steps: users.map((n, i) => ({
      step_index: i,
      step_name: `step_${i}`,
      users: n,
      conversion_from_previous: null,
      conversion_from_start: null,
    })),
    days: [],
  };
}

const it = suite('dashboard model');

it('arrow keys move between tabs and wrap around; Home and End jump', () => {
  assert.is(tabForKey('overview', 'ArrowRight'), 'experiments');
  assert.is(tabForKey('manage', 'ArrowRight'), 'overview');
  assert.is(tabForKey('overview', 'ArrowLeft'), 'manage');
  assert.is(tabForKey('funnels', 'Home'), 'overview');
  assert.is(tabForKey('overview', 'End'), 'manage');
  assert.is(tabForKey('overview', 'a'), undefined);
});

it('only the five tab ids are tabs', () => {
  assert.ok(isDashboardTab('funnels'));
  assert.ok(isDashboardTab('manage'));
  assert.not.ok(isDashboardTab('settings'));
});

it('the window selector offers the standard windows and keeps an unusual current one in order', () => {
  assert.equal(windowChoices(7), [1, 7, 14, 30, 90]);
  assert.equal(windowChoices(21), [1, 7, 14, 21, 30, 90]);
  assert.is(windowChoiceLabel(1), 'Today');
  assert.is(windowChoiceLabel(30), 'Last 30 days');
});

it('the Experiments tab opens the chosen experiment, or the first when the choice is not in the list', () => {
  const list = [
    experiment('a', [10], { srm: false, p_value: null }),
    experiment('b', [10], { srm: false, p_value: null }),
  ];
  assert.is(currentExperiment(list, 'b'), 'b');
  assert.is(currentExperiment(list, 'gone'), 'a');
  assert.is(currentExperiment(list, ''), 'a');
  assert.is(currentExperiment([], 'b'), '');
});

it('a list panel shows the failure first, a spinner before the first answer, then empty or ready', () => {
  assert.is(listPanel('error', true, 3), 'error');
  assert.is(listPanel('loading', false, 0), 'loading');
  assert.is(listPanel('loading', true, 2), 'ready', 'a reload keeps the loaded list');
  assert.is(listPanel('ready', true, 0), 'empty');
  assert.is(listPanel('ready', true, 1), 'ready');
});

it('experiment rows add the assigned users of every variant and read the split check', () => {
  const list: ExperimentList = {
    window_days: 7,
    experiments: [
      experiment('paywall', [120, 118, 121], { srm: false, p_value: 0.97 }, { name: 'Paywall copy' }),
      experiment('icon', [300, 180], { srm: true, p_value: 0.0001 }, { status: 'stopped' }),
      experiment('fresh', [0, 0], { srm: false, p_value: null }),
    ],
  };
  assert.equal(
    experimentRows(list).map((r) => [r.key, r.label, r.running, r.assignedUsers, r.split]),
    [
      ['paywall', 'Paywall copy', true, 359, 'as_configured'],
      ['icon', 'icon', false, 480, 'mismatch'],
      ['fresh', 'fresh', true, 0, 'unknown'],
    ],
  );
  assert.equal(experimentRows(undefined), []);
});

it('funnel rows count entrants and the share who finished, none without entrants', () => {
  const list: FunnelList = { window_days: 7, funnels: [funnel('core', [200, 150, 30]), funnel('quiet', [0, 0])] };
  assert.equal(
    funnelRows(list).map((r) => [r.name, r.steps, r.entered, r.completed]),
    [
      ['core', 3, 200, 0.15],
      ['quiet', 2, 0, null],
    ],
  );
});

it('an experiment whose window was never computed is marked so, not counted as 0 assigned users', () => {
  const rows = experimentRows({
    window_days: 90,
    experiments: [
      experiment('computed', [0, 0], { srm: false, p_value: null }, { computed_at: '2026-03-10T02:00:00.000Z' }),
      experiment('never', [0, 0], { srm: false, p_value: null }),
    ],
  });
  assert.equal(
    rows.map((r) => [r.key, r.computed]),
    [
      ['computed', true],
      ['never', false],
    ],
  );
});

it.run();
