/** `@ab-calicritters/dashboard/api`: the typed clients for the dashboard and admin endpoints, without any component. */
export { createDashboardApi } from './api-client.js';
export type { DashboardApi, DashboardApiOptions, ExperimentQuery, TokenProvider } from './api-client.js';
export { DashboardApiError, isDashboardApiError, describeApiError } from './api-error.js';
export type { DashboardApiErrorKind } from './api-error.js';
export type { LoadTestRunList, DashboardResponses, RollupJobName, RollupJobStatus, RollupStatus } from './api-types.js';
export { createAdminApi } from './admin-api-client.js';
export type { AdminApi, AdminApiOptions, AdminExperiment, AuditEntry, AuditQuery } from './admin-api-client.js';
export { AdminApiError, isAdminApiError, describeAdminError } from './admin-api-error.js';
export type { AdminApiErrorKind, AdminFieldProblem } from './admin-api-error.js';
/** A targeting condition in words (pure; the CLI prints rules with it too). */
export { describeCondition } from '../shared/describe-condition.js';
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
