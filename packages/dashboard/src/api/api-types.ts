/**
 * The dashboard's own response shapes. Everything else comes from core, shared with the server that produces it.
 */
import type {
  DailyMetrics,
  ExperimentList,
  ExperimentResults,
  FunnelList,
  FunnelReport,
  LoadTestComparison,
  LoadTestLatest,
  LoadTestRunDetail,
} from '@ab-calicritters/core';

/** `GET /v1/metrics/load-tests/runs`. */
export interface LoadTestRunList {
  runs: LoadTestRunDetail[];
}

/** The rollup jobs, in the order the status lists them. */
export type RollupJobName = 'daily' | 'experiments' | 'funnels' | 'metrics';

/** One job in `GET /v1/metrics/rollups/status`: its newest finished run and its newest success. */
export interface RollupJobStatus {
  job: RollupJobName;
  /** Start of the newest finished run; null: the job never ran. */
  last_run_at: string | null;
  last_status: 'succeeded' | 'failed' | null;
  last_duration_ms: number | null;
  last_error: string | null;
  /** Days the newest run recomputed. */
  last_window_days: number | null;
  /** End of the newest successful run; null: never succeeded. */
  last_success_at: string | null;
  /** Seconds from `last_success_at` to the server's `now`; null: never succeeded. */
  lag_seconds: number | null;
}

/** `GET /v1/metrics/rollups/status`: how fresh each rollup job is, by the server's clock. */
export interface RollupStatus {
  now: string;
  /** The round this server is running, if any. */
  running: { jobs: RollupJobName[]; window_days: number; started_at: string } | null;
  jobs: RollupJobStatus[];
}

/** Every endpoint's response, by method name of {@link DashboardApi}. */
export interface DashboardResponses {
  daily: DailyMetrics;
  experiments: ExperimentList;
  experiment: ExperimentResults;
  funnels: FunnelList;
  funnel: FunnelReport;
  loadTestRuns: LoadTestRunList;
  loadTestLatest: LoadTestLatest;
  loadTestCompare: LoadTestComparison;
  rollupStatus: RollupStatus;
}
