/**
 * Stored load-test runs, their endpoint metrics and data checks. Parameterised SQL rather than entities: rows are
 * written once per run in bulk (one jsonb parameter per list) and read back as wire objects, so a unit of work and
 * entity mapping would only add a copy.
 */
import type { EntityManager } from '@mikro-orm/core';
import {
  LOAD_TEST_USER_PREFIX,
  type LoadTestDataCheck,
  type LoadTestEndpointMetrics,
  type LoadTestPhase,
  type LoadTestRun,
  type LoadTestRunDetail,
  type LoadTestScenario,
  type LoadTestStatus,
} from '@ab-calicritters/core';
import { createLoadTestCheckQueries } from './load-test-check-queries.js';
import { rawQuery } from './raw-query.js';

/** What starting a run records; the id and `started_at` default in the database when absent. */
export interface NewLoadTestRun {
  name: string;
  scenario: LoadTestScenario;
  phase: LoadTestPhase;
  target: string;
  tags?: Record<string, string>;
  config?: Record<string, unknown>;
  started_at?: Date;
}

/** What a cleanup deleted (or, on a dry run, would delete). */
export interface LoadTestCleanup {
  assignments: number;
  events: number;
  runs: number;
}

/** What finishing a run records. */
export interface LoadTestRunEnd {
  status: Exclude<LoadTestStatus, 'running'>;
  started_at?: Date;
  ended_at: Date;
  duration_ms: number;
  config?: Record<string, unknown>;
  artifact_path?: string | null;
  error?: string | null;
}

/** Filters for {@link LoadTestStore.latest}. */
export interface LoadTestRunFilter {
  phase?: LoadTestPhase;
  scenario?: LoadTestScenario;
  name?: string;
  /** Only runs in this status (default: any). */
  status?: LoadTestStatus;
}

const RUN_COLUMNS = `id::text as id, name, scenario, phase, status, target, tags, config, started_at, ended_at,
  duration_ms, artifact_path, error`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string shaped like a run id (a UUID). */
export function isLoadTestRunId(value: string): boolean {
  return UUID.test(value);
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

function toRun(row: Record<string, unknown>): LoadTestRun {
  return {
    id: String(row.id),
    name: String(row.name),
    scenario: row.scenario as LoadTestScenario,
    phase: row.phase as LoadTestPhase,
    status: row.status as LoadTestStatus,
    target: String(row.target),
    tags: json<Record<string, string>>(row.tags) ?? {},
    config: json<Record<string, unknown>>(row.config) ?? {},
    started_at: iso(row.started_at),
    ended_at: row.ended_at == null ? null : iso(row.ended_at),
    duration_ms: row.duration_ms == null ? null : Number(row.duration_ms),
    artifact_path: (row.artifact_path as string | null) ?? null,
    error: (row.error as string | null) ?? null,
  };
}

const METRIC_NUMBERS = [
  'requests',
  'rps',
  'status_2xx',
  'status_4xx',
  'status_5xx',
  'timeouts',
  'transport_errors',
  'error_rate',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'latency_max_ms',
  'latency_mean_ms',
] as const;

function toMetrics(row: Record<string, unknown>): LoadTestEndpointMetrics {
  const metrics = { endpoint: String(row.endpoint) } as LoadTestEndpointMetrics;
  // bigint columns arrive as strings from pg; every figure here is well inside Number's exact range.
  for (const key of METRIC_NUMBERS) metrics[key] = Number(row[key]);
  return metrics;
}

function toCheck(row: Record<string, unknown>): LoadTestDataCheck {
  return {
    name: String(row.name),
    passed: Boolean(row.passed),
    violations: Number(row.violations),
    checked: Number(row.checked),
    details: json<Record<string, unknown>>(row.details) ?? {},
  };
}

/** The `storage.loadTests` facade over the three load-test tables. */
export function createLoadTestStore(fork: () => EntityManager) {
  const query = <T = Record<string, unknown>>(
    sql: string,
    params: Array<string | number | boolean | null | Date> = [],
  ) => rawQuery<T>(fork(), sql, params);

  async function detail(runs: LoadTestRun[]): Promise<LoadTestRunDetail[]> {
    if (runs.length === 0) return [];
    const ids = JSON.stringify(runs.map((r) => r.id));
    const [metrics, checks] = await Promise.all([
      query(
        `select m.*, m.run_id::text as run_id from load_test_endpoint_metrics m
          where m.run_id in (select jsonb_array_elements_text(?::jsonb)::uuid) order by m.run_id, m.endpoint`,
        [ids],
      ),
      query(
        `select c.*, c.run_id::text as run_id from load_test_data_checks c
          where c.run_id in (select jsonb_array_elements_text(?::jsonb)::uuid) order by c.run_id, c.name`,
        [ids],
      ),
    ]);
    return runs.map((run) => ({
      ...run,
      endpoints: metrics.filter((m) => m.run_id === run.id).map(toMetrics),
      data_checks: checks.filter((c) => c.run_id === run.id).map(toCheck),
    }));
  }

  /** One run without its metrics; null for an unknown or malformed id. */
  async function getRun(id: string): Promise<LoadTestRun | null> {
    if (!isLoadTestRunId(id)) return null;
    const [row] = await query(`select ${RUN_COLUMNS} from load_test_runs where id = ?::uuid`, [id]);
    return row ? toRun(row) : null;
  }

  return {
    /** Records the start of a run (status `running`). */
    async createRun(input: NewLoadTestRun): Promise<LoadTestRun> {
      const [row] = await query(
        `insert into load_test_runs (name, scenario, phase, target, tags, config, started_at)
         values (?, ?, ?, ?, ?::jsonb, ?::jsonb, coalesce(?::timestamptz, now()))
         returning ${RUN_COLUMNS}`,
        [
          input.name,
          input.scenario,
          input.phase,
          input.target,
          JSON.stringify(input.tags ?? {}),
          JSON.stringify(input.config ?? {}),
          input.started_at ?? null,
        ],
      );
      return toRun(row as Record<string, unknown>);
    },

    /** Records how a run ended; `config` is merged into the stored one. Null when the id does not exist. */
    async finishRun(id: string, end: LoadTestRunEnd): Promise<LoadTestRun | null> {
      const [row] = await query(
        `update load_test_runs
            set status = ?, started_at = coalesce(?::timestamptz, started_at), ended_at = ?, duration_ms = ?,
                config = config || ?::jsonb, artifact_path = coalesce(?, artifact_path), error = ?
          where id = ?::uuid
          returning ${RUN_COLUMNS}`,
        [
          end.status,
          end.started_at ?? null,
          end.ended_at,
          Math.round(end.duration_ms),
          JSON.stringify(end.config ?? {}),
          end.artifact_path ?? null,
          end.error ?? null,
          id,
        ],
      );
      return row ? toRun(row) : null;
    },

    /** Sets where the run's artifacts were written. */
    async setArtifactPath(id: string, artifactPath: string): Promise<void> {
      await query(`update load_test_runs set artifact_path = ? where id = ?::uuid`, [artifactPath, id]);
    },

    /** Stores (or rewrites) the endpoint metrics of a run. */
    async saveEndpointMetrics(runId: string, metrics: readonly LoadTestEndpointMetrics[]): Promise<void> {
      if (metrics.length === 0) return;
      await query(
        `insert into load_test_endpoint_metrics (run_id, ${['endpoint', ...METRIC_NUMBERS].join(', ')})
         select ?::uuid, m.* from jsonb_to_recordset(?::jsonb) as m(
           endpoint text, requests bigint, rps double precision, status_2xx bigint, status_4xx bigint,
           status_5xx bigint, timeouts bigint, transport_errors bigint, error_rate double precision,
           latency_p50_ms double precision, latency_p95_ms double precision, latency_p99_ms double precision,
           latency_max_ms double precision, latency_mean_ms double precision)
         on conflict (run_id, endpoint) do update set
           ${METRIC_NUMBERS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
        [runId, JSON.stringify(metrics)],
      );
    },

    /** Stores (or rewrites) the data checks of a run. */
    async saveDataChecks(runId: string, checks: readonly LoadTestDataCheck[]): Promise<void> {
      if (checks.length === 0) return;
      await query(
        `insert into load_test_data_checks (run_id, name, passed, violations, checked, details)
         select ?::uuid, c.name, c.passed, c.violations, c.checked, coalesce(c.details, '{}'::jsonb)
           from jsonb_to_recordset(?::jsonb) as c(name text, passed boolean, violations bigint, checked bigint, details jsonb)
         on conflict (run_id, name) do update set passed = excluded.passed, violations = excluded.violations,
           checked = excluded.checked, details = excluded.details, checked_at = now()`,
        [runId, JSON.stringify(checks)],
      );
    },

    getRun,

    /** One run with its endpoint metrics and data checks; null for an unknown or malformed id. */
    async getRunDetail(id: string): Promise<LoadTestRunDetail | null> {
      const run = await getRun(id);
      return run ? ((await detail([run]))[0] ?? null) : null;
    },

    /** Newest runs first, with their metrics and checks. */
    async listRuns(limit = 20): Promise<LoadTestRunDetail[]> {
      const rows = await query(`select ${RUN_COLUMNS} from load_test_runs order by started_at desc, id limit ?`, [
        Math.max(1, Math.floor(limit)),
      ]);
      return detail(rows.map(toRun));
    },

    /** The newest run matching every given filter, with metrics and checks; null when there is none. */
    async latest(filter: LoadTestRunFilter = {}): Promise<LoadTestRunDetail | null> {
      const rows = await query(
        `select ${RUN_COLUMNS} from load_test_runs
          where (?::text is null or phase = ?) and (?::text is null or scenario = ?)
            and (?::text is null or name = ?) and (?::text is null or status = ?)
          order by started_at desc, id limit 1`,
        [
          filter.phase ?? null,
          filter.phase ?? null,
          filter.scenario ?? null,
          filter.scenario ?? null,
          filter.name ?? null,
          filter.name ?? null,
          filter.status ?? null,
          filter.status ?? null,
        ],
      );
      return rows[0] ? ((await detail([toRun(rows[0])]))[0] ?? null) : null;
    },

    /**
     * Deletes what load runs left behind: the assignments and events of load-test users (user ids starting with
     * core's `LOAD_TEST_USER_PREFIX`) and, with `runs`, the recorded runs with their metrics and checks. With `dryRun`
     * it only counts. One statement, so a cleanup is all or nothing.
     */
    async cleanup(options: { dryRun?: boolean; runs?: boolean } = {}): Promise<LoadTestCleanup> {
      const prefix = LOAD_TEST_USER_PREFIX;
      const runs = options.runs === true;
      const sql = options.dryRun
        ? `select (select count(*) from assignments where starts_with(user_id, ?)) as assignments,
                  (select count(*) from event_logs where starts_with(user_id, ?)) as events,
                  (select count(*) from load_test_runs where ?::boolean) as runs`
        : `with a as (delete from assignments where starts_with(user_id, ?) returning 1),
                e as (delete from event_logs where starts_with(user_id, ?) returning 1),
                r as (delete from load_test_runs where ?::boolean returning 1)
           select (select count(*) from a) as assignments, (select count(*) from e) as events,
                  (select count(*) from r) as runs`;
      const [row] = await query(sql, [prefix, prefix, runs]);
      return {
        assignments: Number(row?.assignments ?? 0),
        events: Number(row?.events ?? 0),
        runs: Number(row?.runs ?? 0),
      };
    },

    /** The queries of the data-consistency checks run after a load test (see runLoadTestChecks). */
    checks: createLoadTestCheckQueries(fork),
  };
}

/** `storage.loadTests`: the load-test runs, their metrics and data checks, and the queries behind the checks. */
export type LoadTestStore = ReturnType<typeof createLoadTestStore>;
