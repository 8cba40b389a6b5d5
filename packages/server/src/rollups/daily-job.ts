/**
 * The daily job: per UTC day × event name (plus '$all' for all events), events and distinct users. A full run
 * rewrites every day of the window; an incremental run only the days that changed since the watermark: days of
 * events received since then (late events re-open their day) and days that entered the window.
 */
import { DAY_MS, isoDay, unlessLoadTestUser, type JobRun, type JobRunResult } from './job-run.js';

/** Params: run id, start, end, include load-test users. */
const DAILY_WINDOW = `
insert into daily_metric_rollups (day, event_name, events, unique_users, run_id)
select day, coalesce(name, '$all'), count(*), count(distinct user_id), ?::bigint
  from (select (occurred_at at time zone 'UTC')::date as day, name, user_id
          from event_logs
         where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz and ${unlessLoadTestUser('user_id')}) e
 group by grouping sets ((day, name), (day))`;

/** Params: start day, end day. */
const DAILY_WINDOW_DELETE = `delete from daily_metric_rollups where day >= ?::date and day < ?::date`;

/**
 * The same rows for a list of days (a jsonb array of 'YYYY-MM-DD'): one range of the occurred_at index from the
 * first listed day to the end of the last (the changed days are mostly the latest ones), keeping the listed days.
 * Params: run id, first day, day after the last, days, include load-test users.
 */
const DAILY_DAYS = `
insert into daily_metric_rollups (day, event_name, events, unique_users, run_id)
select day, coalesce(name, '$all'), count(*), count(distinct user_id), ?::bigint
  from (select (occurred_at at time zone 'UTC')::date as day, name, user_id
          from event_logs
         where occurred_at >= ?::date::timestamp at time zone 'UTC' and occurred_at < ?::date::timestamp at time zone 'UTC'
           and ${unlessLoadTestUser('user_id')}) e
 where day in (select value::date from jsonb_array_elements_text(?::jsonb))
 group by grouping sets ((day, name), (day))`;

/** Params: days (jsonb array). */
const DAILY_DAYS_DELETE = `delete from daily_metric_rollups
 where day in (select value::date from jsonb_array_elements_text(?::jsonb))`;

/** UTC days of events received at or after a time, inside the window. Params: received since, start, end, lt. */
const CHANGED_DAYS = `
select distinct to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day
  from event_logs
 where received_at >= ?::timestamptz and occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz
   and ${unlessLoadTestUser('user_id')}`;

export async function runDailyJob(run: JobRun): Promise<JobRunResult> {
  const { query, window, runId, includeLoadTestUsers: lt, previous } = run;
  const { start, end } = window;
  if (!previous) {
    await query(DAILY_WINDOW_DELETE, [isoDay(start.getTime()), isoDay(end.getTime())]);
    return { mode: 'full', rows: await run.countRows(DAILY_WINDOW, [runId, start, end, lt]) };
  }
  const changed = await query<{ day: string }>(CHANGED_DAYS, [previous.mark, start, end, lt]);
  const days = new Set(changed.map((r) => r.day));
  // Days that entered the window since the last run (its end moved forward).
  for (let t = Math.max(previous.windowEnd.getTime(), start.getTime()); t < end.getTime(); t += DAY_MS)
    days.add(isoDay(t));
  if (days.size === 0) return { mode: 'incremental', rows: 0, recomputed: 0 };
  const sorted = [...days].sort();
  const list = JSON.stringify(sorted);
  const first = sorted[0] as string;
  const afterLast = isoDay(Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`) + DAY_MS);
  await query(DAILY_DAYS_DELETE, [list]);
  const rows = await run.countRows(DAILY_DAYS, [runId, first, afterLast, lt, list]);
  return { mode: 'incremental', rows, recomputed: days.size };
}
