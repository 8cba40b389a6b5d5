/**
 * Wire shapes of the token-protected metrics endpoints, as the dashboard reads them (snake_case, as sent).
 * The shapes themselves live in core, shared with the server that produces them.
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

export type {
  DailyMetrics,
  ExperimentList,
  ExperimentResults,
  ExperimentSummary,
  FunnelList,
  FunnelReport,
  MetricResult,
  ArmSummary,
  ComparisonResult,
  LoadTestComparison,
  LoadTestDataCheck,
  LoadTestDataCheckDelta,
  LoadTestEndpointDelta,
  LoadTestEndpointMetrics,
  LoadTestLatest,
  LoadTestRun,
  LoadTestRunDetail,
  SampleRatioResult,
  VariantComparison,
} from '@ab-calicritters/core';

/** `GET /v1/metrics/load-tests/runs`. */
export interface LoadTestRunList {
  runs: LoadTestRunDetail[];
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
}
