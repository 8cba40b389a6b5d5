/** Experiment definitions through the ORM (low volume, admin-driven). */
import { LockMode, type EntityManager, type InferEntity } from '@mikro-orm/core';
import type {
  ExperimentDefinition,
  ExperimentPatch,
  ExperimentRecord,
  ExperimentStatus,
  NamespaceClaim,
} from '@ab-calicritters/core';
import { ArchivedError } from './archived-error.js';
import { Experiment } from './entities.js';
import { checkExperimentChange, type ExperimentState } from './experiment-change-rules.js';
import { rawQuery } from './raw-query.js';
import { inTransaction, writeEntity } from './transaction.js';
import { flushNew } from './unique-flush.js';

type ExperimentEntity = InferEntity<typeof Experiment>;

/** An experiment created without `analysis` is analysed sequentially, as every results request was before. */
const DEFAULT_ANALYSIS = { method: 'sequential' } as const;

function toRecord(e: ExperimentEntity): ExperimentRecord {
  return {
    key: e.key,
    name: e.name ?? null,
    seed: e.seed,
    coverage: e.coverage,
    variants: e.variants,
    status: e.status,
    condition: e.condition ?? null,
    hash_attribute: e.hashAttribute,
    fallback_attribute: e.fallbackAttribute ?? null,
    namespace: e.namespace ?? null,
    released_variant: e.releasedVariant ?? null,
    released_at: e.releasedAt ? e.releasedAt.toISOString() : null,
    metrics: e.metrics ?? [],
    analysis: e.analysis ?? DEFAULT_ANALYSIS,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

/** Experiment with its database id, for joining assignments. */
export interface StoredExperiment extends ExperimentRecord {
  id: string;
}

/** A namespace claim with the claiming experiment's status, for listing a namespace's ranges. */
export interface StoredNamespaceClaim extends NamespaceClaim {
  status: ExperimentStatus;
}

/** Wire field → entity property, for applying a patch. */
const PROPERTIES = {
  name: 'name',
  seed: 'seed',
  coverage: 'coverage',
  variants: 'variants',
  status: 'status',
  condition: 'condition',
  hash_attribute: 'hashAttribute',
  fallback_attribute: 'fallbackAttribute',
  namespace: 'namespace',
  released_variant: 'releasedVariant',
  metrics: 'metrics',
  analysis: 'analysis',
} as const satisfies Record<keyof ExperimentPatch, keyof ExperimentEntity>;

/** Serialises writes that claim namespace ranges (any constant shared by every writer; PGlite has it too). */
const NAMESPACE_LOCK = 7_007_001;

/**
 * The status-dependent fields after a change: leaving `released` clears the released variant (archiving keeps it,
 * for the record); entering it stamps `released_at`.
 */
function settleRelease(entity: ExperimentEntity, wasReleased: boolean): void {
  if (entity.status === 'released') {
    if (!wasReleased) entity.releasedAt = new Date();
  } else if (entity.status !== 'archived') {
    entity.releasedVariant = null;
    entity.releasedAt = null;
  }
}

/** The claims of every experiment that is not archived, but one. */
async function otherClaims(em: EntityManager, key: string): Promise<StoredNamespaceClaim[]> {
  const rows = await em.find(Experiment, { status: { $ne: 'archived' }, namespace: { $ne: null }, key: { $ne: key } });
  return rows.map((e) => ({ key: e.key, status: e.status, namespace: e.namespace! }));
}

/** What the change rules look at; timestamps are only set when a new entity is flushed. */
const stateOf = (e: ExperimentEntity): ExperimentState => ({
  key: e.key,
  status: e.status,
  seed: e.seed,
  hash_attribute: e.hashAttribute,
  fallback_attribute: e.fallbackAttribute ?? null,
  variants: e.variants,
  released_variant: e.releasedVariant ?? null,
  namespace: e.namespace ?? null,
});

/** What a list of definitions holds: active ones only, unless archived ones are asked for. */
export interface ListOptions {
  includeArchived?: boolean;
}

export function createExperimentStore(fork: () => EntityManager) {
  /** Runs `change` on the row locked for update, so an archive and a concurrent update cannot interleave. */
  async function locked(
    key: string,
    change: (entity: ExperimentEntity, em: EntityManager) => Promise<void> | void,
  ): Promise<ExperimentRecord | null> {
    return inTransaction(fork(), async (em) => {
      const entity = await em.findOne(Experiment, { key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!entity) return null;
      await change(entity, em);
      await writeEntity(em, entity);
      return toRecord(entity);
    });
  }

  /** Claims of the other experiments, read after taking the namespace lock when the change claims a range. */
  async function claimsFor(em: EntityManager, key: string, patch: ExperimentPatch): Promise<NamespaceClaim[]> {
    if (!patch.namespace) return [];
    await rawQuery(em, 'select pg_advisory_xact_lock(?)', [NAMESPACE_LOCK]);
    return otherClaims(em, key);
  }

  return {
    /** Oldest first; archived experiments only with `includeArchived`. */
    async list({ includeArchived = false }: ListOptions = {}): Promise<ExperimentRecord[]> {
      const where = includeArchived ? {} : { status: { $ne: 'archived' as const } };
      const rows = await fork().find(Experiment, where, { orderBy: { createdAt: 'asc', key: 'asc' } });
      return rows.map(toRecord);
    },

    /** Every experiment with its id, for assignment. */
    async listWithIds(): Promise<StoredExperiment[]> {
      const rows = await fork().find(Experiment, {}, { orderBy: { key: 'asc' } });
      return rows.map((e) => ({ ...toRecord(e), id: e.id }));
    },

    async get(key: string): Promise<ExperimentRecord | null> {
      const row = await fork().findOne(Experiment, { key });
      return row ? toRecord(row) : null;
    },

    /**
     * Stores a new experiment.
     * @throws {DefinitionConflictError} when its release names no variant or its namespace range is taken.
     */
    async create(def: ExperimentDefinition): Promise<ExperimentRecord> {
      return inTransaction(fork(), async (em) => {
        const claims = await claimsFor(em, def.key, def);
        const entity = em.create(Experiment, {
          key: def.key,
          name: def.name ?? null,
          seed: def.seed ?? def.key,
          coverage: def.coverage ?? 1,
          variants: def.variants,
          status: def.status ?? 'draft',
          condition: def.condition ?? null,
          hashAttribute: def.hash_attribute ?? 'id',
          fallbackAttribute: def.fallback_attribute ?? null,
          namespace: def.namespace ? [...def.namespace] : null,
          releasedVariant: def.released_variant ?? null,
          releasedAt: null,
          metrics: def.metrics ?? [],
          analysis: def.analysis ?? DEFAULT_ANALYSIS,
        });
        settleRelease(entity, false);
        checkExperimentChange(null, def, stateOf(entity), () => claims);
        await flushNew(em, entity, def.key);
        return toRecord(entity);
      });
    },

    /**
     * Applies a patch; returns null when the key does not exist.
     * @throws {ArchivedError} when the experiment is archived: it no longer changes.
     * @throws {DefinitionConflictError} when the rules refuse the change (see ./experiment-change-rules.ts).
     */
    update(key: string, patch: ExperimentPatch): Promise<ExperimentRecord | null> {
      return locked(key, async (entity, em) => {
        if (entity.status === 'archived') throw new ArchivedError('experiment', key);
        const before = toRecord(entity);
        const claims = await claimsFor(em, key, patch);
        for (const [field, value] of Object.entries(patch) as Array<[keyof ExperimentPatch, unknown]>) {
          (entity as Record<string, unknown>)[PROPERTIES[field]] =
            field === 'namespace' && Array.isArray(value) ? [...(value as unknown[])] : value;
        }
        settleRelease(entity, before.status === 'released');
        checkExperimentChange(before, patch, stateOf(entity), () => claims);
      });
    },

    /** Every namespace claim of an experiment that is not archived. */
    namespaceClaims(): Promise<StoredNamespaceClaim[]> {
      return otherClaims(fork(), '');
    },

    /**
     * Sets the status `archived` (it then assigns nobody); its sticky assignments and events stay. Archiving an
     * archived experiment changes nothing. Returns null when the key does not exist.
     */
    archive(key: string): Promise<ExperimentRecord | null> {
      return locked(key, (entity) => {
        entity.status = 'archived';
      });
    },
  };
}
