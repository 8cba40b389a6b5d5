/** Wire types of stored load-test runs (`/v1/metrics/load-tests/*`, the CLI's JSON artifacts), snake_case. */
import type { LOAD_TEST_SCENARIOS } from './load-test-constants.js';

/** What a run drives: sticky assignment, event batches, or both as an app session does. */
export type LoadTestScenario = (typeof LOAD_TEST_SCENARIOS)[number];

/** Before a change (`baseline`) or after it (`post_mitigation`). */
export type LoadTestPhase = 'baseline' | 'post_mitigation';

export type LoadTestStatus = 'running' | 'completed' | 'failed';

/** One load-test run as stored. */
export interface LoadTestRun {
  id: string;
  name: string;
  scenario: LoadTestScenario;
  phase: LoadTestPhase;
  status: LoadTestStatus;
  target: string;
  tags: Record<string, string>;
  /** Connections, rate, requested duration, users, experiments seen: whatever shaped the run. */
  config: Record<string, unknown>;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  artifact_path: string | null;
  /** Why a run failed (null otherwise). */
  error: string | null;
}

/** Throughput, errors and latency of one endpoint in one run. */
export interface LoadTestEndpointMetrics {
  /** `METHOD /path`, e.g. `POST /v1/assignment`. */
  endpoint: string;
  /** Requests attempted: responses plus transport errors and timeouts. */
  requests: number;
  rps: number;
  status_2xx: number;
  status_4xx: number;
  status_5xx: number;
  timeouts: number;
  transport_errors: number;
  /** (5xx + timeouts + transport errors) / requests. */
  error_rate: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  latency_p99_ms: number;
  latency_max_ms: number;
  latency_mean_ms: number;
}

/** One data-consistency check run after a load test, scoped to that run's rows. */
export interface LoadTestDataCheck {
  /** `duplicate_assignment_rows`, `duplicate_event_ids`, `sticky_conflicts`, `row_presence`, `rollup_overlap`. */
  name: string;
  passed: boolean;
  /** Rows or items that break the rule. */
  violations: number;
  /** Rows or items examined. */
  checked: number;
  details: Record<string, unknown>;
}

/** A run with its endpoint metrics and data checks. */
export interface LoadTestRunDetail extends LoadTestRun {
  endpoints: LoadTestEndpointMetrics[];
  data_checks: LoadTestDataCheck[];
}

/** Candidate minus baseline for one endpoint (null where an endpoint is missing on one side). */
export interface LoadTestEndpointDelta {
  endpoint: string;
  baseline: LoadTestEndpointMetrics | null;
  candidate: LoadTestEndpointMetrics | null;
  rps_delta: number | null;
  /** Relative change, e.g. 0.25 for +25 %; null when the baseline is 0 or missing. */
  rps_change: number | null;
  error_rate_delta: number | null;
  latency_p50_ms_delta: number | null;
  latency_p95_ms_delta: number | null;
  latency_p99_ms_delta: number | null;
  latency_p99_change: number | null;
}

export interface LoadTestDataCheckDelta {
  name: string;
  baseline_passed: boolean | null;
  candidate_passed: boolean | null;
  baseline_violations: number | null;
  candidate_violations: number | null;
  violations_delta: number | null;
  /** `fixed` (failed → passed), `regressed` (passed → failed), `unchanged`, or `added`/`removed`. */
  change: 'fixed' | 'regressed' | 'unchanged' | 'added' | 'removed';
}

/**
 * Why two runs may not be comparable: `different_scenario`, `different_duration` (lengths more than 10 % apart),
 * `different_load` (other `--connections` or `--rate`), `baseline_newer` (the baseline started after the candidate).
 */
export interface LoadTestComparisonWarning {
  code: 'different_scenario' | 'different_duration' | 'different_load' | 'baseline_newer';
  message: string;
}

/** GET /v1/metrics/load-tests/compare and `calicritters loadtest compare --json`. */
export interface LoadTestComparison {
  baseline: LoadTestRun;
  candidate: LoadTestRun;
  endpoints: LoadTestEndpointDelta[];
  data_checks: LoadTestDataCheckDelta[];
  /** Reasons the deltas may mislead; empty when the runs were made alike and in order. */
  warnings: LoadTestComparisonWarning[];
}

/** GET /v1/metrics/load-tests/latest: the newest run of each phase, or null. */
export interface LoadTestLatest {
  baseline: LoadTestRunDetail | null;
  post_mitigation: LoadTestRunDetail | null;
}
