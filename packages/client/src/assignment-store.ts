/**
 * The server's answers for the current user, persisted per user so they survive restarts and offline starts. Each
 * answer remembers a fingerprint of the attributes it was computed with: an exclusion that depends on them
 * (`not_targeted`, `holdout`, `namespace`, `outside_coverage`) is stale once the attributes change, while a variant
 * is kept (the server's sticky row wins over targeting).
 */
import type { AssignmentResponse, EvaluationReason } from './wire-types.js';
import type { StorageAdapter } from './storage.js';

/** One experiment's answer as the SDK keeps it. */
export interface ServerAnswer {
  variant: string | null;
  /** `unknown`: the server does not know the experiment. */
  reason: EvaluationReason | 'unknown';
  value: unknown;
  /** {@link attributesFingerprint} of the attributes sent with the request that got this answer. */
  attributes?: string;
}

const REASONS: ReadonlySet<string> = new Set<EvaluationReason>([
  'forced',
  'released',
  'inactive',
  'holdout',
  'namespace',
  'not_targeted',
  'outside_coverage',
  'assigned',
]);

/** Reasons a change of attributes can overturn (the hash attribute may be one of them, too). */
const ATTRIBUTE_DEPENDENT: ReadonlySet<string> = new Set(['not_targeted', 'holdout', 'namespace', 'outside_coverage']);

/** A short fingerprint of attributes (FNV-1a of their JSON and its length): equal attributes, equal fingerprints. */
export function attributesFingerprint(attributes: Readonly<Record<string, unknown>>): string {
  const json = JSON.stringify(attributes);
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) h = Math.imul(h ^ json.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(36)}.${json.length.toString(36)}`;
}

/** Whether an answer may no longer hold for attributes with this fingerprint. */
export function isStale(answer: ServerAnswer, fingerprint: string): boolean {
  return ATTRIBUTE_DEPENDENT.has(answer.reason) && answer.attributes !== fingerprint;
}

/** An answer from the wire or from storage; older servers send no reason or value, older SDKs stored the variant. */
function normalise(stored: unknown): ServerAnswer | undefined {
  if (stored === null || typeof stored === 'string') {
    return { variant: stored, reason: stored === null ? 'outside_coverage' : 'assigned', value: null };
  }
  if (!stored || typeof stored !== 'object') return undefined;
  const { variant, reason, value, attributes } = stored as Record<string, unknown>;
  if (variant !== null && typeof variant !== 'string') return undefined;
  const known = typeof reason === 'string' && (REASONS.has(reason) || reason === 'unknown');
  return {
    variant,
    reason: known ? (reason as ServerAnswer['reason']) : variant === null ? 'outside_coverage' : 'assigned',
    value: value ?? null,
    ...(typeof attributes === 'string' && { attributes }),
  };
}

export class AssignmentStore {
  readonly #storage: StorageAdapter;
  readonly #prefix: string;
  readonly #onError: (error: unknown) => void;
  #userId: string | undefined;
  #server: Record<string, ServerAnswer> = {};
  #revision = 0;

  constructor(storage: StorageAdapter, prefix: string, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#prefix = prefix;
    this.#onError = onError;
  }

  /** Changes whenever an answer may have changed: what was read before may be stale. */
  get revision(): number {
    return this.#revision;
  }

  /** The server's answer for `userId` in `key`, or undefined when there is none. */
  answer(key: string, userId: string): ServerAnswer | undefined {
    return userId === this.#userId && Object.hasOwn(this.#server, key) ? this.#server[key] : undefined;
  }

  /** Make `userId` current and load its persisted server answers (kept if the user changed again meanwhile). */
  async use(userId: string): Promise<void> {
    if (userId === this.#userId) return;
    this.#userId = userId;
    this.#server = {};
    this.#revision++;
    try {
      const raw = await this.#storage.getItem(this.#key(userId));
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      const stored: Record<string, ServerAnswer> = {};
      if (parsed && typeof parsed === 'object') {
        for (const [key, value] of Object.entries(parsed)) {
          const answer = normalise(value);
          if (answer) stored[key] = answer;
        }
      }
      // Answers that arrived while loading are newer than the stored ones.
      if (userId === this.#userId) {
        this.#server = { ...stored, ...this.#server };
        this.#revision++;
      }
    } catch (error) {
      this.#onError(error);
    }
  }

  /**
   * Record a server answer for `userId`, computed with attributes of fingerprint `attributes`, and persist it.
   * Unknown experiments read as `unknown` from now on.
   */
  async accept(userId: string, response: AssignmentResponse, attributes: string): Promise<void> {
    if (userId !== this.#userId) return;
    for (const a of response.assignments) {
      // A proxy or a future server could send anything: only well-formed entries are kept.
      const answer = a && typeof a === 'object' ? normalise(a) : undefined;
      if (answer && typeof a.experiment_key === 'string') this.#server[a.experiment_key] = { ...answer, attributes };
    }
    const unknown: unknown = response.unknown_experiments;
    for (const key of Array.isArray(unknown) ? unknown : []) {
      if (typeof key === 'string') this.#server[key] = { variant: null, reason: 'unknown', value: null };
    }
    this.#revision++;
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
