/** Writing a new definition, with a unique-key violation turned into {@link DuplicateKeyError}. */
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { writeEntity } from './transaction.js';

/** Thrown when creating a definition whose key already exists. */
export class DuplicateKeyError extends Error {
  readonly code = 'duplicate_key';
  override name = 'DuplicateKeyError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`'${key}' already exists`, options);
  }
}

export async function flushNew(em: EntityManager, entity: object, key: string): Promise<void> {
  try {
    await writeEntity(em, entity);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new DuplicateKeyError(key, { cause: error });
    throw error;
  }
}
