/**
 * Wire types of the HTTP API (snake_case, as sent and received). Request bodies are the `Static` types of the
 * schemas in ./schemas.ts, so what the server validates and what the types say are one definition.
 */
import type { Static } from '@sinclair/typebox';
import type { EvaluationReason } from './evaluate-experiment.js';
import type {
  assignmentRequestSchema,
  eventsEnvelopeSchema,
  experimentAnalysisSchema,
  experimentDefinitionSchema,
  experimentPatchSchema,
  experimentStatusSchema,
  funnelDefinitionSchema,
  funnelPatchSchema,
  trackedEventSchema,
  variantSchema,
} from './schemas.js';

export type ExperimentStatus = Static<typeof experimentStatusSchema>;

/** How an experiment's results are tested by default (`analysis` of a definition). */
export type ExperimentAnalysis = Static<typeof experimentAnalysisSchema>;

export type VariantDefinition = Static<typeof variantSchema>;

/** An experiment as the admin API accepts it: `status` may be left out (a new experiment is a draft). */
export type ExperimentDefinition = Static<typeof experimentDefinitionSchema>;

/** An experiment as stored and returned, with defaults filled in. */
export interface ExperimentRecord extends Required<
  Omit<
    ExperimentDefinition,
    'name' | 'condition' | 'fallback_attribute' | 'namespace' | 'released_variant' | 'metrics' | 'analysis'
  >
> {
  name: string | null;
  /** Targeting condition (GrowthBook syntax); null targets everyone. */
  condition: Readonly<Record<string, unknown>> | null;
  /** Attribute users are bucketed by; `id` is the request's `user_id`. */
  hash_attribute: string;
  /** Attribute used when `hash_attribute` is missing or empty; null for none. */
  fallback_attribute: string | null;
  /** `[name, start, end]`: the part of a namespace this experiment claims; null for none. */
  namespace: readonly [name: string, start: number, end: number] | null;
  /** The variant everyone gets while the status is `released`; null otherwise. */
  released_variant: string | null;
  /** When the experiment was released (results are frozen at this time); null unless released. */
  released_at: string | null;
  /**
   * The catalog metrics it is analysed on, with their roles. This server always sends the list (empty for none);
   * optional for records of servers older than the metric catalog.
   */
  metrics?: ExperimentDefinition['metrics'];
  /**
   * How its results are tested unless a request says otherwise (default `{ method: 'sequential' }`). This server
   * always sends it; optional for records of servers older than the setting.
   */
  analysis?: ExperimentAnalysis;
  created_at: string;
  updated_at: string;
}

/** PATCH body: any field but the key, at least one. */
export type ExperimentPatch = Static<typeof experimentPatchSchema>;

/** A funnel as the admin API accepts it: `conversion_window_hours` may be left out (24). */
export type FunnelDefinition = Static<typeof funnelDefinitionSchema>;

/** A funnel as stored and returned, with defaults filled in. */
export interface FunnelRecord extends Required<FunnelDefinition> {
  created_at: string;
  updated_at: string;
  /** When the funnel was archived (`DELETE /v1/admin/funnels/:name`); null while it is active. */
  archived_at: string | null;
}

/** PATCH body: any field but the name, at least one. */
export type FunnelPatch = Static<typeof funnelPatchSchema>;

export type AssignmentRequest = Static<typeof assignmentRequestSchema>;

export interface Assignment {
  experiment_key: string;
  variant: string | null;
  /**
   * Why: `assigned` (bucketed now or before), `released`, `forced` (a QA override), or why the user has no variant:
   * `not_targeted`, `outside_coverage`, `namespace`, `holdout`, `inactive` (not running).
   */
  reason: EvaluationReason;
  /** The variant's payload (`value` in its definition), or null. */
  value: unknown;
  /** When the sticky row was first written; null when there is none (no variant, forced or released). */
  assigned_at: string | null;
  /** True when this request created the sticky row. */
  new: boolean;
}

export interface AssignmentResponse {
  user_id: string;
  assignments: Assignment[];
  unknown_experiments: string[];
}

export type TrackedEvent = Static<typeof trackedEventSchema>;

/** The envelope as validated: each event is still unchecked (see {@link TrackedEvent}). */
type EventsEnvelope = Static<typeof eventsEnvelopeSchema>;

/** A batch as clients send it. */
export interface EventsRequest extends EventsEnvelope {
  events: TrackedEvent[];
}

export interface RejectedEvent {
  index: number;
  errors: string[];
}

export interface EventsResponse {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  db: 'ok' | 'down';
}

export interface MetricsSummary {
  total_events: number;
  total_users: number;
  running_experiments: number;
  last_rollup_at: string | null;
}

/** Every error body: a stable code, a message for humans, optional details. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown[] };
}
