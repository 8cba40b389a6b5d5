/**
 * Options of the rate limits on the anonymous write endpoints, their defaults, and their validation (a bad option
 * fails `createAbRouter` with a message naming it). The reasoning behind the defaults is in docs/OPERATIONS.md.
 */
import { LIMITS } from '@ab-calicritters/core';
import type { Redis } from 'ioredis';

/** Budgets per window: per client address (IP, or IPv6 /64) and per `user_id`. */
export interface RateLimitBudgets {
  /** Window of every budget, in seconds. Default 60. */
  windowSeconds: number;
  /** `POST /v1/assignment` requests per address. Default 1200 (20/s). */
  assignmentsPerIp: number;
  /** `POST /v1/events` requests per address. Default 6000 (100/s). */
  eventRequestsPerIp: number;
  /** Events per address, counted in every batch. Default 60000 (1000/s); at least one full batch. */
  eventsPerIp: number;
  /** Request body bytes of `POST /v1/events` per address. Default 32 MiB (~0.5 MiB/s); at least one full body. */
  eventBytesPerIp: number;
  /** `POST /v1/assignment` requests per `user_id`. Default 60 (1/s). */
  assignmentsPerUser: number;
  /** Events per `user_id`. Default 3000 (50/s); at least one full batch. */
  eventsPerUser: number;
}

/** An ioredis client (or one that behaves the same). */
export type RedisClient = Pick<Redis, 'defineCommand' | 'multi' | 'del' | 'status'>;

/**
 * `createAbRouter({ rateLimit })`. Every field is optional; `{}` means the documented defaults.
 * @example { trustProxy: 1, redis: process.env.REDIS_URL, eventsPerUser: 6000 }
 */
export interface RateLimitOptions extends Partial<RateLimitBudgets> {
  /**
   * Proxies in front of the server whose X-Forwarded-For entries are believed: `false`/`0` (default) uses the socket
   * address and ignores the header; `true` means 1; `n` takes the n-th entry from the right.
   */
  trustProxy?: boolean | number;
  /**
   * Share the counts between instances: a `redis://` / `rediss://` URL (a connection is opened, ioredis is loaded
   * only then) or an ioredis client you own. Default: counted in this process's memory.
   */
  redis?: string | RedisClient;
  /** Prefix of the Redis keys. Default `abcc:rl`. */
  keyPrefix?: string;
}

export const RATE_LIMIT_DEFAULTS: Readonly<RateLimitBudgets> = Object.freeze({
  windowSeconds: 60,
  assignmentsPerIp: 1200,
  eventRequestsPerIp: 6000,
  eventsPerIp: 60_000,
  eventBytesPerIp: 32 * 1024 * 1024,
  assignmentsPerUser: 60,
  eventsPerUser: 3000,
});

/** What the limiter runs with. */
export interface ResolvedRateLimit {
  budgets: RateLimitBudgets;
  trustedHops: number;
  redis: string | RedisClient | undefined;
  keyPrefix: string;
}

/** A bad `rateLimit` option; `option` is its name ('' for the whole value), `requirement` what it must be. */
export class RateLimitOptionError extends Error {
  readonly code = 'invalid_rate_limit_option';
  override name = 'RateLimitOptionError';
  constructor(
    readonly option: string,
    readonly requirement: string,
  ) {
    super(`${option ? `rateLimit.${option}` : 'rateLimit'} ${requirement}`);
  }
}

// Budgets a single valid request can need in full, so that it can always pass in a fresh window.
const MINIMUM: Partial<Record<keyof RateLimitBudgets, [number, string]>> = {
  eventsPerIp: [LIMITS.maxEventsPerBatch, 'a full batch'],
  eventsPerUser: [LIMITS.maxEventsPerBatch, 'a full batch'],
  eventBytesPerIp: [LIMITS.maxBodyBytes, 'a full request body'],
};
const KNOWN = [...Object.keys(RATE_LIMIT_DEFAULTS), 'trustProxy', 'redis', 'keyPrefix'];

/**
 * Validates `rateLimit` and fills in the defaults; `false` turns the limits off (undefined), `true` means `{}`.
 * @throws RateLimitOptionError naming the first bad option.
 */
export function resolveRateLimit(options: RateLimitOptions | boolean | undefined): ResolvedRateLimit | undefined {
  if (options === false) return undefined;
  const given: RateLimitOptions = options === true || options === undefined ? {} : options;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new RateLimitOptionError('', 'must be false, true or an object of options');
  }
  const unknown = Object.keys(given).find((key) => !KNOWN.includes(key));
  if (unknown) throw new RateLimitOptionError(unknown, `is not an option (known: ${KNOWN.join(', ')})`);

  const budgets = { ...RATE_LIMIT_DEFAULTS };
  for (const name of Object.keys(RATE_LIMIT_DEFAULTS) as (keyof RateLimitBudgets)[]) {
    const value = given[name];
    if (value === undefined) continue;
    const [min, why] = MINIMUM[name] ?? [1, ''];
    const max = name === 'windowSeconds' ? 86_400 : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range =
        max === 86_400 ? `from ${min} to ${max}` : `≥ ${min}${why ? ` (${why} must fit in one window)` : ''}`;
      throw new RateLimitOptionError(name, `must be an integer ${range} (got ${JSON.stringify(value)})`);
    }
    budgets[name] = value;
  }

  const { trustProxy = false, redis, keyPrefix = 'abcc:rl' } = given;
  const trustedHops = trustProxy === true ? 1 : trustProxy === false ? 0 : trustProxy;
  if (!Number.isSafeInteger(trustedHops) || trustedHops < 0 || trustedHops > 20) {
    throw new RateLimitOptionError(
      'trustProxy',
      `must be true, false or a number of proxies from 0 to 20 (got ${JSON.stringify(trustProxy)})`,
    );
  }
  const isUrl = typeof redis === 'string' && /^rediss?:\/\/\S+$/.test(redis);
  const isClient = typeof redis === 'object' && redis !== null && typeof redis.defineCommand === 'function';
  if (redis !== undefined && !isUrl && !isClient) {
    throw new RateLimitOptionError('redis', 'must be a redis:// or rediss:// URL or an ioredis client');
  }
  if (typeof keyPrefix !== 'string' || keyPrefix.length < 1 || keyPrefix.length > 100) {
    throw new RateLimitOptionError('keyPrefix', 'must be a string of 1 to 100 characters');
  }
  return { budgets, trustedHops, redis, keyPrefix };
}
