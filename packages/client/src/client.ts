/** The client: assembles queue, delivery, assignments and exposures around the injected storage, fetch and clock. */
import { LIMITS } from '@ab-calicritters/core';
import type {
  AssignmentResponse,
  DefinitionsResponse,
  SavedGroups,
  TargetedExperiment,
  TrackedEvent,
} from './wire-types.js';
import { AssignmentStore, attributesFingerprint } from './assignment-store.js';
import { ClientError } from './client-error.js';
import { byKey, definitionsProblem, savedGroupsProblem } from './definitions.js';
import { Delivery, type FlushResult } from './delivery.js';
import { Emitter } from './emitter.js';
import { eventProblem, newEvent, objectProblem, toQueued, userIdProblem, type QueuedEvent } from './event.js';
import { EventQueue } from './event-queue.js';
import { ExposureLog } from './exposure-log.js';
import { errorMessage, getJson, postJson } from './http.js';
import { resolveOptions, type ClientOptions, type ResolvedOptions } from './options.js';
import { host } from './platform.js';
import { NOTHING, resolveAssignment, type ResolveContext, type VariantAssignment } from './resolve-assignment.js';
import { sendBatch, wireEvents } from './send-batch.js';
import { eventId, uuidv4 } from './uuid.js';

/** Events of {@link AbClient.on}. */
export interface ClientEvents {
  error: ClientError;
  flush: FlushResult;
}

/** Counters of {@link AbClient.stats}. */
export interface ClientStats {
  /** Events waiting for delivery. */
  queued: number;
  /** Events the server stored. */
  accepted: number;
  /** Events the server already had (re-sent after a lost answer). */
  duplicates: number;
  /** Events the server refused as invalid, dropped. */
  rejected: number;
  /** Oldest events dropped because the queue reached `maxQueueSize`. */
  dropped: number;
}

/** The name exposure events carry. */
export const EXPOSURE_EVENT = '$exposure';
const MAX_EXPOSURES = 2000;
/** Bound of the remembered reads: an app asking for ever new keys must not grow it without end. */
const MAX_MEMO = 1000;

/** A remembered read: the assignment, and whether its exposure was handled for the current user. */
interface Memo {
  assignment: VariantAssignment;
  exposed: boolean;
}

/** An A/B testing client; make one with {@link createClient}. */
export class AbClient {
  /** Resolves once the persisted state (user, queue, assignments, exposures) is loaded. Never rejects. */
  readonly ready: Promise<void>;
  readonly #o: ResolvedOptions;
  readonly #emitter = new Emitter<ClientEvents>();
  readonly #queue: EventQueue;
  readonly #delivery: Delivery;
  readonly #assignments: AssignmentStore;
  readonly #exposures: ExposureLog;
  #userId: string | undefined;
  #attributes: Record<string, unknown> = {};
  #fingerprint = attributesFingerprint({});
  /** Set when `setAttributes()` changed them: the next read asks the server again (with `autoRefresh`). */
  #attributesChanged = false;
  readonly #bootstrap: ReadonlyMap<string, TargetedExperiment>;
  /** Local evaluation's definitions; null: the server's answers decide. */
  #definitions: ReadonlyMap<string, TargetedExperiment> | null;
  #savedGroups: SavedGroups;
  /** ETag of the definitions `fetchDefinitions()` put in use, for a conditional request. */
  #definitionsEtag: string | undefined;
  #definitionsTimer: unknown;
  #loaded = false;
  /** Events tracked before loading finished; queued after the persisted ones. */
  #pending: TrackedEvent[] = [];
  #dropped = 0;
  #timer: unknown;
  #closed = false;
  /** The flushAt check and a write of the queue and the exposure pairs are scheduled for the end of this turn. */
  #turnEndScheduled = false;
  /** Changes with whatever a read depends on besides the server's answers: user, attributes, definitions. */
  #revision = 0;
  /**
   * Reads remembered while `#revision` and the answers' revision are those they were made with, so a repeated
   * `getVariant()` is one lookup. Only server answers (and "nothing known") are kept: local evaluation reads
   * definitions the app may change in place, and a query-string override the page address, which may change anytime.
   */
  readonly #memo = new Map<string, Memo>();
  #memoRevision = -1;
  #memoAnswers = -1;

  constructor(options: ClientOptions) {
    const o = (this.#o = resolveOptions(options));
    this.#userId = o.userId;
    this.#useAttributes(o.attributes, 'createClient');
    this.#attributesChanged = false;
    this.#bootstrap = byKey(o.bootstrap);
    this.#definitions = o.definitions ? byKey(o.definitions) : null;
    this.#savedGroups = o.savedGroups;
    const storageError = this.#storageError;
    this.#queue = new EventQueue(o.storage, `${o.storagePrefix}queue`, o.maxQueueSize, storageError);
    this.#assignments = new AssignmentStore(o.storage, o.storagePrefix, storageError);
    this.#exposures = new ExposureLog(o.storage, `${o.storagePrefix}exposures`, MAX_EXPOSURES, storageError);
    this.#delivery = new Delivery({
      ...o,
      queue: this.#queue,
      send: (batch) => sendBatch(o, batch, this.#queue.json(batch)),
      report: (error) => this.#report(error),
      flushed: (result) => this.#emitter.emit('flush', result),
    });
    this.ready = this.#load();
  }

  /** Subscribe to `error` or `flush`; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(type: K, listener: (payload: ClientEvents[K]) => void): () => void {
    return this.#emitter.on(type, listener);
  }

  /** Unsubscribe a listener added with `on`. */
  off<K extends keyof ClientEvents>(type: K, listener: (payload: ClientEvents[K]) => void): void {
    this.#emitter.off(type, listener);
  }

  /** The current user id (undefined only for an anonymous user before `ready`). */
  get userId(): string | undefined {
    return this.#userId;
  }

  /**
   * The user's variant of an experiment, synchronously (see {@link AbClient.getAssignment} for where it comes from), or
   * null when the user is not in it. Logs one `$exposure` per user and experiment when the user was bucketed
   * (reason `assigned`); forced and released variants log none.
   * @example if (client.getVariant('paywall_copy') === 'urgency') showUrgentPaywall();
   */
  getVariant(experimentKey: string): string | null {
    return this.#read(experimentKey, true).variant;
  }

  /**
   * The JSON payload of the user's variant, or `fallback` when the user has no variant, the variant has no payload,
   * or the payload's JSON type (string, number, boolean, array, object) is not the fallback's. Logs the exposure as
   * `getVariant()` does: reading a payload is showing the variant.
   * @example const copy = client.getVariantValue('paywall_copy', { title: 'Go premium' });
   */
  getVariantValue<T>(experimentKey: string, fallback: T): T {
    const { variant, value } = this.#read(experimentKey, true);
    if (variant === null || value === null || value === undefined) return fallback;
    return fallback === null || fallback === undefined || jsonType(value) === jsonType(fallback)
      ? (value as T)
      : fallback;
  }

  /**
   * What the client knows of the user in an experiment, for debugging: `{ variant, reason, value, source }`. Logs no
   * exposure.
   * @example client.getAssignment('paywall_copy') // { variant: null, reason: 'not_targeted', value: null, source: 'server' }
   */
  getAssignment(experimentKey: string): VariantAssignment {
    return { ...this.#read(experimentKey, false) };
  }

  /**
   * Replace the targeting attributes. Refused with an `invalid_argument` error when the server could not store them
   * (see `track()`). When they change, cached exclusions that depend on them are no longer used, sticky variants are
   * kept, and the next `getVariant()`/`getVariantValue()` asks the server again (with `autoRefresh`).
   * @example client.setAttributes({ platform: 'ios', app: { version: '3.4.1' }, country: 'CA' })
   */
  setAttributes(attributes: Record<string, unknown>): void {
    const problem = objectProblem('attributes', attributes);
    if (problem) this.#report(new ClientError('invalid_argument', `setAttributes: ${problem}`));
    else this.#useAttributes(attributes, 'setAttributes');
  }

  /** A copy of the current targeting attributes. */
  getAttributes(): Record<string, unknown> {
    return copyJson(this.#attributes);
  }

  /**
   * Switch local evaluation on with these definitions (and saved groups), or off with null. Malformed definitions are
   * refused with an `invalid_argument` error.
   * @example client.setDefinitions(await (await fetch('/experiments.json')).json());
   */
  setDefinitions(definitions: TargetedExperiment[] | null, savedGroups?: SavedGroups): void {
    const problem =
      (definitions === null ? undefined : definitionsProblem(definitions)) ??
      (savedGroups === undefined ? undefined : savedGroupsProblem(savedGroups));
    if (problem) {
      this.#report(new ClientError('invalid_argument', `setDefinitions: ${problem}`));
      return;
    }
    this.#definitions = definitions && byKey(definitions);
    this.#definitionsEtag = undefined;
    if (savedGroups !== undefined) this.#savedGroups = savedGroups;
    this.#revision++;
  }

  /**
   * Load the running and released experiments, and the saved groups their conditions name, from the server's
   * `GET /v1/definitions` into local evaluation (as
   * `setDefinitions()` does). Conditional: while the set is unchanged the server answers `304` and nothing changes.
   * Resolves true when the definitions in use are the server's current ones; on failure it reports a `definitions`
   * error and resolves false (the definitions in use stay).
   * @example await client.fetchDefinitions(); client.getVariant('paywall_copy') // decided on the device
   */
  async fetchDefinitions(): Promise<boolean> {
    const etag = this.#definitions ? this.#definitionsEtag : undefined;
    try {
      const result = await getJson(this.#o, '/v1/definitions', etag);
      if (result.status === 304 && etag) return true;
      const body = result.body as DefinitionsResponse | undefined;
      const experiments = body?.experiments;
      // A server without saved groups sends none: the groups in use stay.
      const groups = body?.saved_groups;
      const groupsProblem = groups === undefined ? undefined : savedGroupsProblem(groups);
      const problem =
        result.status !== 200
          ? errorMessage(result)
          : (definitionsProblem(experiments) ?? (groupsProblem && `saved_groups: ${groupsProblem}`));
      if (!problem) {
        this.#definitions = byKey(experiments!);
        if (groups !== undefined) this.#savedGroups = groups;
        this.#revision++;
        this.#definitionsEtag = result.etag ?? undefined;
        return true;
      }
      this.#report(new ClientError('definitions', `GET /v1/definitions: ${problem}`, { status: result.status }));
    } catch (cause) {
      this.#report(new ClientError('definitions', String(cause), { cause }));
    }
    return false;
  }

  /**
   * Ask the server for the user's sticky assignments and persist them. Resolves true when the server answered;
   * on failure it reports an `assignment` error and resolves false (cached or local variants stay in use).
   */
  async refreshAssignments(): Promise<boolean> {
    await this.ready;
    const userId = this.#userId!;
    const keys = this.#experimentKeys();
    const body = { user_id: userId, ...(keys && { experiment_keys: keys }), attributes: this.#attributes };
    const fingerprint = this.#fingerprint;
    this.#attributesChanged = false;
    try {
      const result = await postJson(this.#o, '/v1/assignment', JSON.stringify(body));
      const response = result.body as AssignmentResponse | undefined;
      if (result.status === 200 && Array.isArray(response?.assignments)) {
        await this.#assignments.accept(userId, response, fingerprint);
        return userId === this.#userId;
      }
      this.#report(new ClientError('assignment', errorMessage(result), { status: result.status }));
    } catch (cause) {
      this.#report(new ClientError('assignment', String(cause), { cause }));
    }
    return false;
  }

  /**
   * Queue an event. Never throws and never waits: the properties are copied and the time is read now; the event is
   * persisted at the end of the current turn (see docs/CLIENT_SDK.md, Delivery guarantees) and sent with the next
   * batch. Problems are reported through `on('error')`.
   * @example client.track('purchase', { amount_cents: 499 })
   */
  track(name: string, properties?: Record<string, unknown>): void {
    try {
      if (this.#loaded) return this.#add(this.#userId!, name, properties);
      if (properties === undefined) return this.#enqueue(this.#event(name, properties));
      // Before loading, the event waits in memory: copy the properties so later changes by the caller do not leak in.
      // They are checked first: what is too deep to copy is refused here rather than overflowing the stack.
      const problem = objectProblem('properties', properties);
      if (problem) this.#report(new ClientError('invalid_event', problem, { events: [this.#event(name, properties)] }));
      else this.#enqueue(this.#event(name, copyJson(properties)));
    } catch (cause) {
      this.#report(new ClientError('invalid_event', String(cause), { cause }));
    }
  }

  /**
   * Switch to another user (login) and/or update attributes; refreshes assignments when `autoRefresh` is on. A user id
   * or attributes the server would refuse (see `track()`) ignore the whole call with an `invalid_argument` error.
   */
  identify(userId: string, attributes?: Record<string, unknown>): void {
    const problem =
      userIdProblem(userId) ?? (attributes === undefined ? undefined : objectProblem('attributes', attributes));
    if (problem) {
      this.#report(new ClientError('invalid_argument', `identify: ${problem}`));
      return;
    }
    const changed = userId !== this.#userId;
    this.#userId = userId;
    this.#revision++;
    if (attributes) this.#useAttributes(attributes, 'identify');
    if (!this.#loaded) return;
    if (changed) {
      void this.#assignments.use(userId);
      void this.#setItem('user', userId);
    }
    if (this.#o.autoRefresh) void this.refreshAssignments();
  }

  /** Persist, then send everything queued now. Concurrent calls share one flush. Never rejects. */
  async flush(): Promise<void> {
    await this.ready;
    await this.#persistState();
    await this.#delivery.flush(true);
  }

  /** Call when the app goes to the background: persists state and flushes. */
  async onBackground(): Promise<void> {
    await this.flush();
  }

  /** Stop timers and make a final flush, waiting at most `timeoutMs`. Unsent events stay persisted. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#timer);
    this.#o.clock.clearTimeout(this.#definitionsTimer);
    this.#delivery.close();
    let timer: unknown;
    const timeout = new Promise<void>((resolve) => (timer = this.#o.clock.setTimeout(resolve, timeoutMs)));
    await Promise.race([this.onBackground(), timeout]);
    this.#o.clock.clearTimeout(timer);
  }

  /** Delivery counters since creation. */
  stats(): ClientStats {
    const { accepted, duplicates, rejected } = this.#delivery.stats;
    return {
      queued: this.#queue.length + this.#pending.length,
      accepted,
      duplicates,
      rejected,
      dropped: this.#dropped,
    };
  }

  async #load(): Promise<void> {
    const { storagePrefix: prefix, storage } = this.#o;
    let stored: string | null = null;
    try {
      stored = await storage.getItem(`${prefix}user`);
    } catch (cause) {
      this.#storageError(cause);
    }
    const [queueDropped, exposed] = await Promise.all([this.#queue.load(), this.#exposures.load()]);
    // A stored id the server would refuse (written by an older version) would make every event invalid.
    this.#userId ??= (stored && !userIdProblem(stored) && stored) || `anon-${uuidv4()}`;
    if (this.#userId !== stored) void this.#setItem('user', this.#userId);
    this.#revision++;
    await this.#assignments.use(this.#userId);
    this.#loaded = true;
    this.#onDropped(queueDropped);
    for (const event of this.#pending.splice(0)) {
      const experimentKey = (event.properties as { experiment_key?: string } | undefined)?.experiment_key;
      if (event.name !== EXPOSURE_EVENT || !exposed(event.user_id, experimentKey!)) {
        this.#enqueue({ ...event, user_id: event.user_id || this.#userId });
      }
    }
    void this.#persistState();
    // The first tick runs now: events left over from the previous run go out at start.
    if (this.#o.flushIntervalMs > 0 && !this.#closed) this.#tick();
    if (this.#o.definitionsRefreshMs > 0 && !this.#closed) this.#pollDefinitions();
    if (this.#o.autoRefresh) void this.refreshAssignments();
  }

  #pollDefinitions = (): void => {
    if (this.#closed) return;
    void this.fetchDefinitions().finally(() => {
      if (!this.#closed) {
        this.#definitionsTimer = this.#o.clock.setTimeout(this.#pollDefinitions, this.#o.definitionsRefreshMs);
      }
    });
  };

  /** Decide `experimentKey` for the current user; logs the exposure when asked to and the user was bucketed. */
  #read(experimentKey: string, expose: boolean): VariantAssignment {
    const userId = this.#userId;
    if (!userId || typeof experimentKey !== 'string') return NOTHING;
    if (this.#attributesChanged && this.#loaded && this.#o.autoRefresh) {
      this.#attributesChanged = false;
      void this.refreshAssignments();
    }
    const memo = this.#remembered(experimentKey) ?? this.#resolve(experimentKey, userId);
    const { assignment } = memo;
    if (expose && !memo.exposed && assignment.variant !== null && assignment.reason === 'assigned') {
      memo.exposed = true;
      if (this.#o.autoExposure) this.#expose(userId, experimentKey, assignment.variant);
    }
    return assignment;
  }

  /** The remembered read of `experimentKey`, unless what it depends on changed since. */
  #remembered(experimentKey: string): Memo | undefined {
    if (this.#memoRevision !== this.#revision || this.#memoAnswers !== this.#assignments.revision) {
      this.#memo.clear();
      this.#memoRevision = this.#revision;
      this.#memoAnswers = this.#assignments.revision;
    }
    return this.#memo.get(experimentKey);
  }

  #resolve(experimentKey: string, userId: string): Memo {
    let assignment: VariantAssignment;
    try {
      assignment = resolveAssignment(experimentKey, this.#context(userId));
    } catch (cause) {
      // Only a malformed definition gets here; the app falls back to its default experience.
      this.#report(new ClientError('invalid_argument', String(cause), { cause }));
      return { assignment: NOTHING, exposed: true };
    }
    const memo = { assignment, exposed: false };
    const { source } = assignment;
    if ((source === 'server' || source === 'none') && !this.#o.enableQueryStringOverride) {
      if (this.#memo.size >= MAX_MEMO) this.#memo.clear();
      this.#memo.set(experimentKey, memo);
    }
    return memo;
  }

  #context(userId: string): ResolveContext {
    let url: string | undefined;
    if (this.#o.enableQueryStringOverride) {
      try {
        url = this.#o.location() ?? undefined;
      } catch {
        // A location provider that fails means no address, hence no override; the read must not throw.
      }
    }
    return {
      userId,
      attributes: this.#attributes,
      fingerprint: this.#fingerprint,
      savedGroups: this.#savedGroups,
      url: typeof url === 'string' ? url : undefined,
      definitions: this.#definitions,
      bootstrap: this.#bootstrap,
      answer: (key) => this.#assignments.answer(key, userId),
    };
  }

  /** Keys to ask the server for: the option, else the local definitions' (all running ones past the request limit). */
  #experimentKeys(): string[] | undefined {
    if (this.#o.experimentKeys) return this.#o.experimentKeys;
    const keys = [...(this.#definitions ?? this.#bootstrap).keys()];
    return keys.length > 0 && keys.length <= LIMITS.maxExperimentKeysPerRequest ? keys : undefined;
  }

  /** Take checked attributes as a copy, so later changes by the caller do not leak in; `caller` names errors. */
  #useAttributes(attributes: Record<string, unknown>, caller: string): void {
    let copy: Record<string, unknown>;
    try {
      copy = copyJson(attributes);
    } catch (cause) {
      this.#report(new ClientError('invalid_argument', `${caller}: attributes: ${String(cause)}`, { cause }));
      return;
    }
    // A toJSON() may have turned them into something else.
    const problem = objectProblem('attributes', copy);
    if (problem) {
      this.#report(new ClientError('invalid_argument', `${caller}: ${problem}`));
      return;
    }
    const fingerprint = attributesFingerprint(copy);
    if (fingerprint === this.#fingerprint) return;
    this.#attributes = copy;
    this.#fingerprint = fingerprint;
    this.#revision++;
    this.#attributesChanged = true;
  }

  #tick = (): void => {
    if (this.#closed) return;
    this.#timer = this.#o.clock.setTimeout(this.#tick, this.#o.flushIntervalMs);
    if (this.#queue.length > 0) void this.#delivery.flush(false);
  };

  /** Queue a wire event (tracked before loading): checked now, as the server would. */
  #enqueue(event: TrackedEvent): void {
    if (!this.#loaded) {
      this.#pending.push(event);
      return;
    }
    const problem = eventProblem(event);
    if (problem) this.#report(new ClientError('invalid_event', problem, { events: [event] }));
    else this.#queued(toQueued(event));
  }

  /** Queue an event once loaded: checked and serialised now, its id and timestamp made when first written. */
  #add(userId: string, name: string, properties: Record<string, unknown> | undefined): void {
    const event = newEvent(this.#o.clock.now(), userId, name, properties);
    if (typeof event !== 'string') this.#queued(event);
    else this.#report(new ClientError('invalid_event', event, { events: [this.#event(name, properties, userId)] }));
  }

  #queued(event: QueuedEvent): void {
    const dropped = this.#queue.push(event);
    if (dropped.length > 0) this.#onDropped(dropped);
    this.#scheduleTurnEnd();
  }

  /**
   * What follows tracking is done once per turn, however many events it tracked: scheduled as a microtask, so it runs
   * as soon as the code that tracked them returns. A burst then costs one write, and goes out in as few batches as
   * `maxBatchSize` allows rather than one of `flushAt` events and then the rest.
   */
  #scheduleTurnEnd(): void {
    if (this.#turnEndScheduled) return;
    this.#turnEndScheduled = true;
    void Promise.resolve().then(this.#turnEnd);
  }

  #turnEnd = (): Promise<void> => {
    this.#turnEndScheduled = false;
    if (this.#queue.length >= this.#o.flushAt) void this.#delivery.flush(false);
    return this.#persistState();
  };

  /** Write the queue, then the exposure pairs whose events it now holds (never a pair before its event). */
  #persistState = async (): Promise<void> => {
    const exposures = this.#exposures.snapshot();
    if ((await this.#queue.persist()) && exposures) await this.#exposures.write(exposures);
  };

  /** Queue an exposure unless already logged for this pair. Before loading, the check is completed in `#load`. */
  #expose(userId: string, experimentKey: string, variant: string): void {
    if (this.#exposures.has(userId, experimentKey)) return;
    this.#exposures.add(userId, experimentKey);
    const properties = { experiment_key: experimentKey, variant };
    if (this.#loaded) this.#add(userId, EXPOSURE_EVENT, properties);
    else this.#pending.push(this.#event(EXPOSURE_EVENT, properties, userId));
  }

  #event(name: string, properties: Record<string, unknown> | undefined, userId = this.#userId ?? ''): TrackedEvent {
    const event: TrackedEvent = {
      event_id: eventId(),
      user_id: userId,
      name,
      timestamp: new Date(this.#o.clock.now()).toISOString(),
    };
    if (properties !== undefined) event.properties = properties;
    return event;
  }

  #onDropped(dropped: readonly QueuedEvent[]): void {
    if (dropped.length === 0) return;
    this.#dropped += dropped.length;
    this.#report(
      new ClientError('queue_full', `dropped ${dropped.length} oldest events`, { events: wireEvents(dropped) }),
    );
  }

  async #setItem(name: string, value: string): Promise<void> {
    try {
      await this.#o.storage.setItem(this.#o.storagePrefix + name, value);
    } catch (cause) {
      this.#storageError(cause);
    }
  }

  #storageError = (cause: unknown): void => this.#report(new ClientError('storage', String(cause), { cause }));

  #report(error: ClientError): void {
    if (!this.#emitter.emit('error', error)) host.console?.warn(`[ab-calicritters] ${error.code}: ${error.message}`);
  }
}

function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The JSON type of a value, telling arrays and null from objects. */
function jsonType(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/**
 * Create a client. Fails fast, naming the option, on bad configuration; afterwards nothing it does throws.
 * @example
 * const client = createClient({ baseUrl: 'https://ab.example.com', userId: 'user-42', storage: AsyncStorage });
 * const variant = client.getVariant('paywall_copy');
 * client.track('purchase', { amount_cents: 499 });
 */
export function createClient(options: ClientOptions): AbClient {
  return new AbClient(options);
}
