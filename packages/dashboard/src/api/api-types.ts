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
