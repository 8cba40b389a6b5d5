import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DailyMetrics } from '@ab-calicritters/core';
import { dailyChart, PARTIAL_DASH } from './daily-metrics.chart.js';
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
  assert.equal(dailySeries(data, Date.parse('2026-03-12T08:00:00Z')), [
    { day: '2026-03-08', events: 10, uniqueUsers: 4, partial: false },
    { day: '2026-03-09', events: 0, uniqueUsers: 0, partial: false },
    { day: '2026-03-10', events: 30, uniqueUsers: 9, partial: false },
  ]);
});

it('the day that is still going on (today, UTC) is marked partial, and only that one', () => {
  const series = dailySeries(data, Date.parse('2026-03-10T09:30:00Z'));
  assert.equal(
    series.map((p) => p.partial),
    [false, false, true],
  );
});

it('the chart never overshoots its points and dashes the segment into a partial day', () => {
  const theme = { series: ['#5b5bd6', '#1ea3b8'], text: '#000', grid: '#eee', font: 'sans-serif' };
  const config = dailyChart(theme, (index) => index === 2);
  for (const dataset of config.data.datasets) {
    // Monotone cubic interpolation (or straight lines) cannot overshoot; a plain tension curve can.
    assert.ok(dataset.cubicInterpolationMode === 'monotone' || !dataset.tension, `${dataset.label}: no overshoot`);
    const segment = dataset.segment as { borderDash: (ctx: { p1DataIndex: number }) => number[] | undefined };
    const dash = segment.borderDash;
    assert.equal(dash({ p1DataIndex: 2 }), PARTIAL_DASH, `${dataset.label}: segment into today dashed`);
    assert.is(dash({ p1DataIndex: 1 }), undefined, `${dataset.label}: whole days solid`);
  }
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
