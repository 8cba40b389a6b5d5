/** `@ab-calicritters/dashboard/api`: the typed client for the dashboard endpoints, without any component. */
export { createDashboardApi } from './api-client.js';
export type { DashboardApi, DashboardApiOptions, TokenProvider } from './api-client.js';
export { DashboardApiError, isDashboardApiError, describeApiError } from './api-error.js';
export type { DashboardApiErrorKind } from './api-error.js';
export type { LoadTestRunList, DashboardResponses } from './api-types.js';
/** The response shapes, from core (shared with the server). */
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
