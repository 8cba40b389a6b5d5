/** Funnel definitions through the ORM. */
import type { EntityManager, InferEntity } from '@mikro-orm/core';
import type { FunnelDefinition, FunnelPatch, FunnelRecord } from '@ab-calicritters/core';
import { Funnel } from './entities.js';
import { flushNew } from './unique-flush.js';

type FunnelEntity = InferEntity<typeof Funnel>;

/** Conversion window when a definition omits it. */
const DEFAULT_CONVERSION_WINDOW_HOURS = 24;

function toRecord(f: FunnelEntity): FunnelRecord {
  return {
    name: f.name,
    steps: f.steps,
    conversion_window_hours: f.conversionWindowHours,
    created_at: f.createdAt.toISOString(),
    updated_at: f.updatedAt.toISOString(),
  };
}

export function createFunnelStore(fork: () => EntityManager) {
  return {
    async list(): Promise<FunnelRecord[]> {
      const rows = await fork().find(Funnel, {}, { orderBy: { name: 'asc' } });
      return rows.map(toRecord);
    },

    async get(name: string): Promise<FunnelRecord | null> {
      const row = await fork().findOne(Funnel, { name });
      return row ? toRecord(row) : null;
    },

    async create(def: FunnelDefinition): Promise<FunnelRecord> {
      const em = fork();
      const entity = em.create(Funnel, {
        name: def.name,
        steps: def.steps,
        conversionWindowHours: def.conversion_window_hours ?? DEFAULT_CONVERSION_WINDOW_HOURS,
      });
      await flushNew(em, def.name);
      return toRecord(entity);
    },

    async update(name: string, patch: FunnelPatch): Promise<FunnelRecord | null> {
      const em = fork();
      const entity = await em.findOne(Funnel, { name });
      if (!entity) return null;
      if (patch.steps) entity.steps = patch.steps;
      if (patch.conversion_window_hours !== undefined) entity.conversionWindowHours = patch.conversion_window_hours;
      await em.flush();
      return toRecord(entity);
    },
  };
}
