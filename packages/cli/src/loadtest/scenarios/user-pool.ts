import { LOAD_TEST_USER_PREFIX } from '@ab-calicritters/core';

/**
 * The run's users: `<prefix><index>` with indexes handed out from 0 up, so the data checks can list exactly this run's
 * users (prefix + 0 … size − 1) and reach their rows through the user_id indexes.
 */

interface PickedUser {
  userId: string;
  /** True the first time this user is handed out. */
  fresh: boolean;
}

export interface UserPool {
  readonly prefix: string;
  /** How many distinct users were handed out. */
  readonly size: number;
  /** A first-time user with probability `freshShare` (always when the pool is empty), else a returning one. */
  pick(freshShare: number): PickedUser;
}

/** The user id prefix of a run: `lt-<run id>-`. */
export function runUserPrefix(runId: string): string {
  return `${LOAD_TEST_USER_PREFIX}${runId}-`;
}

/**
 * An empty pool of users named `prefix` + index.
 * @example const users = createUserPool(runUserPrefix(runId), Math.random); users.pick(0.3).userId;
 */
export function createUserPool(prefix: string, random: () => number): UserPool {
  let size = 0;
  return {
    prefix,
    get size() {
      return size;
    },
    pick(freshShare) {
      if (size === 0 || random() < freshShare) return { userId: `${prefix}${size++}`, fresh: true };
      return { userId: `${prefix}${Math.floor(random() * size)}`, fresh: false };
    },
  };
}
