/** Refusing to change an archived definition: it is kept as it was, for the record. */

/** Thrown when updating an experiment, funnel, holdout or metric that has been archived. */
export class ArchivedError extends Error {
  readonly code = 'archived';
  override name = 'ArchivedError';
  constructor(
    readonly what: 'experiment' | 'funnel' | 'holdout' | 'metric',
    readonly key: string,
  ) {
    super(`${what} '${key}' is archived and cannot be changed`);
  }
}
