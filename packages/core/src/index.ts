export { assign, evaluate } from './assign.js';
export type { AssignableExperiment, AssignmentResult } from './assign.js';
export { evaluateExperiment, DEFAULT_HASH_ATTRIBUTE } from './evaluate-experiment.js';
export type {
  EvaluationContext,
  EvaluationReason,
  ExperimentEvaluation,
  TargetedExperiment,
  VariantRef,
} from './evaluate-experiment.js';
export { evalCondition } from './conditions/eval-condition.js';
export type { Attributes, Condition, SavedGroups } from './conditions/eval-condition.js';
export { checkCondition, CONDITION_LIMITS } from './conditions/check-condition.js';
export type { CheckConditionOptions } from './conditions/check-condition.js';
export { compareVersions, paddedVersionString } from './conditions/compare-versions.js';
export { inNamespace, namespaceProblems, namespaceOverlaps, freeNamespaceRanges } from './namespace.js';
export type { NamespaceRange, NamespaceClaim, NamespaceOverlap } from './namespace.js';
export { getQueryStringOverride } from './query-string-override.js';
export { isInHoldout } from './holdout.js';
export type { Holdout } from './holdout.js';
export { LIMITS } from './limits.js';
export {
  DEFAULT_WINDOW_DAYS,
  MIN_WINDOW_DAYS,
  MAX_WINDOW_DAYS,
  STANDARD_WINDOW_DAYS,
  isWindowDays,
} from './windows.js';
export {
  LOAD_TEST_SCENARIOS,
  LOAD_TEST_USER_PREFIX,
  isLoadTestScenario,
  LOAD_TEST_RUNS_DEFAULT_LIMIT,
  LOAD_TEST_RUNS_MAX_LIMIT,
} from './load-test-constants.js';
export { textProblem, jsonValueProblem } from './storable-text.js';
export type { ValueProblem, JsonValueLimits } from './storable-text.js';
export {
  KEY_PATTERN,
  ATTRIBUTE_NAME_PATTERN,
  MAX_VARIANT_VALUE_BYTES,
  MAX_SAVED_GROUP_VALUES,
  assignmentRequestSchema,
  eventsEnvelopeSchema,
  trackedEventSchema,
  experimentDefinitionSchema,
  experimentPatchSchema,
  funnelDefinitionSchema,
  funnelPatchSchema,
  rollupRequestSchema,
  overrideRequestSchema,
  holdoutDefinitionSchema,
  holdoutPatchSchema,
  ROLLUP_JOB_NAMES,
  requestSchemas,
  MAX_EXPERIMENT_METRICS,
  MAX_CUPED_LOOKBACK_DAYS,
  METRIC_KINDS,
  METRIC_DIRECTIONS,
  METRIC_ROLES,
  experimentMetricSchema,
  experimentAnalysisSchema,
  ANALYSIS_METHODS,
  ANALYSIS_PRIORS,
  MAX_ANALYSIS_ALPHA,
  MAX_SEQUENTIAL_TUNING,
  metricDefinitionSchema,
  metricReplacementSchema,
} from './schemas.js';
export type { RequestSchemaId, RequestBody } from './schemas.js';
export { variantProblems, funnelStepProblems, WEIGHT_SUM_EPSILON } from './experiment-rules.js';
export { metricDefinitionProblems } from './experiment-rules.js';
export type {
  MetricKind,
  MetricDirection,
  MetricRole,
  ExperimentMetric,
  MetricDefinition,
  MetricReplacement,
  MetricFilter,
  MetricCapping,
  MetricStatus,
  MetricRecord,
  GuardrailStatus,
  CatalogSeriesPoint,
  CatalogVariantResult,
  CatalogMetricResult,
  CatalogUserCounts,
} from './metric-catalog-types.js';
export type { DefinitionProblem } from './experiment-rules.js';
export type {
  ExperimentStatus,
  ExperimentAnalysis,
  VariantDefinition,
  ExperimentDefinition,
  ExperimentRecord,
  ExperimentPatch,
  FunnelDefinition,
  FunnelRecord,
  FunnelPatch,
  AssignmentRequest,
  Assignment,
  AssignmentResponse,
  TrackedEvent,
  EventsRequest,
  RejectedEvent,
  EventsResponse,
  HealthResponse,
  MetricsSummary,
  ErrorBody,
} from './wire-types.js';
export type {
  OverrideRequest,
  OverrideRecord,
  HoldoutDefinition,
  HoldoutPatch,
  HoldoutStatus,
  HoldoutRecord,
  HoldoutResults,
  SavedGroupDefinition,
  SavedGroupPatch,
  SavedGroupRecord,
} from './rule-wire-types.js';
export {
  conversionEstimate,
  twoProportionZTest,
  conversionChanceToBeat,
  isUsableConversion,
  binomialEstimate,
  binomialChanceToBeat,
  isUsableBinomial,
} from './stats/conversion.js';
export type { ConversionStats, BinomialStats, RateEstimate, ZTestResult } from './stats/conversion.js';
export { sampleRatioMismatch } from './stats/sample-ratio.js';
export type { SampleRatioResult } from './stats/sample-ratio.js';
export { compareVariants } from './stats/compare-variants.js';
export type {
  MetricType,
  ComparisonInput,
  ArmSummary,
  VariantComparison,
  ComparisonResult,
} from './stats/compare-variants.js';
export { sampleVariance, sampleCovariance } from './stats/summary-statistics.js';
export type {
  Moments,
  ProportionSummary,
  MeanSummary,
  RatioSummary,
  CupedSummary,
  TwoArmSummaries,
  SummaryKind,
} from './stats/summary-statistics.js';
export type { FallbackReason } from './stats/fallback-reason.js';
export { ratioVariance } from './stats/ratio-metric.js';
export { effectMoments } from './stats/effect-moments.js';
export type { EffectScale, EffectMoments } from './stats/effect-moments.js';
export { cupedAdjustment } from './stats/cuped.js';
export type { CupedAdjustment, CupedArm } from './stats/cuped.js';
export { frequentistTest } from './stats/frequentist-test.js';
export type { FrequentistMethod, FrequentistOptions, FrequentistResult } from './stats/frequentist-test.js';
export {
  DEFAULT_SEQUENTIAL_TUNING,
  sequentialRho,
  sequentialHalfWidth,
  sequentialPValue,
} from './stats/sequential-test.js';
export { bayesianTest, normalRisk, DEFAULT_PROPER_PRIOR } from './stats/bayesian-effect.js';
export type { BayesianOptions, BayesianResult, NormalPrior } from './stats/bayesian-effect.js';
export { holmBonferroni, benjaminiHochberg } from './stats/multiple-testing.js';
export { powerEstimate, DEFAULT_POWER } from './stats/power.js';
export { DEFAULT_ALPHA } from './stats/test-options.js';
export type { PowerEstimate, PowerOptions, TargetSource } from './stats/power.js';
export type {
  LoadTestScenario,
  LoadTestPhase,
  LoadTestStatus,
  LoadTestRun,
  LoadTestEndpointMetrics,
  LoadTestDataCheck,
  LoadTestRunDetail,
  LoadTestEndpointDelta,
  LoadTestDataCheckDelta,
  LoadTestComparison,
  LoadTestComparisonWarning,
  LoadTestLatest,
} from './load-test-types.js';
export type {
  DailyMetrics,
  MetricResult,
  VariantTotals,
  VariantAssignedUsers,
  VariantExposedUsers,
  ExperimentResults,
  ResultsAnalysis,
  ExperimentSummary,
  ExperimentList,
  FunnelReport,
  FunnelList,
} from './metrics-types.js';
export { seededRandom } from './seeded-random.js';
