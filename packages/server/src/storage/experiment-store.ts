/** Experiment definitions through the ORM (low volume, admin-driven). */
import { LockMode, type EntityManager, type InferEntity } from '@mikro-orm/core';
import type { ExperimentDefinition, ExperimentPatch, ExperimentRecord } from '@ab-calicritters/core';
import { ArchivedError } from './archived-error.js';
import { Experiment } from './entities.js';
import { flushNew } from './unique-flush.js';

type ExperimentEntity = InferEntity<typeof Experiment>;

function toRecord(e: ExperimentEntity): ExperimentRecord {
  return {
    key: e.key,
    name: e.name ?? null,
    seed: e.seed,
    coverage: e.coverage,
    variants: e.variants,
    status: e.status,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

/** Experiment with its database id, for joining assignments. */
export interface StoredExperiment extends ExperimentRecord {
  id: string;
}

/** What a list of definitions holds: active ones only, unless archived ones are asked for. */
export interface ListOptions {
  includeArchived?: boolean;
}

export function createExperimentStore(fork: () => EntityManager) {
  /** Runs `change` on the row locked for update, so an archive and a concurrent update cannot interleave. */
  async function locked(
    key: string,
    change: (entity: ExperimentEntity, em: EntityManager) => void,
  ): Promise<ExperimentRecord | null> {
    return fork().transactional(async (em) => {
      const entity = await em.findOne(Experiment, { key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!entity) return null;
      change(entity, em);
      await em.flush();
      return toRecord(entity);
    });
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

    async create(def: ExperimentDefinition): Promise<ExperimentRecord> {
      const em = fork();
      const entity = em.create(Experiment, {
        key: def.key,
        name: def.name ?? null,
        seed: def.seed ?? def.key,
        coverage: def.coverage ?? 1,
        variants: def.variants,
        status: def.status ?? 'draft',
      });
      await flushNew(em, def.key);
      return toRecord(entity);
    },

    /**
     * Applies a patch; returns null when the key does not exist.
     * @throws {ArchivedError} when the experiment is archived: it no longer changes.
     */
    update(key: string, patch: ExperimentPatch): Promise<ExperimentRecord | null> {
      return locked(key, (entity, em) => {
        if (entity.status === 'archived') throw new ArchivedError('experiment', key);
        em.assign(entity, patch);
      });
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
