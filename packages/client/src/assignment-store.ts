/**
 * Variants for the current user. The server's sticky answer wins once known (it is persisted per user, so it
 * survives restarts and offline starts); until then a variant is computed locally with core's `assign()` from the
 * bootstrap definitions, which gives the same answer the server gives a new user.
 */
import { assign } from '@ab-calicritters/core';
import type { AssignableExperiment, AssignmentResponse } from './wire-types.js';
import type { StorageAdapter } from './storage.js';

/** Variant per experiment key as the server answered (null: outside coverage or unknown to the server). */
export type ServerAssignments = Record<string, string | null>;

export class AssignmentStore {
  readonly #storage: StorageAdapter;
  readonly #prefix: string;
  readonly #bootstrap: Map<string, AssignableExperiment>;
  readonly #onError: (error: unknown) => void;
  #userId: string | undefined;
  #server: ServerAssignments = {};

  constructor(
    storage: StorageAdapter,
    prefix: string,
    bootstrap: readonly AssignableExperiment[],
    onError: (error: unknown) => void,
  ) {
    this.#storage = storage;
    this.#prefix = prefix;
    this.#bootstrap = new Map(bootstrap.map((e) => [e.key, e]));
    this.#onError = onError;
  }

  /** The variant of `userId` in `key`: the server's answer, else local assignment, else null. */
  variant(key: string, userId: string): string | null {
    if (userId === this.#userId && key in this.#server) return this.#server[key] ?? null;
    const definition = this.#bootstrap.get(key);
    return definition ? assign(definition, userId) : null;
  }

  /** Make `userId` current and load its persisted server answers (kept if the user changed again meanwhile). */
  async use(userId: string): Promise<void> {
    if (userId === this.#userId) return;
    this.#userId = userId;
    this.#server = {};
    try {
      const raw = await this.#storage.getItem(this.#key(userId));
      const stored = raw ? (JSON.parse(raw) as ServerAssignments) : {};
      // Answers that arrived while loading are newer than the stored ones.
      if (userId === this.#userId) this.#server = { ...stored, ...this.#server };
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Record a server answer for `userId` and persist it. Unknown experiments read as null from now on. */
  async accept(userId: string, response: AssignmentResponse): Promise<void> {
    if (userId !== this.#userId) return;
    for (const a of response.assignments) this.#server[a.experiment_key] = a.variant;
    for (const key of response.unknown_experiments ?? []) this.#server[key] = null;
    try {
      await this.#storage.setItem(this.#key(userId), JSON.stringify(this.#server));
    } catch (error) {
      this.#onError(error);
    }
  }

  #key(userId: string): string {
    return `${this.#prefix}assignments:${userId}`;
  }
}
