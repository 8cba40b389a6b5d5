/** Wire types of the HTTP API (snake_case, as sent and received). Kept in step with ./schemas.ts. */

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

export interface VariantDefinition {
  key: string;
  weight: number;
}

/** An experiment as the admin API accepts and returns it. */
export interface ExperimentDefinition {
  key: string;
  name?: string;
  seed?: string;
  coverage?: number;
  variants: VariantDefinition[];
  status: ExperimentStatus;
}

/** An experiment as stored and returned, with defaults filled in. */
export interface ExperimentRecord extends Required<Omit<ExperimentDefinition, 'name'>> {
  name: string | null;
  created_at: string;
  updated_at: string;
}

/** PATCH body: any field but the key. */
export type ExperimentPatch = Partial<Omit<ExperimentDefinition, 'key'>>;

export interface FunnelDefinition {
  name: string;
  steps: string[];
  conversion_window_hours: number;
}

export interface FunnelRecord extends FunnelDefinition {
  created_at: string;
  updated_at: string;
}

export type FunnelPatch = Partial<Omit<FunnelDefinition, 'name'>>;

export interface AssignmentRequest {
  user_id: string;
  experiment_keys?: string[];
  attributes?: Record<string, unknown>;
}

export interface Assignment {
  experiment_key: string;
  variant: string | null;
  /** When the sticky row was first written; null when the user is outside coverage. */
  assigned_at: string | null;
  /** True when this request created the sticky row. */
  new: boolean;
}

export interface AssignmentResponse {
  user_id: string;
  assignments: Assignment[];
  unknown_experiments: string[];
}

export interface TrackedEvent {
  event_id: string;
  user_id: string;
  name: string;
  timestamp: string;
  properties?: Record<string, unknown>;
}

export interface EventsRequest {
  events: TrackedEvent[];
  sent_at?: string;
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
