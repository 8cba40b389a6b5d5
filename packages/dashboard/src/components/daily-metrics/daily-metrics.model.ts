/** What `<abc-daily-metrics>` shows: every day of the window (zeros where nothing happened) and headline figures. */
import type { DailyMetrics } from '@ab-calicritters/core';

const DAY_MS = 86_400_000;

export interface DayPoint {
  day: string;
  events: number;
  uniqueUsers: number;
  /** The day is still going on at `now` (today, UTC): its counts are partial and will grow. */
  partial: boolean;
}

/**
 * One point per UTC day from `window_start` up to `window_end` (exclusive); days without rows count zero. The day
 * that contains `now` is marked partial.
 */
export function dailySeries(data: DailyMetrics, now: number = Date.now()): DayPoint[] {
  const partial = (day: string) => {
    const start = Date.parse(`${day}T00:00:00.000Z`);
    return start <= now && now < start + DAY_MS;
  };
  const byDay = new Map(data.days.map((d) => [d.day.slice(0, 10), d]));
  const start = Date.parse(data.window_start);
  const end = Date.parse(data.window_end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    return data.days.map((d) => ({
      day: d.day.slice(0, 10),
      events: d.events,
      uniqueUsers: d.unique_users,
      partial: partial(d.day.slice(0, 10)),
    }));
  }
  const points: DayPoint[] = [];
  for (let t = start; t < end && points.length < 400; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const row = byDay.get(day);
    points.push({ day, events: row?.events ?? 0, uniqueUsers: row?.unique_users ?? 0, partial: partial(day) });
  }
  return points;
}

export interface DailyHeadlines {
  totalEvents: number;
  averageDailyUsers: number;
  peakDailyUsers: number;
  peakDay: string | null;
  eventTypes: number;
}

/** Totals over the window; the average counts every day of the window, quiet days too. */
export function dailyHeadlines(data: DailyMetrics, series: readonly DayPoint[] = dailySeries(data)): DailyHeadlines {
  let peak: DayPoint | undefined;
  for (const p of series) if (!peak || p.uniqueUsers > peak.uniqueUsers) peak = p;
  const users = series.reduce((sum, p) => sum + p.uniqueUsers, 0);
  return {
    totalEvents: series.reduce((sum, p) => sum + p.events, 0),
    averageDailyUsers: series.length > 0 ? users / series.length : 0,
    peakDailyUsers: peak?.uniqueUsers ?? 0,
    peakDay: peak && peak.uniqueUsers > 0 ? peak.day : null,
    eventTypes: data.top_events.length,
  };
}
