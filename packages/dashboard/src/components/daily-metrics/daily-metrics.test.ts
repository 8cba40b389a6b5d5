import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DailyMetrics } from '@ab-calicritters/core';
import { dailyHeadlines, dailySeries } from './daily-metrics.model.js';

const data: DailyMetrics = {
  window_days: 3,
  window_start: '2026-03-08T00:00:00.000Z',
  window_end: '2026-03-11T00:00:00.000Z',
  last_rollup_at: null,
  days: [
    { day: '2026-03-08', events: 10, unique_users: 4 },
    { day: '2026-03-10', events: 30, unique_users: 9 },
  ],
  events_by_name: [],
  top_events: [{ event_name: 'app_open', events: 40, peak_daily_users: 9 }],
};

const it = suite('daily-metrics model');

it('the series has every day of the window, quiet days as zero', () => {
  assert.equal(dailySeries(data), [
    { day: '2026-03-08', events: 10, uniqueUsers: 4 },
    { day: '2026-03-09', events: 0, uniqueUsers: 0 },
    { day: '2026-03-10', events: 30, uniqueUsers: 9 },
  ]);
});

it('headlines total the window and average over all of its days', () => {
  assert.equal(dailyHeadlines(data), {
    totalEvents: 40,
    averageDailyUsers: 13 / 3,
    peakDailyUsers: 9,
    peakDay: '2026-03-10',
    eventTypes: 1,
  });
});

it.run();
