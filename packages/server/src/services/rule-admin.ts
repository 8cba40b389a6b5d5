/**
 * QA overrides and holdouts as the admin API and the CLI manage them: every check in one place (schema, storable
 * text, the experiment's variants, expiry, holdout scope, experiment keys), then the store. Failures are
 * {@link HttpError}s with a stable code and the fields at fault, so the routes pass them on and the CLI prints them.
 */
import {
  LIMITS,
  jsonValueProblem,
  textProblem,
  type HoldoutRecord,
  type OverrideRecord,
  type RequestBody,
  type RequestSchemaId,
} from '@ab-calicritters/core';
import { MAX_ERROR_DETAILS, badRequest, conflict, notFound, type ErrorDetail } from '../http/http-error.js';
import { parse } from '../http/schema-validator.js';
import { ArchivedError } from '../storage/archived-error.js';
import type { HoldoutChanges } from '../storage/holdout-store.js';
import type { StoredOverride } from '../storage/override-store.js';
import type { Storage } from '../storage/storage.js';
import { DuplicateKeyError } from '../storage/unique-flush.js';

export interface RuleAdminOptions {
  /** Current time: what "expired" is measured against. */
  now?: () => Date;
  /** Called after every change, to drop cached overrides and holdouts. */
  onChange?: () => void;
}

/** Overrides and holdouts, checked: what the admin routes and the CLI's direct mode call. */
export type RuleAdmin = ReturnType<typeof createRuleAdmin>;

/** A 400 naming every field at fault. */
function invalid(what: string, problems: readonly ErrorDetail[]) {
  const fields = [...new Set(problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
  return badRequest(`invalid_${what}`, `The ${what} is invalid (${fields})`, problems);
}

/** The body checked against its schema and for text PostgreSQL can store, or a 400. */
function checked<K extends RequestSchemaId>(id: K, body: unknown, what: string): RequestBody<K> {
  const parsed = parse(id, body);
  if (!parsed.ok) throw invalid(what, parsed.problems);
  const text = jsonValueProblem(parsed.value);
  if (text) throw invalid(what, [{ field: text.path || '/', message: text.message }]);
  return parsed.value;
}

/**
 * A user id from a path: what the assignment endpoint would accept as `user_id` (1..256 characters, storable).
 * @throws {HttpError} 400 `invalid_path` naming `user_id`
 */
function checkUserId(userId: string): string {
  const problem =
    userId.length === 0 || userId.length > LIMITS.maxUserIdLength
      ? `must be 1..${LIMITS.maxUserIdLength} characters`
      : userId.includes('\u0000')
        ? 'must not contain NUL characters'
        : textProblem(userId);
  if (!problem) return userId;
  throw badRequest('invalid_path', `user_id ${problem}`, [{ field: 'user_id', message: problem }]);
}

function toOverrideRecord(row: StoredOverride, now: Date): OverrideRecord {
  return {
    experiment_key: row.experiment_key,
    user_id: row.user_id,
    variant: row.variant,
    expires_at: row.expires_at?.toISOString() ?? null,
    note: row.note,
    expired: row.expires_at !== null && row.expires_at.getTime() <= now.getTime(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** A holdout covers the experiments it lists, or all of them: exactly one of the two. */
function scopeProblems(all: boolean, keys: readonly string[]): ErrorDetail[] {
  if (all && keys.length > 0) {
    return [{ field: '/experiment_keys', message: 'must be left out (or empty) when all_experiments is true' }];
  }
  if (!all && keys.length === 0) {
    return [
      { field: '/experiment_keys', message: 'list the experiments the holdout covers, or set all_experiments: true' },
    ];
  }
  return [];
}

function shareProblems(share: number | undefined): ErrorDetail[] {
  if (share === undefined || (share > 0 && share < 1)) return [];
  return [{ field: '/share', message: 'must be strictly between 0 and 1 (0.05 holds out 5 % of users)' }];
}

function immutable(body: unknown, fields: readonly string[]): ErrorDetail[] {
  if (!body || typeof body !== 'object') return [];
  return fields
    .filter((field) => field in body)
    .map((field) => ({ field: `/${field}`, message: `the ${field} of a holdout cannot change` }));
}

export function createRuleAdmin(storage: Storage, options: RuleAdminOptions = {}) {
  const now = options.now ?? (() => new Date());
  const changed = options.onChange ?? (() => undefined);

  async function experimentOf(key: string) {
    const experiment = await storage.experiments.get(key);
    if (!experiment) throw notFound(`experiment '${key}' does not exist`);
    return experiment;
  }

  /** Experiment keys that exist, each once; a 400 naming the position of every unknown one. */
  async function existingKeys(keys: readonly string[] | undefined): Promise<string[] | undefined> {
    if (!keys) return undefined;
    const known = new Set((await storage.experiments.list({ includeArchived: true })).map((e) => e.key));
    const problems = keys.flatMap((key, i) =>
      known.has(key) ? [] : [{ field: `/experiment_keys/${i}`, message: `experiment '${key}' does not exist` }],
    );
    if (problems.length > 0) throw invalid('holdout', problems);
    return [...new Set(keys)];
  }

  async function holdoutWrite<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw conflict(`holdout '${error.key}' already exists`);
      if (error instanceof ArchivedError) {
        throw conflict(`holdout '${error.key}' is archived and cannot be changed (create a new holdout instead)`);
      }
      throw error;
    }
  }

  return {
    overrides: {
      /**
       * Forces the user into a variant of the experiment (replacing any override they had); `created` says whether
       * they had none. The variant must be one of the experiment's, and `expires_at` in the future.
       */
      async set(
        experimentKey: string,
        userId: string,
        body: unknown,
      ): Promise<{ override: OverrideRecord; created: boolean }> {
        checkUserId(userId);
        const request = checked('OverrideRequest', body, 'override');
        const experiment = await experimentOf(experimentKey);
        if (experiment.status === 'archived') {
          throw conflict(`experiment '${experimentKey}' is archived: its overrides no longer change`);
        }
        const problems: ErrorDetail[] = [];
        if (!experiment.variants.some((v) => v.key === request.variant)) {
          const known = experiment.variants.map((v) => `'${v.key}'`).join(', ');
          problems.push({ field: '/variant', message: `must be a variant of '${experimentKey}': ${known}` });
        }
        const at = now();
        const expiresAt = request.expires_at === undefined ? null : new Date(request.expires_at);
        if (expiresAt && !(expiresAt.getTime() > at.getTime())) {
          problems.push({ field: '/expires_at', message: `must be in the future (now is ${at.toISOString()})` });
        }
        if (problems.length > 0) throw invalid('override', problems);
        const stored = await storage.overrides.set(experimentKey, userId, {
          variant: request.variant,
          expires_at: expiresAt,
          note: request.note ?? null,
        });
        if (!stored) throw notFound(`experiment '${experimentKey}' does not exist`);
        changed();
        return { override: toOverrideRecord(stored.override, at), created: stored.created };
      },

      /** The experiment's overrides by user id; expired ones (marked `expired`) only with `includeExpired`. */
      async list(experimentKey: string, listOptions: { includeExpired?: boolean } = {}): Promise<OverrideRecord[]> {
        await experimentOf(experimentKey);
        const at = now();
        const rows = await storage.overrides.list(experimentKey, {
          includeExpired: listOptions.includeExpired,
          now: at,
        });
        return rows.map((row) => toOverrideRecord(row, at));
      },

      /** Removes the user's override; a 404 when the experiment or the override does not exist. */
      async remove(experimentKey: string, userId: string): Promise<OverrideRecord> {
        checkUserId(userId);
        await experimentOf(experimentKey);
        const removed = await storage.overrides.remove(experimentKey, userId);
        if (!removed) throw notFound(`user '${userId}' has no override in experiment '${experimentKey}'`);
        changed();
        return toOverrideRecord(removed, now());
      },
    },

    holdouts: {
      /** Oldest first; archived ones only with `includeArchived`. */
      list: (listOptions: { includeArchived?: boolean } = {}): Promise<HoldoutRecord[]> =>
        storage.holdouts.list(listOptions),

      async get(key: string): Promise<HoldoutRecord> {
        const record = await storage.holdouts.get(key);
        if (!record) throw notFound(`holdout '${key}' does not exist`);
        return record;
      },

      /** A new, active holdout; its seed defaults to its key. */
      async create(body: unknown): Promise<HoldoutRecord> {
        const def = checked('HoldoutDefinition', body, 'holdout');
        const all = def.all_experiments ?? false;
        const problems = [...shareProblems(def.share), ...scopeProblems(all, def.experiment_keys ?? [])];
        if (problems.length > 0) throw invalid('holdout', problems);
        const keys = (await existingKeys(def.experiment_keys)) ?? [];
        const record = await holdoutWrite(() =>
          storage.holdouts.create({
            key: def.key,
            name: def.name ?? null,
            seed: def.seed ?? def.key,
            share: def.share,
            experiment_keys: keys,
            all_experiments: all,
          }),
        );
        changed();
        return record;
      },

      /**
       * Changes the name, share or scope. Listing `experiment_keys` makes the holdout cover just those;
       * `all_experiments: true` makes it cover all. The key and the seed never change.
       */
      async update(key: string, body: unknown): Promise<HoldoutRecord> {
        const fixed = immutable(body, ['key', 'seed']);
        if (fixed.length > 0) throw invalid('holdout', fixed);
        const patch = checked('HoldoutPatch', body, 'holdout');
        const current = await storage.holdouts.get(key);
        if (!current) throw notFound(`holdout '${key}' does not exist`);
        const all = patch.all_experiments ?? (patch.experiment_keys ? false : current.all_experiments);
        const keys = patch.experiment_keys ?? (all ? [] : current.experiment_keys);
        const problems = [...shareProblems(patch.share), ...scopeProblems(all, keys)];
        if (problems.length > 0) throw invalid('holdout', problems);
        const changes: HoldoutChanges = {
          all_experiments: all,
          experiment_keys: (await existingKeys(patch.experiment_keys)) ?? keys,
        };
        if (patch.name !== undefined) changes.name = patch.name;
        if (patch.share !== undefined) changes.share = patch.share;
        const record = await holdoutWrite(() => storage.holdouts.update(key, changes));
        if (!record) throw notFound(`holdout '${key}' does not exist`);
        changed();
        return record;
      },

      /** Archives: the holdout holds out nobody from then on and stays for the record. Twice is a no-op. */
      async archive(key: string): Promise<HoldoutRecord> {
        const record = await storage.holdouts.archive(key);
        if (!record) throw notFound(`holdout '${key}' does not exist`);
        changed();
        return record;
      },
    },
  };
}
