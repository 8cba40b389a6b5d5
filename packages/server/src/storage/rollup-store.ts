/**
 * Reads of the rollup tables (the metrics endpoints read nothing else), and the statement runner of the rollup jobs,
 * whose set-based SQL lives with them in rollups/rollup-sql.ts.
 */
import type { EntityManager } from '@mikro-orm/core';
import { STANDARD_WINDOW_DAYS } from '@ab-calicritters/core';
import { rawQuery, type SqlQuery } from './raw-query.js';
import { inTransaction } from './transaction.js';

export interface DailyRollupRow {
  day: string;
  event_name: string;
  events: number;
  unique_users: number;
}

export interface ExperimentRollupRow {
  variant: string;
  metric: string;
  exposed_users: number;
  converted_users: number;
  value_sum: number;
  value_sum_squares: number;
  window_start: string;
  window_end: string;
  computed_at: string;
}

export interface FunnelRollupRow {
  day: string;
  step_index: number;
  step_name: string;
  users: number;
}

/** The newest finished run of one job, and when the job last succeeded. Times are ISO strings. */
export interface RollupJobRuns {
  job: string;
  last_run: {
    status: 'succeeded' | 'failed';
    started_at: string;
    ended_at: string | null;
    window_start: string;
    window_end: string;
    rows_written: number;
    error: string | null;
    /** `incremental`: the run recomputed only what changed since the job's previous one. */
    mode: 'full' | 'incremental';
  };
  last_success_at: string | null;
}

const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

export function createRollupStore(fork: () => EntityManager) {
  return {
    async daily(startDay: string, endDay: string): Promise<DailyRollupRow[]> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select to_char(day, 'YYYY-MM-DD') as day, event_name, events, unique_users
           from daily_metric_rollups where day >= ?::date and day < ?::date order by day, event_name`,
        [startDay, endDay],
      );
      return rows.map((r) => ({
        day: String(r.day),
        event_name: String(r.event_name),
        events: Number(r.events),
        unique_users: Number(r.unique_users),
      }));
    },

    async experiment(experimentKey: string, windowDays: number): Promise<ExperimentRollupRow[]> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select variant, metric, exposed_users, converted_users, value_sum, value_sum_squares,
                window_start, window_end, computed_at
           from experiment_metric_rollups where experiment_key = ? and window_days = ? order by metric, variant`,
        [experimentKey, windowDays],
      );
      return rows.map((r) => ({
        variant: String(r.variant),
        metric: String(r.metric),
        exposed_users: Number(r.exposed_users),
        converted_users: Number(r.converted_users),
        value_sum: Number(r.value_sum),
        value_sum_squares: Number(r.value_sum_squares),
        window_start: iso(r.window_start),
        window_end: iso(r.window_end),
        computed_at: iso(r.computed_at),
      }));
    },

    /**
     * When the experiments job last computed windows of `windowDays` days, or null when it never has. A run over N
     * days computes N itself and every standard length up to N (see rollups/rollup-sql.ts), so an experiment without
     * rows in a computed window had nobody assigned, while null means the window was never computed.
     */
    async experimentWindowComputedAt(windowDays: number): Promise<string | null> {
      const [row] = await rawQuery<{ at: unknown }>(
        fork(),
        `select max(ended_at) as at from (
           select ended_at, round(extract(epoch from window_end - window_start) / 86400)::int as days
             from rollup_runs where job = 'experiments' and status = 'succeeded') runs
          where days = ?::int or (days >= ?::int and ?::int = any(?::int[]))`,
        [windowDays, windowDays, windowDays, `{${STANDARD_WINDOW_DAYS.join(',')}}`],
      );
      return row?.at ? iso(row.at) : null;
    },

    async funnel(funnelName: string, startDay: string, endDay: string): Promise<FunnelRollupRow[]> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select to_char(day, 'YYYY-MM-DD') as day, step_index, step_name, users
           from funnel_rollups where funnel_name = ? and day >= ?::date and day < ?::date order by day, step_index`,
        [funnelName, startDay, endDay],
      );
      return rows.map((r) => ({
        day: String(r.day),
        step_index: Number(r.step_index),
        step_name: String(r.step_name),
        users: Number(r.users),
      }));
    },

    /** End of the newest successful rollup run, or null. */
    async lastRollupAt(): Promise<string | null> {
      const [row] = await rawQuery<{ at: unknown }>(
        fork(),
        `select max(ended_at) as at from rollup_runs where status = 'succeeded'`,
      );
      return row?.at ? iso(row.at) : null;
    },

    /**
     * Per job that ever ran: its newest finished run and its newest success. A run in progress is invisible here
     * (its row is not committed yet); the caller knows about its own.
     */
    async jobRuns(): Promise<RollupJobRuns[]> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select r.job, r.status, r.started_at, r.ended_at, r.window_start, r.window_end, r.rows_written, r.error,
                r.mode, s.at as last_success_at
           from (select distinct on (job) job, status, started_at, ended_at, window_start, window_end, rows_written,
                        error, mode
                   from rollup_runs where status <> 'running' order by job, started_at desc, id desc) r
           left join (select job, max(ended_at) as at from rollup_runs where status = 'succeeded' group by job) s
             on s.job = r.job
          order by r.job`,
      );
      return rows.map((r) => ({
        job: String(r.job),
        last_run: {
          status: r.status === 'succeeded' ? 'succeeded' : 'failed',
          started_at: iso(r.started_at),
          ended_at: r.ended_at ? iso(r.ended_at) : null,
          window_start: iso(r.window_start),
          window_end: iso(r.window_end),
          rows_written: Number(r.rows_written),
          error: r.error === null || r.error === undefined ? null : String(r.error),
          mode: r.mode === 'incremental' ? 'incremental' : 'full',
        },
        last_success_at: r.last_success_at ? iso(r.last_success_at) : null,
      }));
    },

    /**
     * Runs `work` inside one transaction: every statement of its `query` joins it, and a rejection rolls it back. For
     * the rollup jobs (rollups/), whose SQL is in rollups/rollup-sql.ts.
     */
    transaction<T>(work: (query: SqlQuery) => Promise<T>): Promise<T> {
      return inTransaction(fork(), (trx) => work((sql, params = []) => rawQuery(trx, sql, params)));
    },

    /** Runs one statement of the rollup jobs outside any transaction, on a pooled connection of its own. */
    execute: ((sql, params = []) => rawQuery(fork(), sql, params)) as SqlQuery,
  };
}
