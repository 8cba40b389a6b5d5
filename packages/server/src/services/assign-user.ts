/**
 * POST /v1/assignment logic: evaluate each experiment's rules in memory with core's evaluateExperiment() (the same
 * function the SDK runs offline), then read the user's stored rows with one indexed read, and only for bucketed users
 * without one run the statement that inserts them (ON CONFLICT DO NOTHING) and returns what already existed. A
 * returning user thus costs one plain read (none with the cache), never a write statement. Only a request that loses a
 * race against a concurrent first request needs another read, which returns the winner's variant, so all agree.
 *
 * Order per experiment: not running or released → `inactive`; a QA override → `forced` (never stored, so never
 * analysed); released → the released variant for everyone, nothing stored; a stored row → its variant (`assigned`),
 * whatever the rules say now; else the rules (holdout, namespace, condition, coverage), and a bucketed user is stored.
 * Conditions see the saved groups cached with the experiments.
 *
 * With an {@link AssignmentCache}, stored rows a returning user already got from this process are answered from
 * memory, and only the experiments it does not hold go to the statement, so a returning user needs no round trip;
 * and as a row the cache does not hold is then nearly always a first-time user's, those go straight to the
 * insert-or-read statement, which returns stored rows as well: one round trip instead of the read and the insert.
 * Forced and released answers are decided before any stored row and never read or fill it.
 *
 * The same statement records, per holdout covering an evaluated running experiment, whether the user is held out or
 * exposed (docs/TARGETING.md); the cache remembers those rows too, so returning users still need no round trip.
 */
import {
  evaluateExperiment,
  isInHoldout,
  type Assignment,
  type AssignmentRequest,
  type AssignmentResponse,
  type EvaluationReason,
  type ExperimentEvaluation,
  type TargetedExperiment,
} from '@ab-calicritters/core';
import type { NewHoldoutRow, NewStickyRow, StickyRow } from '../storage/assignment-store.js';
import type { StoredExperiment } from '../storage/experiment-store.js';
import type { Storage } from '../storage/storage.js';
import type { AssignmentCache } from './assignment-cache.js';
import type { ExperimentCache, ExperimentSnapshot } from './experiment-cache.js';
import { isPromiseLike, type MaybePromise } from './maybe-promise.js';
import { holdoutsFor, noRuleLookups, type RuleHoldout, type RuleLookups } from './rule-lookups.js';

/**
 * Core's view of a cached definition, made once per cache entry: the cache replaces its entries on reload, so a
 * weak map keyed by them never serves a stale definition.
 */
const targetedByRecord = new WeakMap<StoredExperiment, TargetedExperiment>();

function targeted(experiment: StoredExperiment): TargetedExperiment {
  let rules = targetedByRecord.get(experiment);
  if (!rules) {
    rules = {
      key: experiment.key,
      seed: experiment.seed,
      coverage: experiment.coverage,
      variants: experiment.variants,
      condition: experiment.condition,
      namespace: experiment.namespace,
      hashAttribute: experiment.hash_attribute,
      fallbackAttribute: experiment.fallback_attribute,
      released: experiment.status === 'released' ? experiment.released_variant : null,
    };
    targetedByRecord.set(experiment, rules);
  }
  return rules;
}

/** The payload of a variant, or null (no variant, or one the definition no longer has). */
function valueOf(experiment: StoredExperiment, variant: string | null): unknown {
  if (variant === null) return null;
  return experiment.variants.find((v) => v.key === variant)?.value ?? null;
}

const isLive = (e: StoredExperiment | undefined): e is StoredExperiment =>
  e?.status === 'running' || e?.status === 'released';

/**
 * The holdout rows this request should store: for each holdout covering an evaluated running experiment, the user's
 * arm, unless the user already has a row this process knows of. Forced users get none (never analysed); nor do users
 * without the hash attribute or experiments that cannot bucket anyone, as the holdout cannot judge them.
 */
function holdoutRowsFor(
  running: readonly StoredExperiment[],
  evaluations: ReadonlyMap<string, ExperimentEvaluation>,
  holdouts: readonly RuleHoldout[],
  userId: string,
  rows: AssignmentCache | undefined,
): NewHoldoutRow[] {
  if (holdouts.length === 0) return [];
  const byKey = new Map<string, { holdout_key: string; arm: 'holdout' | 'exposed'; held_from: string[] }>();
  for (const experiment of running) {
    const evaluation = evaluations.get(experiment.id)!;
    if (evaluation.reason === 'forced' || evaluation.reason === 'inactive' || evaluation.hashValue === '') continue;
    for (const holdout of holdoutsFor(holdouts, experiment.key)) {
      if (rows?.hasHoldout(holdout.key, userId)) continue;
      const row = byKey.get(holdout.key) ?? { holdout_key: holdout.key, arm: 'exposed', held_from: [] };
      // Hashed by each experiment's own attribute, like the evaluation: held out of any covered experiment is enough.
      if (isInHoldout(holdout, evaluation.hashValue)) {
        row.arm = 'holdout';
        row.held_from.push(experiment.id);
      }
      byKey.set(holdout.key, row);
    }
  }
  return [...byKey.values()];
}

/** A stored row as the answer shows it; `created` when this request inserted it. */
interface StickyAnswer {
  variant: string;
  assigned_at: string;
  created: boolean;
}

/** What one request asks for, evaluated against one snapshot of the definitions and rules. */
interface Evaluated {
  all: ReadonlyMap<string, StoredExperiment>;
  keys: readonly string[];
  unknown: string[];
  running: StoredExperiment[];
  holdouts: readonly RuleHoldout[];
  evaluations: Map<string, ExperimentEvaluation>;
  /** The running experiments' rows the answer needs (not forced), with the variant a new row would get. */
  computed: NewStickyRow[];
}

/** Live experiment keys per snapshot: a request without `experiment_keys` gets all of them. */
const liveKeysBySnapshot = new WeakMap<ReadonlyMap<string, StoredExperiment>, string[]>();

function liveKeys(all: ReadonlyMap<string, StoredExperiment>): string[] {
  let keys = liveKeysBySnapshot.get(all);
  if (!keys) {
    keys = [...all.values()].filter(isLive).map((e) => e.key);
    liveKeysBySnapshot.set(all, keys);
  }
  return keys;
}

/**
 * The answer for one user. Returning users whose rows the cache holds, with the definitions and rules loaded, are
 * answered synchronously, without a promise: the route then awaits nothing for them (each promise costs more while
 * an AsyncLocalStorage keeps Node's promise hook on). Anything that needs the database returns a promise.
 */
export function assignUser(
  storage: Storage,
  cache: ExperimentCache,
  request: AssignmentRequest,
  rules: RuleLookups = noRuleLookups,
  rows?: AssignmentCache,
): MaybePromise<AssignmentResponse> {
  const snapshot = cache.peek();
  if (!snapshot) return cache.snapshot().then((loaded) => withRules(storage, loaded, request, rules, rows));
  return withRules(storage, snapshot, request, rules, rows);
}

function withRules(
  storage: Storage,
  { experiments: all, savedGroups }: ExperimentSnapshot,
  request: AssignmentRequest,
  rules: RuleLookups,
  rows: AssignmentCache | undefined,
): MaybePromise<AssignmentResponse> {
  rows?.sync(all);
  const keys = request.experiment_keys ? [...new Set(request.experiment_keys)] : liveKeys(all);
  const unknown = keys.filter((k) => !all.has(k));
  const live = keys.map((k) => all.get(k)).filter(isLive);
  const running = live.filter((e) => e.status === 'running');
  const userId = request.user_id;
  const forced = live.length > 0 ? rules.forcedVariations(userId) : {};
  const holdouts = running.length > 0 ? rules.holdouts() : [];
  const evaluate = (forcedVariations: Record<string, string>, active: readonly RuleHoldout[]) => {
    // The request's user_id is the `id` attribute whatever the attributes say, so the default hash is the user id.
    const context = { attributes: { ...request.attributes, id: userId }, savedGroups, forcedVariations };
    const evaluations = new Map<string, ExperimentEvaluation>(
      live.map((e) => {
        const covering = e.status === 'running' ? holdoutsFor(active, e.key) : [];
        const experiment = covering.length > 0 ? { ...targeted(e), holdouts: covering } : targeted(e);
        return [e.id, evaluateExperiment(context, experiment)];
      }),
    );
    // Every running experiment is looked up, so a stored row wins; only bucketed users get a new one. A forced user's
    // stored row is not needed for the answer, so it is neither read nor cached.
    const computed = running
      .filter((e) => evaluations.get(e.id)!.reason !== 'forced')
      .map((e) => {
        const evaluation = evaluations.get(e.id)!;
        return {
          experiment_id: e.id,
          variant: evaluation.reason === 'assigned' ? evaluation.variant : null,
          hash_attribute: evaluation.hashAttribute,
        };
      });
    return stickyRows(storage, { all, keys, unknown, running, holdouts: active, evaluations, computed }, userId, rows);
  };
  if (isPromiseLike(forced) || isPromiseLike(holdouts)) {
    return Promise.all([forced, holdouts]).then(([f, h]) => evaluate(f, h));
  }
  return evaluate(forced, holdouts);
}

/**
 * The stored rows of the answer: from the cache, else read or inserted. Synchronous when the cache holds every row
 * and no holdout row is to be stored.
 */
function stickyRows(
  storage: Storage,
  evaluated: Evaluated,
  userId: string,
  rows: AssignmentCache | undefined,
): MaybePromise<AssignmentResponse> {
  const sticky = new Map<string, StickyAnswer>();
  // Scopes taken before the statement: a row that comes back after its experiment's entries were dropped is filed
  // under the old scope, which nothing reads any more.
  const scopes = new Map<string, string>();
  let missing = evaluated.computed;
  if (rows) {
    missing = [];
    for (const row of evaluated.computed) {
      const scope = rows.scope(row.experiment_id);
      scopes.set(row.experiment_id, scope);
      const hit = rows.get(scope, userId);
      if (hit) sticky.set(row.experiment_id, { variant: hit.variant, assigned_at: hit.assignedAt, created: false });
      else missing.push(row);
    }
  }
  const held = holdoutRowsFor(evaluated.running, evaluated.evaluations, evaluated.holdouts, userId, rows);
  if (missing.length === 0 && held.length === 0) return answer(evaluated, userId, sticky);
  return storeMissing(storage, missing, held, { userId, rows, sticky, scopes }).then(() =>
    answer(evaluated, userId, sticky),
  );
}

/** What the statements fill in: the answer's rows, and the cache. */
interface StickyState {
  userId: string;
  rows: AssignmentCache | undefined;
  sticky: Map<string, StickyAnswer>;
  scopes: Map<string, string>;
}

/** Reads or inserts the rows the cache did not hold, and stores the holdout rows, noting both in the cache. */
async function storeMissing(
  storage: Storage,
  missing: readonly NewStickyRow[],
  heldRows: NewHoldoutRow[],
  { userId, rows, sticky, scopes }: StickyState,
): Promise<void> {
  let held = heldRows;
  const remember = (row: StickyRow, created: boolean) => {
    const answer = { variant: row.variant, assigned_at: row.assigned_at.toISOString(), created };
    sticky.set(row.experiment_id, answer);
    rows?.set(scopes.get(row.experiment_id)!, userId, { variant: row.variant, assignedAt: answer.assigned_at });
  };
  // With the cache on, a row it does not hold is almost always a first-time user's, who needs the insert anyway: the
  // insert-or-read statement alone then answers in one round trip (it returns the rows that already existed too, and
  // first answers still win by the keys). Without the cache, or with nothing to insert, the indexed read goes first,
  // so a returning user (evicted, answered by another instance so far) never runs a write statement.
  const insertsFirst = rows !== undefined && (held.length > 0 || missing.some((r) => r.variant !== null));
  if (missing.length > 0 && !insertsFirst) {
    const ids = missing.map((r) => r.experiment_id);
    const stored =
      held.length > 0
        ? await storage.assignments.findWithHoldouts(
            userId,
            ids,
            held.map((h) => h.holdout_key),
          )
        : { rows: await storage.assignments.find(userId, ids), holdouts: [] as string[] };
    for (const row of stored.rows) remember(row, false);
    for (const key of stored.holdouts) rows?.addHoldout(key, userId);
    held = held.filter((h) => !stored.holdouts.includes(h.holdout_key));
  }
  // Sent without a variant, a row inserts nothing but comes back if it is stored.
  const toInsert = insertsFirst ? missing : missing.filter((r) => r.variant !== null && !sticky.has(r.experiment_id));
  for (const row of await storage.assignments.upsertSticky(userId, toInsert, held)) remember(row, row.created);
  for (const row of held) rows?.addHoldout(row.holdout_key, userId);
  const lostRace = toInsert
    .filter((r) => r.variant !== null && !sticky.has(r.experiment_id))
    .map((r) => r.experiment_id);
  if (lostRace.length > 0) {
    for (const row of await storage.assignments.find(userId, lostRace)) remember(row, false);
  }
}

function answer(
  { all, keys, unknown, evaluations }: Evaluated,
  userId: string,
  sticky: ReadonlyMap<string, StickyAnswer>,
): AssignmentResponse {
  const assignments: Assignment[] = keys
    .filter((k) => all.has(k))
    .map((key) => {
      const experiment = all.get(key) as StoredExperiment;
      const evaluation = evaluations.get(experiment.id);
      const unstored = (variant: string | null, reason: EvaluationReason): Assignment => ({
        experiment_key: key,
        variant,
        reason,
        value: valueOf(experiment, variant),
        assigned_at: null,
        new: false,
      });
      if (!evaluation) return unstored(null, 'inactive');
      // Overrides and releases are never stored; a stored row wins over what the rules say now.
      if (evaluation.reason === 'forced' || evaluation.reason === 'released') {
        return unstored(evaluation.variant, evaluation.reason);
      }
      const row = sticky.get(experiment.id);
      if (!row) return unstored(null, evaluation.reason);
      return {
        experiment_key: key,
        variant: row.variant,
        reason: 'assigned',
        value: valueOf(experiment, row.variant),
        assigned_at: row.assigned_at,
        new: row.created,
      };
    });
  return { user_id: userId, assignments, unknown_experiments: unknown };
}
