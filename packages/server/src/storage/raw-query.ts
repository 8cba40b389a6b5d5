/**
 * Runs one parameterised statement through the ORM's knex instance, so values are bound by the driver ($1, $2, …)
 * rather than inlined into the SQL text. Lists travel as one jsonb parameter: the same SQL then works on pg and PGlite.
 * Inside `em.transactional()` the statement joins that transaction (on PGlite's single connection anything else
 * would wait for itself).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';

/** A value bound to a `?` placeholder: scalars only; lists go as JSON text. */
export type SqlValue = string | number | boolean | null | Date;

export async function rawQuery<T>(em: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  const knex = (em as SqlEntityManager).getConnection().getKnex();
  const query = knex.raw(sql, params);
  const trx = em.getTransactionContext<Knex.Transaction>();
  if (trx) query.transacting(trx);
  const result = (await query) as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}
