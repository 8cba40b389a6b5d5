/**
 * Wire shapes of the token-protected metrics endpoints, as the dashboard reads them (snake_case, as sent).
 * Statistics and load-test shapes come from core; the rest mirror the server's responses.
 */
import type {
  ComparisonResult,
  ExperimentStatus,
  LoadTestComparison,
  LoadTestLatest,
  LoadTestRunDetail,
  SampleRatioResult,
  VariantDefinition,
} from '@ab-calicritters/core';

export type {
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

/** `GET /v1/metrics/daily`. */
export interface DailyMetrics {
  window_days: number;
  window_start: string;
  window_end: string;
  last_rollup_at: string | null;
  /** All events per UTC day (days without events are absent). */
  days: Array<{ day: string; events: number; unique_users: number }>;
  events_by_name: Array<{ day: string; event_name: string; events: number; unique_users: number }>;
  /** Most events first. */
  top_events: Array<{ event_name: string; events: number; peak_daily_users: number }>;
}

/** One metric of an experiment: conversion and per-user mean, every variant against control. */
export interface MetricResult {
  metric: string;
  conversion: ComparisonResult & { variant_keys: string[] };
  mean: ComparisonResult & { variant_keys: string[] };
  totals: Array<{ variant: string; exposed_users: number; converted_users: number; value_sum: number }>;
}

/** `GET /v1/metrics/experiments?experiment_id=KEY`. */
export interface ExperimentResults {
  experiment: {
    key: string;
    name: string | null;
    status: ExperimentStatus;
    coverage: number;
    variants: VariantDefinition[];
  };
  window_days: number;
  window_start: string | null;
  window_end: string | null;
  computed_at: string | null;
  /** Key of the control variant (the first of the definition). */
  control: string;
  exposures: Array<{ variant: string; exposed_users: number; expected_share: number }>;
  sample_ratio: SampleRatioResult;
  metrics: MetricResult[];
}

/** One entry of `GET /v1/metrics/experiments` (no id). */
export interface ExperimentSummary {
  key: string;
  name: string | null;
  status: ExperimentStatus;
  exposures: ExperimentResults['exposures'];
  sample_ratio: SampleRatioResult;
  computed_at: string | null;
}

/** `GET /v1/metrics/experiments` (no id). */
export interface ExperimentList {
  window_days: number;
  experiments: ExperimentSummary[];
}

/** `GET /v1/metrics/funnels?funnel_name=NAME`. */
export interface FunnelReport {
  funnel: { name: string; steps: string[]; conversion_window_hours: number };
  window_days: number;
  window_start: string;
  window_end: string;
  steps: Array<{
    step_index: number;
    step_name: string;
    users: number;
    /** Null for the first step, or when the previous step had no users. */
    conversion_from_previous: number | null;
    conversion_from_start: number | null;
  }>;
  /** Users per step, per entry day. */
  days: Array<{ day: string; users: number[] }>;
}

/** `GET /v1/metrics/funnels` (no name). */
export interface FunnelList {
  window_days: number;
  funnels: FunnelReport[];
}

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
