/**
 * Runs one parameterised statement through the ORM's knex instance, so values are bound by the driver ($1, $2, …)
 * rather than inlined into the SQL text. Lists travel as one jsonb parameter: the same SQL then works on pg and PGlite.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';

/** A value bound to a `?` placeholder: scalars only; lists go as JSON text. */
export type SqlValue = string | number | boolean | null | Date;

export async function rawQuery<T>(em: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  const knex = (em as SqlEntityManager).getConnection().getKnex();
  const result = (await knex.raw(sql, params)) as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}
