/**
 * The daily job: per UTC day × event name (plus '$all' for all events), events and distinct users. A full run
 * rewrites every day of the window; an incremental run only the days that changed since the watermark: days of
 * events received since then (late events re-open their day) and days that entered the window.
 */
import type { SqlValue } from '../storage/raw-query.js';
import { DAY_MS, isoDay, unlessLoadTestUser, type JobRun, type JobRunResult } from './job-run.js';

/**
 * A plain SELECT, so the planner may read the events with parallel workers (it never does for an INSERT … SELECT):
 * events per (day, name, user) and per (day, user), each one hash aggregate, then counted; count(distinct user_id)
 * under grouping sets sorted every event of the window instead. The few rows are then inserted (INSERT_ROWS).
 * Params of `where`, twice.
 */
const dailyRows = (where: string) => `
select day::text as day, name as event_name, sum(n) as events, count(*) as unique_users
  from (select (occurred_at at time zone 'UTC')::date as day, name, user_id, count(*) as n
          from event_logs where ${where} group by 1, 2, 3) per_user
 group by 1, 2
union all
select day::text, '$all', sum(n), count(*)
  from (select (occurred_at at time zone 'UTC')::date as day, user_id, count(*) as n
          from event_logs where ${where} group by 1, 2) per_day_user
 group by 1`;

/** Params: start, end, include load-test users. */
const WINDOW_EVENTS = `occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz and ${unlessLoadTestUser('user_id')}`;

/** Params: run id, rows (jsonb array of dailyRows' rows). */
const INSERT_ROWS = `
insert into daily_metric_rollups (day, event_name, events, unique_users, run_id)
select day, event_name, events, unique_users, ?::bigint
  from jsonb_to_recordset(?::jsonb) as r (day date, event_name varchar(128), events bigint, unique_users bigint)`;

/** Params: start day, end day. */
const DAILY_WINDOW_DELETE = `delete from daily_metric_rollups where day >= ?::date and day < ?::date`;

/**
 * The same rows for a list of days (a jsonb array of 'YYYY-MM-DD'): one range of the occurred_at index from the
 * first listed day to the end of the last (the changed days are mostly the latest ones), keeping the listed days.
 * Params: first day, day after the last, include load-test users, days.
 */
const LISTED_DAYS_EVENTS = `occurred_at >= ?::date::timestamp at time zone 'UTC'
   and occurred_at < ?::date::timestamp at time zone 'UTC' and ${unlessLoadTestUser('user_id')}
   and (occurred_at at time zone 'UTC')::date in (select value::date from jsonb_array_elements_text(?::jsonb))`;

/** Params: days (jsonb array). */
const DAILY_DAYS_DELETE = `delete from daily_metric_rollups
 where day in (select value::date from jsonb_array_elements_text(?::jsonb))`;

/** UTC days of events received at or after a time, inside the window. Params: received since, start, end, lt. */
const CHANGED_DAYS = `
select distinct to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day
  from event_logs
 where received_at >= ?::timestamptz and occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz
   and ${unlessLoadTestUser('user_id')}`;

/** Computes the rows of the events `where` keeps, then writes them; returns how many. */
async function writeRows({ query, runId }: JobRun, where: string, params: SqlValue[]): Promise<number> {
  const rows = await query(dailyRows(where), [...params, ...params]);
  if (rows.length > 0) await query(INSERT_ROWS, [runId, JSON.stringify(rows)]);
  return rows.length;
}

export async function runDailyJob(run: JobRun): Promise<JobRunResult> {
  const { query, window, includeLoadTestUsers: lt, previous } = run;
  const { start, end } = window;
  if (!previous) {
    await query(DAILY_WINDOW_DELETE, [isoDay(start.getTime()), isoDay(end.getTime())]);
    return { mode: 'full', rows: await writeRows(run, WINDOW_EVENTS, [start, end, lt]) };
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
  const rows = await writeRows(run, LISTED_DAYS_EVENTS, [first, afterLast, lt, list]);
  return { mode: 'incremental', rows, recomputed: days.size };
}
