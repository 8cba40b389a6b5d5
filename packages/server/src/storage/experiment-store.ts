/** Experiment definitions through the ORM (low volume, admin-driven). */
import type { EntityManager, InferEntity } from '@mikro-orm/core';
import type { ExperimentDefinition, ExperimentPatch, ExperimentRecord } from '@ab-calicritters/core';
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

export function createExperimentStore(fork: () => EntityManager) {
  return {
    async list(): Promise<ExperimentRecord[]> {
      const rows = await fork().find(Experiment, {}, { orderBy: { createdAt: 'asc', key: 'asc' } });
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

    /** Applies a patch; returns null when the key does not exist. */
    async update(key: string, patch: ExperimentPatch): Promise<ExperimentRecord | null> {
      const em = fork();
      const entity = await em.findOne(Experiment, { key });
      if (!entity) return null;
      em.assign(entity, patch);
      await em.flush();
      return toRecord(entity);
    },
  };
}
