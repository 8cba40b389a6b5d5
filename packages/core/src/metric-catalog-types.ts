/** Wire types of the metric catalog (`/v1/admin/metrics`) and of the catalog metrics of an experiment's results. */
import type { Static } from '@sinclair/typebox';
import type { PowerEstimate } from './stats/power.js';
import type {
  METRIC_DIRECTIONS,
  METRIC_KINDS,
  METRIC_ROLES,
  experimentMetricSchema,
  metricDefinitionSchema,
  metricReplacementSchema,
} from './schemas.js';

/** `conversion` (did the event), `count` (events per user), `sum` (of a numeric property per user), `ratio`. */
export type MetricKind = (typeof METRIC_KINDS)[number];

/** Whether a rise is good (`higher`) or bad (`lower`). */
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];

/** `goal`: what the experiment is decided on; `guardrail`: what must not get worse. */
export type MetricRole = (typeof METRIC_ROLES)[number];

/** A catalog metric as an experiment definition names it. */
export type ExperimentMetric = Static<typeof experimentMetricSchema>;

/** A catalog metric as `POST /v1/admin/metrics` accepts it. */
export type MetricDefinition = Static<typeof metricDefinitionSchema>;

/** `PUT /v1/admin/metrics/:key` body: the whole definition; `key`, when sent, must be the path's. */
export type MetricReplacement = Static<typeof metricReplacementSchema>;

/** Keeps the events whose property `property` (top level) equals `equals` (same JSON type and value). */
export interface MetricFilter {
  property: string;
  equals: string | number | boolean;
}

/** Caps each user's value: at `value` (`absolute`), or at the `value` quantile of the exposed users (`percentile`). */
export interface MetricCapping {
  type: 'absolute' | 'percentile';
  value: number;
}

/** `active` metrics may be named by experiments; `archived` ones (set by DELETE) are kept for the record. */
export type MetricStatus = 'active' | 'archived';

/** A catalog metric as stored and returned, with defaults filled in. */
export interface MetricRecord {
  key: string;
  name: string | null;
  description: string | null;
  kind: MetricKind;
  /** The event counted; null for `ratio`. */
  event: string | null;
  filter: MetricFilter | null;
  /** `sum`: the numeric property summed (default `value`); null for other kinds. */
  property: string | null;
  /** `ratio`: the catalog keys of numerator and denominator; null for other kinds. */
  numerator: string | null;
  denominator: string | null;
  /** Hours after first exposure that count; null: up to the end of the analysis window. */
  window_hours: number | null;
  capping: MetricCapping | null;
  direction: MetricDirection;
  /** Days before first exposure CUPED reads the same metric over (default 14; 0: no CUPED). */
  cuped_lookback_days: number;
  status: MetricStatus;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

/** A guardrail's state: `failing` (significantly worse), `warning` (worse, not yet significant), `ok`. */
export type GuardrailStatus = 'ok' | 'warning' | 'failing';

/** One variant of a catalog metric against control. */
export interface CatalogVariantResult {
  variant: string;
  /** Users exposed to the variant (first exposure inside the window). */
  exposed_users: number;
  /** The variant's mean per exposed user (a rate for `conversion`, Σnum/Σden for `ratio`), without CUPED. */
  mean: number | null;
  /** (variant − control) / |control|, with its interval. */
  relative_effect: number | null;
  relative_ci: [number, number] | null;
  /** variant − control, with its interval. */
  absolute_effect: number | null;
  absolute_ci: [number, number] | null;
  /** Two-sided p-value of the relative effect. */
  p_value: number | null;
  /** Holm-adjusted over the experiment's variants for this metric. */
  adjusted_p_value: number | null;
  /** Goal metrics: Benjamini–Hochberg over every goal metric × variant of the experiment; null for guardrails. */
  goal_adjusted_p_value: number | null;
  /** Bayesian chance that the variant is better, direction-aware (lower is better for `lower` metrics). */
  chance_to_win: number | null;
  /**
   * Bayesian risk: the expected loss of choosing the variant, E[max(−δ, 0)] for a `higher` metric and E[max(δ, 0)]
   * for a `lower` one, δ the relative effect (0.01: 1 % of control's mean), under the analysis' prior (optional for
   * older servers).
   */
  risk?: number | null;
  /** Bayesian credible interval of the relative effect at 1 − alpha, under the analysis' prior (optional, as risk). */
  credible_interval?: [number, number] | null;
  /** Share of the effect's variance CUPED removed; null without CUPED. */
  cuped_variance_reduction: number | null;
  /** Guardrails only; null for goals. */
  guardrail_status: GuardrailStatus | null;
  /**
   * `win` or `loss` when significant at 5 % (goals: by `goal_adjusted_p_value`; guardrails: by `adjusted_p_value`),
   * read by the direction: a significant rise of a `lower` metric is a loss; else `inconclusive`.
   */
  verdict: 'win' | 'loss' | 'inconclusive';
  /** Why the statistics are null, when they are (core's FallbackReason). */
  reason: string | null;
  /** Minimum detectable relative effect now and the days to the requested power (optional for older servers). */
  power?: PowerEstimate;
  /**
   * Only with `series=cumulative`: the relative effect day by day, oldest first, over the users first exposed up to
   * the end of each day (UTC), with the interval of the results' method and alpha.
   */
  series?: CatalogSeriesPoint[];
}

/**
 * One day of a variant's cumulative effect: every user first exposed on or before `day` (in either arm), each with
 * their value as the latest rollup sees it, compared by the same test as the results row.
 */
export interface CatalogSeriesPoint {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Exposed users up to the end of `day`: the variant's and control's. */
  exposed_users: number;
  control_exposed_users: number;
  relative_effect: number | null;
  relative_ci: [number, number] | null;
  /** Why the day's statistics are null, when they are (core's FallbackReason). */
  reason: string | null;
}

/** One catalog metric of an experiment's results. */
export interface CatalogMetricResult {
  key: string;
  name: string | null;
  kind: MetricKind;
  role: MetricRole;
  direction: MetricDirection;
  /** True when the statistics are CUPED-adjusted. */
  cuped: boolean;
  control: { variant: string; exposed_users: number; mean: number | null };
  /** Every other variant, in definition order. */
  variants: CatalogVariantResult[];
}

/** Assigned and exposed users per variant, in definition order: the exposure-based analysis counts the latter. */
export interface CatalogUserCounts {
  variant: string;
  assigned_users: number;
  exposed_users: number;
}
