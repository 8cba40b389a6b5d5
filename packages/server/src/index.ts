export { createAbRouter, createAbServer, closeAbRouter } from './create-ab-router.js';
export { RATE_LIMIT_DEFAULTS, RateLimitOptionError, resolveRateLimit } from './http/rate-limit-options.js';
export type { RateLimitOptions, RateLimitBudgets, RedisClient } from './http/rate-limit-options.js';
export { RateLimitedError } from './http/rate-limit.js';
export type { AbRouterOptions, AbServerOptions } from './create-ab-router.js';
export { createStorage, DEFAULT_DATA_DIR, DEFAULT_SESSION_LIMITS } from './storage/storage.js';
export type { Storage, StorageOptions, StorageKind } from './storage/storage.js';
export { IN_MEMORY } from './storage/orm-config.js';
export { DataDirLockedError, acquireDataDirLock, dataDirLockFile } from './storage/data-dir-lock.js';
export { DatabaseNotFoundError, DatabaseUnreachableError } from './storage/database-open-errors.js';
export type { DataDirLock, DataDirLockHolder } from './storage/data-dir-lock.js';
export { entities } from './storage/entities.js';
export { migrationsList } from './storage/migrations/index.js';
export { HttpError } from './http/http-error.js';
export type { ErrorDetail } from './http/http-error.js';
export type { TokenSetting } from './http/token-auth.js';
export type { Logger } from './http/error-middleware.js';
export { isDatabaseUnavailable, isQueryTimeout } from './storage/database-errors.js';
export {
  experimentDefinitionProblems,
  experimentPatchProblems,
  funnelDefinitionProblems,
  funnelPatchProblems,
  parseExperimentDefinition,
  parseExperimentPatch,
} from './services/definition-checks.js';
export type { Parsed } from './http/schema-validator.js';
export { createRuleAdmin } from './services/rule-admin.js';
export type { RuleAdmin, RuleAdminOptions } from './services/rule-admin.js';
export { readHoldoutResults } from './services/holdout-results.js';
export { createSavedGroupAdmin } from './services/saved-group-admin.js';
export type { SavedGroupAdmin } from './services/saved-group-admin.js';
export { checkExperimentMetrics, createMetricAdmin } from './services/metric-admin.js';
export type { MetricAdmin } from './services/metric-admin.js';
export { DuplicateKeyError } from './storage/unique-flush.js';
export { ArchivedError } from './storage/archived-error.js';
export { DefinitionConflictError } from './storage/experiment-change-rules.js';
export { createLoadTestRouter } from './load-tests/load-test-routes.js';
export type { LoadTestRouterOptions } from './load-tests/load-test-routes.js';
export { runLoadTestChecks, LOAD_TEST_CHECK_NAMES } from './load-tests/load-test-checks.js';
export type { LoadTestCheckScope, AcknowledgedAssignment, AcknowledgedEvent } from './load-tests/load-test-checks.js';
export { compareLoadTestRuns } from './load-tests/load-test-compare.js';
export { isLoadTestRunId } from './storage/load-test-store.js';
export type {
  LoadTestCleanup,
  LoadTestStore,
  NewLoadTestRun,
  LoadTestRunEnd,
  LoadTestRunFilter,
} from './storage/load-test-store.js';
export {
  runRollup,
  RollupBusyError,
  RollupCancelledError,
  DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS,
} from './rollups/run-rollup.js';
export type { RollupOptions, RollupRunResult } from './rollups/run-rollup.js';
export type { RollupLockHolder } from './rollups/rollup-lock.js';
export { createRollupScheduler, DEFAULT_SCHEDULED_WINDOW_DAYS } from './rollups/rollup-scheduler.js';
export type {
  RollupScheduler,
  RollupSchedulerOptions,
  RollupRound,
  RollupJobOutcome,
  SchedulerTimers,
} from './rollups/rollup-scheduler.js';
export { ROLLUP_JOBS, rollupWindow } from './rollups/rollup-window.js';
export type { RollupJob, RollupWindow } from './rollups/rollup-window.js';
export { rollupSnapshot } from './rollups/rollup-snapshot.js';
export type { EventRow } from './storage/event-store.js';
export { createEventPartitionScheduler } from './services/event-partition-scheduler.js';
export type { EventPartitionScheduler, EventPartitionSchedulerOptions } from './services/event-partition-scheduler.js';
export { DEFAULT_PARTITION_DAYS_AHEAD } from './storage/event-partitions.js';
export type { EventPartitionOptions, EventPartitionResult } from './storage/event-partitions.js';
export type { CorsOptions } from './http/cors.js';
export { createMetrics } from './metrics/ab-metrics.js';
export type { AbMetrics, MetricsOptions, RollupOutcome } from './metrics/ab-metrics.js';
export { metricsMiddleware } from './metrics/metrics-middleware.js';
export type { MetricsMiddlewareOptions } from './metrics/metrics-middleware.js';
export { createOpenApiDocument } from './http/openapi.js';
export type { OpenApiDocumentOptions } from './http/openapi.js';
