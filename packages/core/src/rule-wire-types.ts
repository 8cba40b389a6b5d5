/**
 * Wire types of the QA overrides, holdouts and saved groups of the admin API, and of a holdout's results (snake_case,
 * as sent and received).
 */
import type { Static } from '@sinclair/typebox';
import type { ExperimentResults } from './metrics-types.js';
import type {
  holdoutDefinitionSchema,
  holdoutPatchSchema,
  overrideRequestSchema,
  savedGroupDefinitionSchema,
  savedGroupPatchSchema,
} from './schemas.js';

/** `PUT /v1/admin/experiments/:key/overrides/:user_id` body. */
export type OverrideRequest = Static<typeof overrideRequestSchema>;

/** A QA override as stored and returned. */
export interface OverrideRecord {
  experiment_key: string;
  user_id: string;
  variant: string;
  /** When the override stops applying; null: until it is removed. */
  expires_at: string | null;
  note: string | null;
  /** True once `expires_at` has passed: the override no longer applies. */
  expired: boolean;
  created_at: string;
  updated_at: string;
}

/** A holdout as the admin API accepts it: `experiment_keys`, or `all_experiments: true`. */
export type HoldoutDefinition = Static<typeof holdoutDefinitionSchema>;

/** PATCH body of a holdout: any field but the key and the seed, at least one. */
export type HoldoutPatch = Static<typeof holdoutPatchSchema>;

/** `active` holds users out; `archived` (set by archiving) holds out nobody and no longer changes. */
export type HoldoutStatus = 'active' | 'archived';

/** A holdout as stored and returned. */
export interface HoldoutRecord {
  key: string;
  name: string | null;
  seed: string;
  /** Share of users held out, strictly between 0 and 1. */
  share: number;
  /** The experiments it covers; empty when `all_experiments`. */
  experiment_keys: string[];
  all_experiments: boolean;
  status: HoldoutStatus;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

/** A saved group as the admin API accepts it: a key, an optional name, and up to 10,000 strings or numbers. */
export type SavedGroupDefinition = Static<typeof savedGroupDefinitionSchema>;

/** PATCH body of a saved group: `name` and/or `values` (replaced whole). */
export type SavedGroupPatch = Static<typeof savedGroupPatchSchema>;

/** A saved group as stored and returned. */
export interface SavedGroupRecord {
  key: string;
  name: string | null;
  /** What `$inGroup` matches an attribute against (an array attribute matches when any item is here). */
  values: Array<string | number>;
  created_at: string;
  updated_at: string;
}

/**
 * `GET /v1/holdouts/:key/results`: the experiment results of a two-arm experiment whose control is `holdout` (the
 * held-out users) and whose treatment is `exposed` (everyone else who met a covered experiment), the sample-ratio
 * check against the holdout's `share`.
 */
export interface HoldoutResults extends Omit<ExperimentResults, 'experiment' | 'exposures'> {
  holdout: Pick<HoldoutRecord, 'key' | 'name' | 'status' | 'share' | 'experiment_keys' | 'all_experiments'>;
}
