/**
 * The wire types the SDK's public declarations mention, spelt out here instead of imported from core: the published
 * package bundles core's code and must not need `@ab-calicritters/core` (nor TypeBox) for its types either.
 * `wire-types.test.ts` fails to type-check when one of them drifts from core's.
 */

/** The part of an experiment definition that assignment needs (core's `AssignableExperiment`). */
export interface AssignableExperiment {
  key: string;
  /** Hash seed; defaults to the key. */
  seed?: string | null;
  /** Share of users in the experiment, 0..1; defaults to 1. */
  coverage?: number | null;
  variants: ReadonlyArray<{ key: string; weight: number }>;
  hashVersion?: 1 | 2;
}

/** A variant with its optional JSON payload (remote config: copy, colours, limits). */
export interface ExperimentVariant {
  key: string;
  weight: number;
  /** What `getVariantValue()` returns for users of this variant; absent or null: the caller's fallback. */
  value?: unknown;
}

/** A holdout covering an experiment (core's `Holdout`). */
export interface Holdout {
  key: string;
  seed?: string | null;
  /** Share of users held out, 0..1. */
  share: number;
  hashVersion?: 1 | 2;
}

/**
 * An experiment with its targeting rules, for local evaluation (core's `TargetedExperiment`, with variant payloads).
 * See docs/TARGETING.md for what each rule does.
 */
export interface TargetedExperiment extends Omit<AssignableExperiment, 'variants'> {
  variants: ReadonlyArray<ExperimentVariant>;
  /** False: nobody is bucketed (overrides still apply). Defaults to true. */
  active?: boolean;
  /** A targeting condition in GrowthBook's MongoDB-style syntax, matched against the attributes. */
  condition?: Readonly<Record<string, unknown>> | null;
  /** `[name, start, end]`: the experiment's range of a namespace (mutual exclusion). */
  namespace?: readonly [name: string, start: number, end: number] | null;
  /** Attribute whose value is hashed; defaults to `id` (the user id). */
  hashAttribute?: string | null;
  /** Used when the hash attribute is missing or empty, e.g. `device_id` for logged-out users. */
  fallbackAttribute?: string | null;
  /** Variant (index or key) every user inside coverage gets. */
  force?: number | string | null;
  /** Variant (index or key) shipped to everyone once the experiment is released. */
  released?: number | string | null;
  holdouts?: readonly Holdout[] | null;
}

/** The body of `GET /v1/definitions`: the running and released experiments, and the saved groups they name. */
export interface DefinitionsResponse {
  experiments: TargetedExperiment[];
  /** Values by saved group key, for `$inGroup` / `$notInGroup` (absent from servers without saved groups). */
  saved_groups?: SavedGroups;
}

/** Lists of attribute values by id, for `$inGroup` / `$notInGroup` conditions (core's `SavedGroups`). */
export type SavedGroups = Readonly<Record<string, readonly unknown[]>>;

/**
 * Why a user got what they got (core's `EvaluationReason`): `not_targeted`, `outside_coverage`, `namespace`, `holdout`,
 * `forced`, `assigned`, `released`, `inactive`; see docs/TARGETING.md.
 */
export type EvaluationReason =
  'forced' | 'released' | 'inactive' | 'holdout' | 'namespace' | 'not_targeted' | 'outside_coverage' | 'assigned';

/**
 * One experiment's sticky assignment as the server returns it. `reason` and `value` come from servers that evaluate
 * targeting; an older server leaves them out (the SDK then reads `assigned` for a variant, else `outside_coverage`,
 * and a null value).
 */
interface Assignment {
  experiment_key: string;
  variant: string | null;
  /** When the sticky row was first written; null when the user is outside coverage. */
  assigned_at: string | null;
  /** True when this request created the sticky row. */
  new: boolean;
  reason?: EvaluationReason;
  /** The variant's JSON payload, or null. */
  value?: unknown;
}

/** The body of `POST /v1/assignment`. */
export interface AssignmentResponse {
  user_id: string;
  assignments: Assignment[];
  unknown_experiments: string[];
}

/** One event as sent in a batch to `POST /v1/events`. */
export interface TrackedEvent {
  event_id: string;
  user_id: string;
  name: string;
  timestamp: string;
  properties?: Record<string, unknown>;
}

/** The body of `POST /v1/events`. */
export interface EventsResponse {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; errors: string[] }>;
}
