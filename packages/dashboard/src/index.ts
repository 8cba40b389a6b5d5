/**
 * `@ab-calicritters/dashboard`: importing it registers every element (`abc-dashboard`, `abc-daily-metrics`,
 * `abc-experiment-results`, `abc-cumulative-effect`, `abc-funnel`, `abc-benchmarks`, `abc-experiment-manager`, `abc-experiment-editor`,
 * `abc-experiment-history`, `abc-experiment-rules`, `abc-holdout-results`) and
 * exports their classes, the API client and the admin API client.
 */
export { AbcDashboard } from './components/dashboard/dashboard.js';
export type { DashboardData } from './components/dashboard/dashboard.js';
export { AbcDailyMetrics } from './components/daily-metrics/daily-metrics.js';
export { AbcExperimentResults } from './components/experiment-results/experiment-results.js';
export { AbcCumulativeEffect } from './components/cumulative-effect/cumulative-effect.js';
export { AbcHoldoutResults } from './components/holdout-results/holdout-results.js';
export { AbcFunnel } from './components/funnel/funnel.js';
export { AbcBenchmarks } from './components/benchmarks/benchmarks.js';
export type { BenchmarksData } from './components/benchmarks/benchmarks.js';
export { AbcExperimentManager } from './components/experiment-manager/experiment-manager.js';
export { AbcExperimentHistory } from './components/experiment-history/experiment-history.js';
export { AbcExperimentRules } from './components/experiment-rules/experiment-rules.js';
export { AbcExperimentEditor } from './components/experiment-editor/experiment-editor.js';
export { AbcDataElement, DEFAULT_WINDOW_DAYS } from './shared/data-element.js';
export type { LoadStatus } from './shared/data-element.js';
export type {
  AbcErrorDetail,
  AbcErrorEvent,
  AbcExperimentSelectEvent,
  AbcLoadDetail,
  AbcLoadEvent,
  AbcMetricChangeEvent,
  AbcTabChangeEvent,
  AbcWindowChangeEvent,
  DashboardTab,
} from './shared/events.js';
export type {
  AbcAdminErrorEvent,
  AbcEditorCancelEvent,
  AbcExperimentSavedEvent,
  AbcExperimentStatusChangeEvent,
  AbcHistoryCloseEvent,
  AbcRulesCloseEvent,
} from './shared/experiment-events.js';
export {
  decision,
  decisionTone,
  defaultMetric,
  variantRows,
  verdicts,
  SIGNIFICANCE,
} from './components/experiment-results/experiment-results.model.js';
export type {
  Decision,
  DecisionTone,
  ResultStatistic,
  VariantRow,
  Verdict,
} from './components/experiment-results/experiment-results.model.js';
export { createDashboardApi, DashboardApiError, isDashboardApiError, describeApiError } from './api/index.js';
export { createAdminApi, AdminApiError, isAdminApiError, describeAdminError } from './api/index.js';
export type {
  DashboardApi,
  DashboardApiOptions,
  DashboardApiErrorKind,
  TokenProvider,
  DailyMetrics,
  ExperimentList,
  ExperimentQuery,
  ExperimentResults,
  ExperimentSummary,
  FunnelList,
  FunnelReport,
  LoadTestRunList,
  MetricResult,
  RollupJobName,
  RollupJobStatus,
  RollupStatus,
  AdminApi,
  AdminApiOptions,
  AdminApiErrorKind,
  AdminExperiment,
  AdminFieldProblem,
  AuditEntry,
  AuditQuery,
} from './api/index.js';
