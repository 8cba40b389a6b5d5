/**
 * Values that are usually at hand and only sometimes loaded. The assignment hot path passes them along without a
 * promise when it can: each promise (and each `await`, even of a plain value) costs an allocation and a microtask,
 * and more while an AsyncLocalStorage keeps Node's promise hook on.
 */

/** A value, or the promise of one when it had to be loaded. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Whether the value is still to come (a thenable).
 * @example const value = isPromiseLike(result) ? await result : result;
 */
export const isPromiseLike = <T>(value: MaybePromise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
