/**
 * `calicritters experiments list|create|update|archive`: manage definitions with the same checks as the admin API, in the
 * database directly or through a running server's admin API.
 */
import type { ExperimentRecord, ExperimentStatus } from '@ab-calicritters/core';
import {
  ArchivedError,
  DefinitionConflictError,
  DuplicateKeyError,
  parseExperimentDefinition,
  parseExperimentPatch,
  type ErrorDetail,
  type Parsed,
  type Storage,
} from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';

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
}

/** The wire fields of the input (the CLI's options are camelCase). */
function wireFields({ releasedVariant, variants, ...rest }: ExperimentInput) {
  return definedOnly({
    ...rest,
    variants: variants ? parseVariants(variants) : undefined,
    released_variant: releasedVariant,
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
  const def = valid(parseExperimentDefinition(wireFields(input)));
  try {
    return await target.experiments.create(def);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw new CliError(`experiment '${input.key}' already exists`, 1);
    return refused(error);
  }
}

export async function updateExperiment(
  target: ExperimentsTarget,
  key: string,
  input: Omit<ExperimentInput, 'key'>,
): Promise<ExperimentRecord> {
  const patch = wireFields(input);
  if (Object.keys(patch).length === 0)
    throw new CliError(
      'Nothing to update: pass --status, --variants, --coverage, --name, --seed or --released-variant',
      2,
    );
  let record: ExperimentRecord | null;
  try {
    record = await target.experiments.update(key, valid(parseExperimentPatch(patch)));
  } catch (error) {
    if (error instanceof ArchivedError) throw new CliError(`${error.message}: create a new experiment instead`, 1);
    return refused(error);
  }
  if (!record) throw new CliError(`experiment '${key}' does not exist`, 1);
  return record;
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
