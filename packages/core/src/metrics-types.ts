/** Wire types of the token-protected metrics endpoints (`/v1/metrics/*`), shared by the server and the dashboard. */
import type { CatalogMetricResult, CatalogUserCounts } from './metric-catalog-types.js';
import type { ComparisonResult } from './stats/compare-variants.js';
import type { SampleRatioResult } from './stats/sample-ratio.js';
import type { FrequentistMethod } from './stats/frequentist-test.js';
import type { PowerEstimate } from './stats/power.js';
import type { ExperimentStatus, VariantDefinition } from './wire-types.js';

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

/** One variant's counts for one metric: users assigned in the window, how many converted, the summed value. */
export interface VariantTotals {
  variant: string;
  /** Users assigned to the variant inside the window (see the glossary in docs/ARCHITECTURE.md). */
  assigned_users: number;
  /** @deprecated Same value as `assigned_users`, under its old name; removed in the next minor release. */
  exposed_users: number;
  converted_users: number;
  value_sum: number;
}

/** Users assigned to one variant inside the window, against the share its weight asks for (the SRM input). */
export interface VariantAssignedUsers {
  variant: string;
  assigned_users: number;
  expected_share: number;
}

/** @deprecated The old shape of {@link VariantAssignedUsers}: `exposed_users` is `assigned_users`. */
export interface VariantExposedUsers {
  variant: string;
  exposed_users: number;
  expected_share: number;
}

/** One metric of an experiment: conversion and per-user mean, every variant against control. */
export interface MetricResult {
  metric: string;
  /** Share of assigned users with the event, variant vs control. */
  conversion: ComparisonResult & { variant_keys: string[] };
  /** Per-user value (count of events, or sum of `properties.value`), variant vs control. */
  mean: ComparisonResult & { variant_keys: string[] };
  /** Per variant, in definition order. */
  totals: VariantTotals[];
  /**
   * Power of each comparison, in `variant_keys` order: the minimum detectable relative effect now and the days to
   * the requested power. This server always sends it; optional for records of older servers.
   */
  power?: { conversion: PowerEstimate[]; mean: PowerEstimate[] };
}

/** `GET /v1/metrics/experiments?experiment_key=KEY`. */
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
  /** When the experiments rollup last computed this window; null: never computed (figures unknown, not zero). */
  computed_at: string | null;
  /** Key of the control variant (the first of the definition). */
  control: string;
  /** Users assigned per variant inside the window, in definition order. */
  assignments: VariantAssignedUsers[];
  /** @deprecated Same counts as `assignments`, under the old names; removed in the next minor release. */
  exposures: VariantExposedUsers[];
  sample_ratio: SampleRatioResult;
  metrics: MetricResult[];
  /**
   * Experiments that name catalog metrics: assigned and exposed users per variant, from the metrics rollup (absent
   * otherwise).
   */
  catalog_users?: CatalogUserCounts[];
  /** Experiments that name catalog metrics: each one's exposure-based comparison (absent otherwise). */
  catalog_metrics?: CatalogMetricResult[];
  /** The test method these results used (the single-experiment answer; absent from older servers). */
  method?: FrequentistMethod;
  /** How these results were tested, in full (the single-experiment answer; absent from older servers). */
  analysis?: ResultsAnalysis;
}

/** How one experiment's results were tested, and where the method came from. */
export interface ResultsAnalysis {
  method: FrequentistMethod;
  /** Two-sided significance level of the intervals, p-value verdicts and power. */
  alpha: number;
  /** Sequential tuning parameter N* (used by the sequential method only). */
  sequential_tuning: number;
  /**
   * `experiment`: its stored analysis; `request`: the request's `method` overrode it; `default`: nothing stored
   * (holdouts), the defaults.
   */
  source: 'experiment' | 'request' | 'default';
  /** Prior of the catalog metrics' Bayesian statistics (absent from older servers). */
  prior?: 'flat' | 'proper';
}

/** One entry of `GET /v1/metrics/experiments` (no key). */
export interface ExperimentSummary {
  key: string;
  name: string | null;
  status: ExperimentStatus;
  assignments: VariantAssignedUsers[];
  /** @deprecated Same counts as `assignments`, under the old names; removed in the next minor release. */
  exposures: VariantExposedUsers[];
  sample_ratio: SampleRatioResult;
  /** When the experiments rollup last computed this window; null: never computed (figures unknown, not zero). */
  computed_at: string | null;
}

/** `GET /v1/metrics/experiments` (no key). */
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
