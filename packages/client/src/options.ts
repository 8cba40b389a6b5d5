/** Client options, their defaults, and their validation (a bad option fails `createClient` naming it). */
import { LIMITS } from '@ab-calicritters/core';
import type { SavedGroups, TargetedExperiment } from './wire-types.js';
import { definitionsProblem, savedGroupsProblem } from './definitions.js';
import { objectProblem, userIdProblem } from './event.js';
import { host, systemClock, type Clock, type FetchLike } from './platform.js';
import { createMemoryStorage, type StorageAdapter } from './storage.js';

/** An experiment definition for local assignment until the server answers (see {@link TargetedExperiment}). */
export type BootstrapExperiment = TargetedExperiment;

/** Where the page address comes from, for query-string overrides; undefined or null when there is none. */
export type LocationProvider = () => string | null | undefined;

/** Options of {@link createClient}. Only `baseUrl` is required. */
export interface ClientOptions {
  /** Server origin (and optional path prefix), e.g. `https://ab.example.com`. */
  baseUrl: string;
  /** The user; when absent, a random anonymous id is made and persisted until `identify()`. */
  userId?: string;
  /**
   * Targeting attributes, sent with `POST /v1/assignment` and used by local evaluation; `id` is always the user id.
   * Change them with `setAttributes()`.
   */
  attributes?: Record<string, unknown>;
  /** AsyncStorage-shaped persistence. Default: memory (nothing survives a restart). */
  storage?: StorageAdapter;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Time and timers. Default: the real clock. */
  clock?: Clock;
  /** Source of [0, 1) for backoff jitter. Default: `Math.random`. */
  random?: () => number;
  /** Flush once this many events are queued. Default 20. */
  flushAt?: number;
  /** Flush this often while events are queued; 0 turns the timer off. Default 10000. */
  flushIntervalMs?: number;
  /** Events per request, 1..1000. Default 100. */
  maxBatchSize?: number;
  /** Events kept while the server is unreachable; past it the oldest are dropped. Default 10000. */
  maxQueueSize?: number;
  /** Experiment definitions for local assignment before (or without) the server's answer. */
  bootstrap?: BootstrapExperiment[];
  /**
   * Local evaluation: the client decides every variant itself from these definitions with core's
   * `evaluateExperiment()` and never uses the server's answers. Change them with `setDefinitions()`.
   */
  definitions?: TargetedExperiment[];
  /**
   * Load `definitions` from the server's `GET /v1/definitions` once loaded and then every this many ms (local
   * evaluation, kept current); an unchanged set costs a `304`. 0: only when `fetchDefinitions()` is called. Default 0.
   */
  definitionsRefreshMs?: number;
  /** Saved groups for `$inGroup` / `$notInGroup` conditions of local evaluation, `{ <id>: [values] }`. */
  savedGroups?: SavedGroups;
  /**
   * Keys asked for by `refreshAssignments()`. Default: the keys of `definitions` or `bootstrap`, or every running
   * experiment if none.
   */
  experimentKeys?: string[];
  /** Let `?<experiment_key>=<index>` in the page address force a variant (QA). Default false. */
  enableQueryStringOverride?: boolean;
  /** The page address for query-string overrides. Default: `globalThis.location?.href` (browsers). */
  location?: LocationProvider;
  /** Ask the server for assignments once loaded and after `identify()`. Default true. */
  autoRefresh?: boolean;
  /** Log `$exposure` when `getVariant()` returns a variant. Default true. */
  autoExposure?: boolean;
  /** Abort a request with no answer after this long. Default 10000. */
  requestTimeoutMs?: number;
  /** First retry delay ceiling; doubles per failed attempt. Default 1000. */
  retryBaseMs?: number;
  /** Cap of the retry delay ceiling. Default 60000. */
  retryMaxMs?: number;
  /** Prefix of every storage key; give two clients sharing a storage different prefixes. Default `abcc:`. */
  storagePrefix?: string;
  /** Extra request headers (e.g. an API gateway key). */
  headers?: Record<string, string>;
}

/** Options with defaults applied. */
export type ResolvedOptions = Required<Omit<ClientOptions, 'userId' | 'experimentKeys' | 'definitions'>> &
  Pick<ClientOptions, 'userId' | 'experimentKeys' | 'definitions'>;

/** Defaults and bounds of the numeric options: [default, min, max]. */
const NUMBERS = {
  flushAt: [20, 1],
  flushIntervalMs: [10_000, 0],
  maxBatchSize: [100, 1, LIMITS.maxEventsPerBatch],
  maxQueueSize: [10_000, 1],
  requestTimeoutMs: [10_000, 1],
  retryBaseMs: [1000, 1],
  retryMaxMs: [60_000, 1],
  definitionsRefreshMs: [0, 0],
} as const;

function fail(option: string, expected: string): never {
  throw new TypeError(`createClient: \`${option}\` must be ${expected}`);
}

/** Validate options and fill in defaults; throws a TypeError naming the first bad option. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') fail('options', 'an object');
  const { baseUrl, userId, storage, bootstrap = [], definitions, experimentKeys } = options;
  if (typeof baseUrl !== 'string' || !/^https?:\/\/\S+$/.test(baseUrl)) fail('baseUrl', 'an http(s) URL');
  if (userId !== undefined && userIdProblem(userId)) {
    fail('userId', `a string of 1..${LIMITS.maxUserIdLength} characters without NUL or unpaired UTF-16 surrogates`);
  }
  const attributesProblem =
    options.attributes === undefined ? undefined : objectProblem('attributes', options.attributes);
  if (attributesProblem) fail('attributes', `an object the server can store (${attributesProblem})`);
  const fetch = options.fetch ?? host.fetch?.bind(globalThis);
  if (typeof fetch !== 'function') fail('fetch', 'a function (there is no global fetch)');
  if (storage && !['getItem', 'setItem', 'removeItem'].every((m) => typeof (storage as never)[m] === 'function')) {
    fail('storage', 'a { getItem, setItem, removeItem } adapter');
  }
  for (const [name, value] of [
    ['bootstrap', bootstrap],
    ['definitions', definitions ?? []],
  ] as const) {
    const problem = definitionsProblem(value);
    if (problem) fail(name, `an array of { key, variants: [{ key, weight }] } (${problem})`);
  }
  const savedGroupsError = options.savedGroups === undefined ? undefined : savedGroupsProblem(options.savedGroups);
  if (savedGroupsError) fail('savedGroups', `an object of arrays (${savedGroupsError})`);
  for (const name of ['enableQueryStringOverride', 'autoRefresh', 'autoExposure'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') fail(name, 'a boolean');
  }
  if (options.location !== undefined && typeof options.location !== 'function') fail('location', 'a function');
  if (
    experimentKeys !== undefined &&
    (!Array.isArray(experimentKeys) ||
      experimentKeys.length > LIMITS.maxExperimentKeysPerRequest ||
      !experimentKeys.every((k) => typeof k === 'string'))
  ) {
    fail('experimentKeys', `an array of at most ${LIMITS.maxExperimentKeysPerRequest} experiment keys`);
  }
  const numbers = {} as Record<keyof typeof NUMBERS, number>;
  for (const [name, [fallback, min, max = Infinity]] of Object.entries(NUMBERS) as [
    keyof typeof NUMBERS,
    readonly number[],
  ][]) {
    const value = options[name] ?? fallback!;
    if (!Number.isSafeInteger(value) || value < min! || value > max)
      fail(name, max < Infinity ? `an integer in ${min}..${max}` : `an integer >= ${min}`);
    numbers[name] = value;
  }
  if (numbers.retryMaxMs < numbers.retryBaseMs) fail('retryMaxMs', 'at least retryBaseMs');
  return {
    ...numbers,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userId,
    attributes: options.attributes ?? {},
    storage: storage ?? createMemoryStorage(),
    fetch,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    bootstrap,
    definitions,
    savedGroups: options.savedGroups ?? {},
    experimentKeys,
    enableQueryStringOverride: options.enableQueryStringOverride ?? false,
    location: options.location ?? (() => host.location?.href),
    autoRefresh: options.autoRefresh ?? true,
    autoExposure: options.autoExposure ?? true,
    storagePrefix: options.storagePrefix ?? 'abcc:',
    headers: options.headers ?? {},
  };
}
