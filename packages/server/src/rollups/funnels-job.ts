/**
 * The funnels job: per funnel × entry day × step, users who did the steps in order, each step at or after the
 * previous one and all within conversion_window_hours of the user's first step-one event in the window (their
 * entry). Earliest-next-step matching is optimal for in-order funnels, so the walk (a step at a time, for every user
 * at once) finds every user who could complete a step. Archived funnels are left out and their rows kept for the record.
 *
 * Each user's progress (entry and steps reached) is kept in funnel_user_progress. An incremental run walks again
 * only the (user, funnel) pairs a step event received since the watermark can change — a first step before the
 * user's entry (or without one), or any step within the entry's conversion window — then recounts the (funnel, day)
 * rows their old and new entries fall on. A user's entry depends on the window's start, so a run whose window moved (a new UTC day) is
 * a full run.
 */
import { LIMITS } from '@ab-calicritters/core';
import type { SqlValue } from '../storage/raw-query.js';
import { isoDay, unlessLoadTestUser, type JobRun, type JobRunResult } from './job-run.js';

/** The job's configuration: a change means a full run. Params: window days, include load-test users. */
export const FUNNELS_CONFIG = `
select jsonb_build_object('window_days', ?::int, 'load_test_users', ?::boolean, 'funnels',
       (select coalesce(jsonb_agg(jsonb_build_array(name, steps, conversion_window_hours, archived_at is not null)
                                  order by name), '[]'::jsonb)
          from funnels)) as config`;

const DEFS = `defs as (
  select name, steps, jsonb_array_length(steps) as step_count,
         make_interval(hours => conversion_window_hours) as window_len
    from funnels
   where archived_at is null
)`;

/** Every user's entry: one pass over the window's step-one events. Params: start, end, lt. */
const ENTRY_ALL = `entry as (
  select d.name as funnel_name, l.user_id, min(l.occurred_at) as t0
    from defs d
    join event_logs l on l.name = d.steps ->> 0
   where l.occurred_at >= ?::timestamptz and l.occurred_at < ?::timestamptz and ${unlessLoadTestUser('l.user_id')}
   group by 1, 2
)`;

/** The changed pairs' entries: one index probe each. Params: start, end. */
const ENTRY_CHANGED = `entry as (
  select d.name as funnel_name, c.user_id, first.t0
    from rollup_changed_pairs c
    join defs d on d.name = c.funnel_name
    cross join lateral (
      select min(l.occurred_at) as t0
        from event_logs l
       where l.user_id = c.user_id and l.name = d.steps ->> 0
         and l.occurred_at >= ?::timestamptz and l.occurred_at < ?::timestamptz
    ) first
   where first.t0 is not null
)`;

/** The walk's first rows: every entry as step 0. */
const walkEntries = (entry: string) => `with ${DEFS}, ${entry}
insert into rollup_funnel_walk (funnel_name, user_id, t0, step_index, t)
select funnel_name, user_id, t0, 0, t0 from entry`;

/** The full run's entries. Params: start, end, lt. */
const WALK_ENTRIES_ALL = walkEntries(ENTRY_ALL);

/** The changed pairs' entries. Params: start, end. */
const WALK_ENTRIES_CHANGED = walkEntries(ENTRY_CHANGED);

/**
 * One step of the walk for every user who reached the one before: the earliest event of the next step at or after
 * it, within the entry's conversion window. A step at a time rather than one recursive statement: the planner sees
 * the (analysed) number of walkers, so a full run hash-joins the step's events once instead of probing every day
 * partition per user, and an incremental run's few walkers still probe the index. Params: step, step, step - 1.
 */
const WALK_STEP = `
insert into rollup_funnel_walk (funnel_name, user_id, t0, step_index, t)
select w.funnel_name, w.user_id, w.t0, ?::int, min(l.occurred_at)
  from rollup_funnel_walk w
  join (select name, steps ->> ?::int as step, make_interval(hours => conversion_window_hours) as window_len
          from funnels where archived_at is null) d on d.name = w.funnel_name
  join event_logs l on l.user_id = w.user_id and l.name = d.step
   and l.occurred_at >= w.t and l.occurred_at <= w.t0 + d.window_len
 where w.step_index = ?::int
 group by w.funnel_name, w.user_id, w.t0`;

/**
 * Each walker's progress, in key order: the primary key's inserts then walk its leaves in order (in the hash
 * aggregate's order they took about 1.6× as long at 1M events).
 */
const PROGRESS = `insert into funnel_user_progress (user_id, funnel_name, entered_at, entry_day, steps)
  select user_id, funnel_name, t0, (t0 at time zone 'UTC')::date, max(step_index) + 1
    from rollup_funnel_walk group by user_id, funnel_name, t0
   order by user_id, funnel_name`;

/** The changed pairs' progress; notes the days their entries fall on. */
const PROGRESS_CHANGED = `
with inserted as (${PROGRESS} returning funnel_name, entry_day)
insert into rollup_touched_days (funnel_name, day) select distinct funnel_name, entry_day from inserted
on conflict do nothing`;

const CREATE_TEMPORARY = [
  `create temporary table rollup_changed_pairs (user_id varchar(256) not null, funnel_name varchar(128) not null,
     primary key (user_id, funnel_name)) on commit drop`,
  `create temporary table rollup_touched_days (funnel_name varchar(128) not null, day date not null,
     primary key (funnel_name, day)) on commit drop`,
  `create temporary table rollup_funnel_walk (funnel_name varchar(128) not null, user_id varchar(256) not null,
     t0 timestamptz not null, step_index int not null, t timestamptz not null) on commit drop`,
];

/**
 * The (user, funnel) pairs whose progress a step event received since the watermark can change. Params: mark, lt,
 * start, end.
 */
const FIND_CHANGED_PAIRS = `
with ${DEFS}
insert into rollup_changed_pairs (user_id, funnel_name)
select distinct l.user_id, d.name
  from event_logs l
  join defs d on d.steps @> jsonb_build_array(l.name)
  left join funnel_user_progress p on p.user_id = l.user_id and p.funnel_name = d.name
 where l.received_at >= ?::timestamptz and ${unlessLoadTestUser('l.user_id')}
   and ((l.name = d.steps ->> 0 and l.occurred_at >= ?::timestamptz and l.occurred_at < ?::timestamptz
         and (p.user_id is null or l.occurred_at < p.entered_at))
     or (l.occurred_at >= p.entered_at and l.occurred_at <= p.entered_at + d.window_len))`;

/** Drops the changed pairs' progress, noting the days their entries were on. */
const DROP_CHANGED_PROGRESS = `
with dropped as (
  delete from funnel_user_progress p using rollup_changed_pairs c
   where p.user_id = c.user_id and p.funnel_name = c.funnel_name
  returning p.funnel_name, p.entry_day
)
insert into rollup_touched_days (funnel_name, day) select distinct funnel_name, entry_day from dropped
on conflict do nothing`;

/** Rows of active funnels in the window. Params: start day, end day. */
const DELETE_WINDOW = `delete from funnel_rollups where day >= ?::date and day < ?::date
   and funnel_name not in (select name from funnels where archived_at is not null)`;

const DELETE_TOUCHED = `delete from funnel_rollups r using rollup_touched_days t
 where r.funnel_name = t.funnel_name and r.day = t.day`;

/** Rows from the progress table, of every day or of the touched ones. Params: run id. */
const aggregate = (scope: 'all' | 'touched') => `
insert into funnel_rollups (funnel_name, day, step_index, step_name, users, run_id)
select p.funnel_name, p.entry_day, s.i, f.steps ->> s.i, count(*), ?::bigint
  from funnel_user_progress p
  join funnels f on f.name = p.funnel_name and f.archived_at is null
  cross join lateral generate_series(0, p.steps - 1) as s(i)
  ${
    scope === 'touched'
      ? 'where (p.funnel_name, p.entry_day) in (select funnel_name, day from rollup_touched_days)'
      : ''
  }
 group by p.funnel_name, p.entry_day, s.i, f.steps ->> s.i`;

/** Fills rollup_funnel_walk: the entries, then a step at a time until no walker reaches the next step. */
async function walk({ query, countRows }: JobRun, entries: string, params: SqlValue[]): Promise<void> {
  await query(entries, params);
  await query(`analyze rollup_funnel_walk`);
  for (let step = 1; step < LIMITS.maxFunnelSteps; step++) {
    if ((await countRows(WALK_STEP, [step, step, step - 1])) === 0) return;
    await query(`analyze rollup_funnel_walk`);
  }
}

export async function runFunnelsJob(run: JobRun): Promise<JobRunResult> {
  const { query, window, runId, includeLoadTestUsers: lt, previous } = run;
  const { start, end } = window;
  const sameWindow =
    previous && previous.windowStart.getTime() === start.getTime() && previous.windowEnd.getTime() === end.getTime();
  for (const sql of CREATE_TEMPORARY) await query(sql);
  if (!sameWindow) {
    // Truncate, not delete: no dead rows left for the next full run's inserts; only this job reads the table.
    await query(`truncate funnel_user_progress`);
    await walk(run, WALK_ENTRIES_ALL, [start, end, lt]);
    await query(PROGRESS);
    await query(DELETE_WINDOW, [isoDay(start), isoDay(end)]);
    return { mode: 'full', rows: await run.countRows(aggregate('all'), [runId]) };
  }
  await query(FIND_CHANGED_PAIRS, [previous.mark, lt, start, end]);
  const [changed] = await query<{ n: number | string }>(`select count(*) as n from rollup_changed_pairs`);
  const pairs = Number(changed?.n ?? 0);
  if (pairs === 0) return { mode: 'incremental', rows: 0, recomputed: 0 };
  await query(DROP_CHANGED_PROGRESS);
  await walk(run, WALK_ENTRIES_CHANGED, [start, end]);
  await query(PROGRESS_CHANGED);
  await query(DELETE_TOUCHED);
  return { mode: 'incremental', rows: await run.countRows(aggregate('touched'), [runId]), recomputed: pairs };
}
