/**
 * The metric catalog as the admin API and the CLI manage it: schema, storable text, the rules of each kind, then the
 * references a ratio makes. Metrics are archived, never deleted: experiments keep naming them and their results stay
 * readable. A metric that an active ratio uses as numerator or denominator cannot become a ratio itself (409).
 */
import {
  jsonValueProblem,
  metricDefinitionProblems,
  type MetricDefinition,
  type MetricRecord,
  type MetricReplacement,
} from '@ab-calicritters/core';
import { MAX_ERROR_DETAILS, badRequest, conflict, notFound, type ErrorDetail } from '../http/http-error.js';
import { parse } from '../http/schema-validator.js';
import { ArchivedError } from '../storage/archived-error.js';
import type { MetricInput } from '../storage/metric-store.js';
import type { Storage } from '../storage/storage.js';
import { DuplicateKeyError } from '../storage/unique-flush.js';

/** The catalog, checked: what the admin routes and the CLI's direct mode call. */
export type MetricAdmin = ReturnType<typeof createMetricAdmin>;

/** Days of pre-exposure data CUPED reads when a metric does not say. */
const DEFAULT_CUPED_LOOKBACK_DAYS = 14;

function invalid(problems: readonly ErrorDetail[]) {
  const fields = [...new Set(problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
  return badRequest('invalid_metric', `The metric is invalid (${fields})`, problems);
}

/** The body checked against its schema, for storable text and by the rules of its kind, or a 400 naming fields. */
function checked<K extends 'MetricDefinition' | 'MetricReplacement'>(id: K, body: unknown) {
  const parsed = parse(id, body);
  if (!parsed.ok) throw invalid(parsed.problems);
  const text = jsonValueProblem(parsed.value);
  if (text) throw invalid([{ field: text.path || '/', message: text.message }]);
  const rules = metricDefinitionProblems(parsed.value);
  if (rules.length > 0) throw invalid(rules);
  return parsed.value;
}

/** Defaults filled in: what the store keeps. */
function toInput(key: string, def: MetricDefinition | MetricReplacement): MetricInput {
  const ratio = def.kind === 'ratio';
  return {
    key,
    name: def.name ?? null,
    description: def.description ?? null,
    kind: def.kind,
    event: def.event ?? null,
    filter: def.filter ?? null,
    property: def.kind === 'sum' ? (def.property ?? 'value') : null,
    numerator: def.numerator ?? null,
    denominator: def.denominator ?? null,
    window_hours: def.window_hours ?? null,
    capping: def.capping ?? null,
    direction: def.direction ?? 'higher',
    cuped_lookback_days: ratio ? 0 : (def.cuped_lookback_days ?? DEFAULT_CUPED_LOOKBACK_DAYS),
  };
}

/** A ratio's numerator and denominator must be active `count` or `sum` metrics of the catalog. */
async function ratioProblems(storage: Storage, input: MetricInput): Promise<ErrorDetail[]> {
  if (input.kind !== 'ratio') return [];
  const parts = [
    ['numerator', input.numerator],
    ['denominator', input.denominator],
  ] as const;
  const found = await storage.metrics.getMany(parts.map(([, key]) => key ?? ''));
  return parts.flatMap(([field, key]): ErrorDetail[] => {
    const metric = found.find((m) => m.key === key);
    if (!metric) return [{ field: `/${field}`, message: `metric '${key}' does not exist` }];
    if (metric.status === 'archived') return [{ field: `/${field}`, message: `metric '${key}' is archived` }];
    if (metric.kind !== 'count' && metric.kind !== 'sum') {
      return [{ field: `/${field}`, message: `metric '${key}' is a ${metric.kind} metric; a count or sum is needed` }];
    }
    return [];
  });
}

export function createMetricAdmin(storage: Storage) {
  return {
    /** By key; archived ones only with `includeArchived`. */
    list: (includeArchived = false): Promise<MetricRecord[]> => storage.metrics.list({ includeArchived }),

    async get(key: string): Promise<MetricRecord> {
      const record = await storage.metrics.get(key);
      if (!record) throw notFound(`metric '${key}' does not exist`);
      return record;
    },

    async create(body: unknown): Promise<MetricRecord> {
      const def = checked('MetricDefinition', body);
      const input = toInput(def.key, def);
      const problems = await ratioProblems(storage, input);
      if (problems.length > 0) throw invalid(problems);
      try {
        return await storage.metrics.create(input);
      } catch (error) {
        if (error instanceof DuplicateKeyError) throw conflict(`metric '${def.key}' already exists`);
        throw error;
      }
    },

    /** Replaces the whole definition (fields left out take their defaults); the key never changes. */
    async replace(key: string, body: unknown): Promise<MetricRecord> {
      const def = checked('MetricReplacement', body);
      if (def.key !== undefined && def.key !== key) {
        throw invalid([{ field: '/key', message: `the key of a metric cannot change (the path names '${key}')` }]);
      }
      const input = toInput(key, def);
      const problems = await ratioProblems(storage, input);
      if (problems.length > 0) throw invalid(problems);
      if (input.kind !== 'count' && input.kind !== 'sum') {
        const ratios = await storage.metrics.ratiosUsing(key);
        if (ratios.length > 0) {
          throw conflict(
            `metric '${key}' is the numerator or denominator of ${ratios.map((r) => `'${r}'`).join(', ')}: it must stay a count or sum`,
          );
        }
      }
      let record: MetricRecord | null;
      try {
        record = await storage.metrics.replace(input);
      } catch (error) {
        if (error instanceof ArchivedError) throw conflict(`${error.message}; create a new metric instead`);
        throw error;
      }
      if (!record) throw notFound(`metric '${key}' does not exist`);
      return record;
    },

    /** Archives: experiments that name it keep their results; new references are refused. Twice is a no-op. */
    async archive(key: string): Promise<MetricRecord> {
      const record = await storage.metrics.archive(key);
      if (!record) throw notFound(`metric '${key}' does not exist`);
      return record;
    },
  };
}

/**
 * The catalog metrics an experiment definition names, checked: each must exist, be active, and appear once. Throws a
 * 400 naming `/metrics/<i>/key`.
 */
export async function checkExperimentMetrics(
  storage: Storage,
  refs: ReadonlyArray<{ key: string }> | undefined,
): Promise<void> {
  if (!refs || refs.length === 0) return;
  const found = await storage.metrics.getMany([...new Set(refs.map((r) => r.key))]);
  const seen = new Set<string>();
  const problems = refs.flatMap(({ key }, i): ErrorDetail[] => {
    const field = `/metrics/${i}/key`;
    const metric = found.find((m) => m.key === key);
    if (seen.has(key)) return [{ field, message: `metric '${key}' is named twice` }];
    seen.add(key);
    if (!metric) return [{ field, message: `metric '${key}' does not exist in the catalog` }];
    if (metric.status === 'archived') return [{ field, message: `metric '${key}' is archived` }];
    return [];
  });
  if (problems.length === 0) return;
  const fields = [...new Set(problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
  throw badRequest('invalid_definition', `The experiment is invalid (${fields})`, problems);
}
