/**
 * `calicritters experiments list|create|update|release|archive`: manage definitions with the same checks as the admin
 * API, in the database directly or through a running server's admin API. `show` is in experiments-show.ts.
 */
import { METRIC_ROLES, type ExperimentRecord, type ExperimentStatus, type MetricRole } from '@ab-calicritters/core';
import {
  ArchivedError,
  checkExperimentMetrics,
  DefinitionConflictError,
  DuplicateKeyError,
  parseExperimentDefinition,
  parseExperimentPatch,
  type ErrorDetail,
  type Parsed,
  type Storage,
} from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { asCliErrors } from './overrides.js';

/** Parses `control:0.5,treatment:0.5` into variants. */
export function parseVariants(spec: string): Array<{ key: string; weight: number }> {
  return spec.split(',').map((part) => {
    const [key = '', weight = ''] = part.split(':').map((s) => s.trim());
    const value = Number(weight);
    if (!key || weight === '' || !Number.isFinite(value)) {
      throw new CliError(
        `--variants takes key:weight pairs separated by commas, e.g. control:0.5,treatment:0.5 (bad part '${part}')`,
        2,
      );
    }
    return { key, weight: value };
  });
}

const isRole = (text: string): text is MetricRole => (METRIC_ROLES as readonly string[]).includes(text);

/**
 * `--metrics key:role,…`: the catalog metrics an experiment is analysed on, role `goal` when left out; `''` is none
 * (clears them on update). The role is after the last colon, so a key holding colons needs its role written.
 * @example parseMetrics('checkout_rate,refunds:guardrail') // [{ key: 'checkout_rate', role: 'goal' }, { key: 'refunds', role: 'guardrail' }]
 */
export function parseMetrics(spec: string): Array<{ key: string; role: MetricRole }> {
  if (spec.trim() === '') return [];
  return spec.split(',').map((part) => {
    const at = part.lastIndexOf(':');
    const key = (at < 0 ? part : part.slice(0, at)).trim();
    const role = at < 0 ? 'goal' : part.slice(at + 1).trim();
    if (!key) {
      throw new CliError(
        `--metrics takes catalog metric keys with an optional role, separated by commas, e.g. checkout_rate:goal,refunds:guardrail ('' for none; bad part '${part}')`,
        2,
      );
    }
    if (!isRole(role)) {
      throw new CliError(
        `--metrics: unknown role '${role}' for metric '${key}' (roles: ${METRIC_ROLES.join(', ')}; a key holding colons needs its role written, e.g. ${part.trim()}:goal)`,
        2,
      );
    }
    return { key, role };
  });
}

/** A JSON option's value, or a CliError naming the option (exit code 2). */
function json(option: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${option} takes JSON (${(error as Error).message}): got '${text}'`, 2);
  }
}

/** `--condition <json>`: an object, or `null` / `{}` to target everyone. */
export function parseCondition(text: string): Record<string, unknown> | null {
  const value = json('--condition', text);
  if (value !== null && (typeof value !== 'object' || Array.isArray(value)))
    throw new CliError(
      `--condition takes a JSON object such as '{"country":{"$in":["CA"]}}' or null (got '${text}')`,
      2,
    );
  return value as Record<string, unknown> | null;
}

/**
 * `--namespace name:start:end` (the name may hold colons: the last two parts are the range), or `none` to leave the
 * namespace.
 * @example parseNamespace('checkout:0.3:0.5') // ['checkout', 0.3, 0.5]
 */
export function parseNamespace(text: string): [string, number, number] | null {
  if (text.trim() === 'none') return null;
  const parts = text.split(':');
  const end = Number(parts.pop());
  const start = Number(parts.pop());
  const name = parts.join(':');
  if (!name || parts.length === 0 || !Number.isFinite(start) || !Number.isFinite(end) || text.trim() !== text)
    throw new CliError(`--namespace takes name:start:end, e.g. checkout:0:0.5, or none (got '${text}')`, 2);
  return [name, start, end];
}

/** `--variant-value key=<json>` options, by variant key; a key given twice is refused. */
export function parseVariantValues(specs: readonly string[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const spec of specs) {
    const at = spec.indexOf('=');
    const key = at > 0 ? spec.slice(0, at).trim() : '';
    if (!key)
      throw new CliError(`--variant-value takes key=<json>, e.g. treatment='{"color":"red"}' (got '${spec}')`, 2);
    if (values.has(key)) throw new CliError(`--variant-value gives variant '${key}' twice`, 2);
    values.set(key, json(`--variant-value ${key}`, spec.slice(at + 1)));
  }
  return values;
}

/** The checked, typed value, or a CliError listing every problem (exit code 2). */
function valid<T>(parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  const lines = parsed.problems.map((p: ErrorDetail) => `  ${p.field}: ${p.message}`);
  throw new CliError(`Invalid experiment:\n${lines.join('\n')}`, 2);
}

export interface ExperimentInput {
  key?: string;
  name?: string;
  seed?: string;
  coverage?: number;
  variants?: string;
  status?: ExperimentStatus;
  /** The variant everyone gets, with `status: 'released'`. */
  releasedVariant?: string;
  /** Targeting condition as JSON text; `null` or `{}` targets everyone. */
  condition?: string;
  hashAttribute?: string;
  fallbackAttribute?: string;
  /** `name:start:end`, or `none`. */
  namespace?: string;
  /** How the results test (`sequential` or `fixed`); replaces the stored analysis with alpha and tuning below. */
  analysisMethod?: string;
  /** Two-sided significance level of the analysis (default 0.05); only with `analysisMethod`. */
  alpha?: number;
  /** Sequential tuning parameter N* (default 5000); only with `analysisMethod`. */
  sequentialTuning?: number;
  /** Prior of the catalog metrics' Bayesian statistics (`flat` or `proper`); only with `analysisMethod`. */
  prior?: string;
  /** Catalog metrics as `key:role,…` (see parseMetrics); `''` for none. */
  metrics?: string;
}

/** The `analysis` wire field: the whole setting, so alpha, tuning and prior come with the method they belong to. */
function analysisField(
  method: string | undefined,
  alpha: number | undefined,
  tuning: number | undefined,
  prior: string | undefined,
) {
  if (method === undefined) {
    if (alpha !== undefined || tuning !== undefined || prior !== undefined)
      throw new CliError(
        '--alpha, --sequential-tuning and --prior need --analysis-method (the analysis is set as a whole)',
        2,
      );
    return undefined;
  }
  return definedOnly({ method, alpha, sequential_tuning: tuning, prior });
}

/** The wire fields of the input (the CLI's options are camelCase). */
function wireFields({
  releasedVariant,
  variants,
  condition,
  hashAttribute,
  fallbackAttribute,
  namespace,
  analysisMethod,
  alpha,
  sequentialTuning,
  prior,
  metrics,
  ...rest
}: ExperimentInput) {
  return definedOnly({
    ...rest,
    analysis: analysisField(analysisMethod, alpha, sequentialTuning, prior),
    metrics: metrics === undefined ? undefined : parseMetrics(metrics),
    variants: variants ? parseVariants(variants) : undefined,
    released_variant: releasedVariant,
    condition: condition === undefined ? undefined : parseCondition(condition),
    hash_attribute: hashAttribute,
    fallback_attribute:
      fallbackAttribute === undefined ? undefined : fallbackAttribute === 'none' ? null : fallbackAttribute,
    namespace: namespace === undefined ? undefined : parseNamespace(namespace),
  });
}

/** A change the experiment rules refuse, in direct mode: exit code 2 for invalid input, 1 for a conflict. */
function refused(error: unknown): never {
  if (error instanceof DefinitionConflictError) {
    const lines = error.problems.map((p) => `  ${p.field}: ${p.message}`);
    const what = error.kind === 'conflict' ? 'Refused' : 'Invalid experiment';
    throw new CliError(`${what}:\n${lines.join('\n')}`, error.kind === 'conflict' ? 1 : 2);
  }
  throw error;
}

/** Where definitions live: a {@link Storage}, or a running server through `createAdminApiClient`. */
export interface ExperimentsTarget {
  experiments: Pick<Storage['experiments'], 'list' | 'create' | 'update' | 'archive'>;
  /** The saved groups conditions may name; without them `$inGroup` / `$notInGroup` are refused. */
  savedGroups?: { list(): Promise<Array<{ key: string }>> };
  /**
   * In the database directly: the admin API's check of the catalog metrics a definition names (each exists, is
   * active, is named once). A running server checks them itself.
   */
  checkMetrics?(refs: ReadonlyArray<{ key: string }>): Promise<void>;
}

/** The experiments of a database, with the admin API's checks of the saved groups and catalog metrics named. */
export function storageExperiments(storage: Storage): ExperimentsTarget {
  return {
    experiments: storage.experiments,
    savedGroups: storage.savedGroups,
    checkMetrics: (refs) => checkExperimentMetrics(storage, refs),
  };
}

/** The catalog metrics of a definition checked where the target checks them (its refusal shown as the API's). */
async function checkMetrics(target: ExperimentsTarget, refs: ReadonlyArray<{ key: string }> | undefined) {
  if (refs && refs.length > 0 && target.checkMetrics) await asCliErrors(() => target.checkMetrics!(refs));
}

/** The keys of the saved groups, when the condition names any (a list only then). */
async function savedGroupIds(target: ExperimentsTarget, condition: unknown): Promise<string[]> {
  if (!target.savedGroups || !JSON.stringify(condition ?? null).includes('Group"')) return [];
  return (await target.savedGroups.list()).map((g) => g.key);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Active experiments, oldest first; archived ones too with `includeArchived`. */
export async function listExperiments(
  target: ExperimentsTarget,
  options: { includeArchived?: boolean } = {},
): Promise<ExperimentRecord[]> {
  return target.experiments.list(options);
}

export async function createExperiment(target: ExperimentsTarget, input: ExperimentInput): Promise<ExperimentRecord> {
  const fields = wireFields(input);
  const def = valid(parseExperimentDefinition(fields, await savedGroupIds(target, fields.condition)));
  await checkMetrics(target, def.metrics);
  try {
    return await target.experiments.create(def);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw new CliError(`experiment '${input.key}' already exists`, 1);
    return refused(error);
  }
}

/** One experiment by key, archived ones too; a CliError (exit code 1) when there is none. */
export async function findExperiment(target: ExperimentsTarget, key: string): Promise<ExperimentRecord> {
  const record = (await target.experiments.list({ includeArchived: true })).find((e) => e.key === key);
  if (!record) throw new CliError(`experiment '${key}' does not exist`, 1);
  return record;
}

/**
 * The variants to store: those of `--variants` when given, else the stored ones; each keeps its stored payload (a
 * weight change never drops remote config) unless `--variant-value` sets another.
 */
async function variantsWithValues(
  target: ExperimentsTarget,
  key: string,
  given: ReturnType<typeof parseVariants> | undefined,
  values: Map<string, unknown>,
): Promise<Array<{ key: string; weight: number; value?: unknown }>> {
  const stored = (await findExperiment(target, key)).variants as Array<{
    key: string;
    weight: number;
    value?: unknown;
  }>;
  const base = given ?? stored;
  const unknown = [...values.keys()].filter((k) => !base.some((v) => v.key === k));
  if (unknown.length > 0)
    throw new CliError(
      `--variant-value names no variant of '${key}': ${unknown.join(', ')} (variants: ${base.map((v) => v.key).join(', ')})`,
      2,
    );
  return base.map((v) => {
    if (values.has(v.key)) return { key: v.key, weight: v.weight, value: values.get(v.key) };
    const kept = stored.find((s) => s.key === v.key);
    return kept && kept.value !== undefined
      ? { key: v.key, weight: v.weight, value: kept.value }
      : { key: v.key, weight: v.weight };
  });
}

export async function updateExperiment(
  target: ExperimentsTarget,
  key: string,
  input: Omit<ExperimentInput, 'key'> & { variantValues?: readonly string[] },
): Promise<ExperimentRecord> {
  const { variantValues, ...fields } = input;
  const patch: Record<string, unknown> = wireFields(fields);
  const values = parseVariantValues(variantValues ?? []);
  if (values.size > 0 || patch.variants)
    patch.variants = await variantsWithValues(
      target,
      key,
      patch.variants as ReturnType<typeof parseVariants> | undefined,
      values,
    );
  if (Object.keys(patch).length === 0)
    throw new CliError(
      'Nothing to update: pass --status, --variants, --variant-value, --coverage, --condition, --hash-attribute, --fallback-attribute, --namespace, --analysis-method, --metrics, --name, --seed or --released-variant',
      2,
    );
  let record: ExperimentRecord | null;
  try {
    const groups = await savedGroupIds(target, patch.condition);
    const checked = valid(parseExperimentPatch(patch, groups));
    await checkMetrics(target, checked.metrics);
    record = await target.experiments.update(key, checked);
  } catch (error) {
    if (error instanceof ArchivedError) throw new CliError(`${error.message}: create a new experiment instead`, 1);
    return refused(error);
  }
  if (!record) throw new CliError(`experiment '${key}' does not exist`, 1);
  return record;
}

/** Releases `variant`: everyone gets it (and its payload) from then on; the results are frozen at this time. */
export function releaseExperiment(target: ExperimentsTarget, key: string, variant: string): Promise<ExperimentRecord> {
  return updateExperiment(target, key, { status: 'released', releasedVariant: variant });
}

/**
 * Archives an experiment: it assigns nobody and leaves the lists; its sticky assignments and events stay. Archiving
 * an archived experiment changes nothing.
 */
export async function archiveExperiment(target: ExperimentsTarget, key: string): Promise<ExperimentRecord> {
  const record = await target.experiments.archive(key);
  if (!record) throw new CliError(`experiment '${key}' does not exist`, 1);
  return record;
}

/** A fixed-width table for terminals. */
export function formatExperiments(records: readonly ExperimentRecord[]): string {
  if (records.length === 0) return 'No experiments.';
  const rows = records.map((r) => [
    r.key,
    // Older servers answer without released_variant.
    r.status === 'released' && r.released_variant ? `released:${r.released_variant}` : r.status,
    String(r.coverage),
    r.variants.map((v) => `${v.key}:${v.weight}`).join(' '),
  ]);
  const header = ['KEY', 'STATUS', 'COVERAGE', 'VARIANTS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
