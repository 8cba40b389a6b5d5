/** Funnel definitions through the ORM. */
import { LockMode, type EntityManager, type InferEntity } from '@mikro-orm/core';
import type { FunnelDefinition, FunnelPatch, FunnelRecord } from '@ab-calicritters/core';
import { ArchivedError } from './archived-error.js';
import { Funnel } from './entities.js';
import type { ListOptions } from './experiment-store.js';
import { inTransaction, writeEntity } from './transaction.js';
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
    archived_at: f.archivedAt ? f.archivedAt.toISOString() : null,
  };
}

export function createFunnelStore(fork: () => EntityManager) {
  /** Runs `change` on the row locked for update, so an archive and a concurrent update cannot interleave. */
  async function locked(name: string, change: (entity: FunnelEntity) => void): Promise<FunnelRecord | null> {
    return inTransaction(fork(), async (em) => {
      const entity = await em.findOne(Funnel, { name }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!entity) return null;
      change(entity);
      await writeEntity(em, entity);
      return toRecord(entity);
    });
  }

  return {
    /** By name; archived funnels only with `includeArchived`. */
    async list({ includeArchived = false }: ListOptions = {}): Promise<FunnelRecord[]> {
      const rows = await fork().find(Funnel, includeArchived ? {} : { archivedAt: null }, { orderBy: { name: 'asc' } });
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
      await flushNew(em, entity, def.name);
      return toRecord(entity);
    },

    /**
     * Applies a patch; returns null when the name does not exist.
     * @throws {ArchivedError} when the funnel is archived: it no longer changes.
     */
    update(name: string, patch: FunnelPatch): Promise<FunnelRecord | null> {
      return locked(name, (entity) => {
        if (entity.archivedAt) throw new ArchivedError('funnel', name);
        if (patch.steps) entity.steps = patch.steps;
        if (patch.conversion_window_hours !== undefined) entity.conversionWindowHours = patch.conversion_window_hours;
      });
    },

    /**
     * Sets `archived_at`: the funnel leaves the lists and the funnel rollup, its rollup rows stay. Archiving an
     * archived funnel changes nothing. Returns null when the name does not exist.
     */
    archive(name: string): Promise<FunnelRecord | null> {
      return locked(name, (entity) => {
        entity.archivedAt ??= new Date();
      });
    },
  };
}
