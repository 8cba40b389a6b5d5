import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FunnelReport } from '@ab-calicritters/core';
import { funnelBars, overallConversion } from './funnel.model.js';

const report: FunnelReport = {
  funnel: { name: 'core', steps: ['open', 'tutorial', 'buy'], conversion_window_hours: 72 },
  window_days: 7,
  window_start: '2026-03-04T00:00:00.000Z',
  window_end: '2026-03-11T00:00:00.000Z',
  steps: [
    { step_index: 0, step_name: 'open', users: 200, conversion_from_previous: null, conversion_from_start: null },
    { step_index: 1, step_name: 'tutorial', users: 150, conversion_from_previous: 0.75, conversion_from_start: 0.75 },
    { step_index: 2, step_name: 'buy', users: 30, conversion_from_previous: 0.2, conversion_from_start: 0.15 },
  ],
  days: [],
};

const it = suite('funnel model');

it('bars are sized against the first step and count who dropped off between steps', () => {
  assert.equal(
    funnelBars(report).map((b) => [b.name, b.users, b.width, b.fromPrevious, b.fromStart, b.droppedUsers]),
    [
      ['open', 200, 100, null, 1, 0],
      ['tutorial', 150, 75, 0.75, 0.75, 50],
      ['buy', 30, 15, 0.2, 0.15, 120],
    ],
  );
  assert.is(overallConversion(report), 0.15);
});

it('a funnel nobody entered has zero-width bars and no overall conversion', () => {
  const empty = {
    ...report,
    steps: report.steps.map((s) => ({ ...s, users: 0, conversion_from_previous: null, conversion_from_start: null })),
  };
  assert.equal(
    funnelBars(empty).map((b) => b.width),
    [0, 0, 0],
  );
  assert.is(overallConversion(empty), null);
});

it.run();
