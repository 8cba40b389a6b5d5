/**
 * Transactions and entity writes without MikroORM's AsyncLocalStorages. `em.transactional()` runs its callback inside
 * one (TransactionContext) and `em.flush()` runs inside another (the unit of work's flush guard); on Node 20, once any
 * AsyncLocalStorage has been entered, Node's promise hooks stay on for every promise of the process, including every
 * request's (measured: 16 % of a returning user's request CPU in `serve`). The stores' transactions therefore bind the
 * connection's own transaction to their fork, and write entities through the same change sets a flush computes.
 */
import { ChangeSetType, type EntityManager } from '@mikro-orm/core';

/**
 * Runs `work` inside one transaction on `em`, a fork of its own: every query of `em` (and every `rawQuery(em, …)`)
 * joins it; a rejection rolls it back. Nothing is flushed at the end: entity changes are written by
 * {@link writeEntity}.
 * @example return inTransaction(fork(), async (em) => rawQuery(em, 'select … for update', [key]));
 */
export function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.getConnection('write').transactional(async (trx) => {
    em.setTransactionContext(trx);
    try {
      return await work(em);
    } finally {
      em.resetTransactionContext();
    }
  });
}

/**
 * Writes one entity as `em.flush()` would (a new one inserted with its `onCreate` values, a loaded one updated with
 * what changed and its `onUpdate` values, nothing when nothing changed), in `em`'s transaction if it has one.
 */
export async function writeEntity(em: EntityManager, entity: object): Promise<void> {
  const unitOfWork = em.getUnitOfWork();
  unitOfWork.computeChangeSet(entity);
  const changeSet = unitOfWork.getChangeSets().find((c) => c.entity === entity);
  if (!changeSet) return;
  const persister = unitOfWork.getChangeSetPersister();
  const options = { ctx: em.getTransactionContext() };
  if (changeSet.type === ChangeSetType.CREATE) await persister.executeInserts([changeSet], options);
  else await persister.executeUpdates([changeSet], false, options);
}
