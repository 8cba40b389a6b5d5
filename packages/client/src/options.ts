/** Client options, their defaults, and their validation (a bad option fails `createClient` naming it). */
import { LIMITS } from '@ab-calicritters/core';
import type { AssignableExperiment } from './wire-types.js';
import { objectProblem, userIdProblem } from './event.js';
import { host, systemClock, type Clock, type FetchLike } from './platform.js';
import { createMemoryStorage, type StorageAdapter } from './storage.js';

/** An experiment definition for offline assignment, as the admin API holds it. */
export type BootstrapExperiment = AssignableExperiment;

/** Options of {@link createClient}. Only `baseUrl` is required. */
export interface ClientOptions {
  /** Server origin (and optional path prefix), e.g. `https://ab.example.com`. */
  baseUrl: string;
  /** The user; when absent, a random anonymous id is made and persisted until `identify()`. */
  userId?: string;
  /** Sent with `POST /v1/assignment` (targeting attributes). */
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
  /** Experiment definitions for offline assignment before (or without) the server's answer. */
  bootstrap?: BootstrapExperiment[];
  /** Keys asked for by `refreshAssignments()`. Default: the bootstrap keys, or every running experiment if none. */
  experimentKeys?: string[];
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
export type ResolvedOptions = Required<Omit<ClientOptions, 'userId' | 'experimentKeys'>> &
  Pick<ClientOptions, 'userId' | 'experimentKeys'>;

/** Defaults and bounds of the numeric options: [default, min, max]. */
const NUMBERS = {
  flushAt: [20, 1],
  flushIntervalMs: [10_000, 0],
  maxBatchSize: [100, 1, LIMITS.maxEventsPerBatch],
  maxQueueSize: [10_000, 1],
  requestTimeoutMs: [10_000, 1],
  retryBaseMs: [1000, 1],
  retryMaxMs: [60_000, 1],
} as const;

function fail(option: string, expected: string): never {
  throw new TypeError(`createClient: \`${option}\` must be ${expected}`);
}

/** Validate options and fill in defaults; throws a TypeError naming the first bad option. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') fail('options', 'an object');
  const { baseUrl, userId, storage, bootstrap = [], experimentKeys } = options;
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
  if (!Array.isArray(bootstrap) || !bootstrap.every((e) => typeof e?.key === 'string' && Array.isArray(e.variants))) {
    fail('bootstrap', 'an array of { key, variants }');
  }
  const keys = experimentKeys ?? bootstrap.map((e) => e.key);
  if (
    !Array.isArray(keys) ||
    keys.length > LIMITS.maxExperimentKeysPerRequest ||
    !keys.every((k) => typeof k === 'string')
  ) {
    fail(
      experimentKeys ? 'experimentKeys' : 'bootstrap',
      `at most ${LIMITS.maxExperimentKeysPerRequest} experiment keys`,
    );
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
    experimentKeys: experimentKeys ?? (bootstrap.length > 0 ? keys : undefined),
    autoRefresh: options.autoRefresh ?? true,
    autoExposure: options.autoExposure ?? true,
    storagePrefix: options.storagePrefix ?? 'abcc:',
    headers: options.headers ?? {},
  };
}
