/**
 * Rate limits of the anonymous write endpoints, `POST /v1/assignment` and `POST /v1/events`: per client address and
 * per `user_id`, counted by rate-limiter-flexible in this process's memory or, with Redis, shared by every instance.
 * Over a budget the request is refused with 429, `Retry-After` and our JSON error body, before anything is stored.
 */
import type { Context } from 'koa';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LIMITS } from '@ab-calicritters/core';
import { clientAddress } from './client-address.js';
import type { Logger } from './error-middleware.js';
import { HttpError } from './http-error.js';
import {
  resolveRateLimit,
  type RateLimitBudgets,
  type RateLimitOptions,
  type RedisClient,
} from './rate-limit-options.js';

/** 429 for a request over a budget; the error middleware sends `retryAfterSeconds` as `Retry-After`. */
export class RateLimitedError extends HttpError {
  override name = 'RateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
    details: readonly unknown[],
  ) {
    super(429, 'rate_limited', message, details);
  }
}

/** What the two route handlers call; each throws {@link RateLimitedError} when a budget is spent. */
export interface PublicWriteLimits {
  /** Before the body is read: one request from this address (and, for events, its declared body size). */
  request(ctx: Context, route: 'assignment' | 'events'): Promise<void>;
  /** After the request is validated: one assignment for this user. */
  assignment(ctx: Context, userId: string): Promise<void>;
  /** After the envelope is validated: the batch's events against the address's and each user's budget. */
  events(ctx: Context, events: readonly unknown[]): Promise<void>;
  /** Closes the Redis connection opened from a URL (a client passed in stays the caller's). */
  close(): Promise<void>;
}

/** Limits turned off. */
export const NO_LIMITS: PublicWriteLimits = {
  request: async () => undefined,
  assignment: async () => undefined,
  events: async () => undefined,
  close: async () => undefined,
};

type Budget = Exclude<keyof RateLimitBudgets, 'windowSeconds'>;
type Charge = [budget: Budget, key: string, points: number];
type Limiters = Record<Budget, RateLimiterAbstract>;

const SPENT_ON: Record<Budget, string> = {
  assignmentsPerIp: 'assignment requests from this address',
  eventRequestsPerIp: 'event requests from this address',
  eventsPerIp: 'events from this address',
  eventBytesPerIp: 'bytes of events from this address',
  assignmentsPerUser: 'assignment requests for this user',
  eventsPerUser: 'events for this user',
};
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The limits of `createAbRouter({ rateLimit })`: `false` turns them off, anything else is validated (throwing an error
 * that names the bad option) and filled in with the defaults.
 * @example const limits = createPublicWriteLimits({ trustProxy: 1, redis: 'redis://127.0.0.1:6379' }, console);
 */
export function createPublicWriteLimits(
  options: RateLimitOptions | boolean | undefined,
  logger: Logger,
): PublicWriteLimits {
  const resolved = resolveRateLimit(options);
  if (!resolved) return NO_LIMITS;
  const { budgets, trustedHops, keyPrefix } = resolved;
  const redis = connect(resolved.redis, logger);
  const limiters = redis.client.then((client) => createLimiters(budgets, keyPrefix, client));
  let warnedAboutProxy = false;

  const address = (ctx: Context): string => {
    if (trustedHops === 0 && !warnedAboutProxy && ctx.get('X-Forwarded-For')) {
      warnedAboutProxy = true;
      logger.warn?.(
        { path: ctx.path },
        'rate limit: requests carry X-Forwarded-For but trustProxy is off, so every client behind that proxy shares one address budget (set trustProxy / TRUST_PROXY if a proxy of yours adds it)',
      );
    }
    return clientAddress(ctx, trustedHops);
  };

  /** Charges every budget at once; when one refuses, the others are given back (`refund`) and 429 is thrown. */
  async function take(charges: Charge[], refund: boolean): Promise<void> {
    const all = await limiters;
    const results = await Promise.allSettled(charges.map(([budget, key, points]) => all[budget].consume(key, points)));
    const refused: { budget: Budget; msBeforeNext: number }[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      if (result.reason instanceof RateLimiterRes)
        refused.push({ budget: charges[i]![0], msBeforeNext: result.reason.msBeforeNext });
      // Not a refusal but a failure of the counter itself (the memory insurance covers Redis outages): the limits
      // protect storage, they are not an access control, so the request goes on rather than fail with a 500.
      else logger.error({ err: result.reason }, 'rate limit: a counter failed; the request was let through');
    });
    if (refused.length === 0) return;
    if (refund) {
      await Promise.all(
        results.map((result, i) => {
          const [budget, key, points] = charges[i]!;
          return result.status === 'fulfilled' ? all[budget].reward(key, points).catch(() => undefined) : undefined;
        }),
      );
    }
    const retryAfterSeconds = Math.max(1, ...refused.map((r) => Math.ceil(r.msBeforeNext / 1000)));
    const first = refused[0]!.budget;
    throw new RateLimitedError(
      retryAfterSeconds,
      `Too many ${SPENT_ON[first]}: at most ${budgets[first]} per ${budgets.windowSeconds} s; retry after ${retryAfterSeconds} s`,
      refused.map(({ budget }) => ({
        limit: snakeCase(budget),
        max: budgets[budget],
        window_seconds: budgets.windowSeconds,
      })),
    );
  }

  return {
    request(ctx, route) {
      const ip = address(ctx);
      if (route === 'assignment') return take([['assignmentsPerIp', ip, 1]], false);
      const declared = Number(ctx.get('Content-Length'));
      // A declared length is what raw-body then reads, no more and no less; chunked bodies are counted once parsed.
      const bytes = declared > 0 ? Math.min(declared, LIMITS.maxBodyBytes) : 0;
      return take(
        [['eventRequestsPerIp', ip, 1], ...(bytes > 0 ? [['eventBytesPerIp', ip, bytes] as Charge] : [])],
        false,
      );
    },
    assignment(_ctx, userId) {
      return take([['assignmentsPerUser', userId, 1]], false);
    },
    events(ctx, events) {
      const ip = address(ctx);
      const charges: Charge[] = [['eventsPerIp', ip, Math.max(1, events.length)]];
      if (!(Number(ctx.get('Content-Length')) > 0)) {
        const bytes = Buffer.byteLength(JSON.stringify(events));
        charges.push(['eventBytesPerIp', ip, Math.min(Math.max(1, bytes), LIMITS.maxBodyBytes)]);
      }
      const perUser = new Map<string, number>();
      for (const event of events) {
        const userId = (event as { user_id?: unknown } | null)?.user_id;
        if (typeof userId === 'string') perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
      }
      for (const [userId, count] of perUser) charges.push(['eventsPerUser', userId, count]);
      // A batch refused by one budget is not charged to the others: its retry would otherwise pay twice.
      return take(charges, true);
    },
    close: redis.close,
  };
}

function createLimiters(budgets: RateLimitBudgets, keyPrefix: string, client: RedisClient | undefined): Limiters {
  const make = (budget: Budget): RateLimiterAbstract => {
    const common = {
      points: budgets[budget],
      duration: budgets.windowSeconds,
      keyPrefix: `${keyPrefix}:${snakeCase(budget)}`,
    };
    const memory = new RateLimiterMemory(common);
    if (!client) return memory;
    return new RateLimiterRedis({
      ...common,
      storeClient: client,
      // While Redis is unreachable each instance counts on its own in memory instead of failing requests.
      insuranceLimiter: memory,
      rejectIfRedisNotReady: true,
      // A key over its budget is refused from memory until its window ends: a flood costs Redis nothing more.
      inMemoryBlockOnConsumed: budgets[budget] + 1,
    });
  };
  return {
    assignmentsPerIp: make('assignmentsPerIp'),
    eventRequestsPerIp: make('eventRequestsPerIp'),
    eventsPerIp: make('eventsPerIp'),
    eventBytesPerIp: make('eventBytesPerIp'),
    assignmentsPerUser: make('assignmentsPerUser'),
    eventsPerUser: make('eventsPerUser'),
  };
}

/** The Redis client to count in: the caller's, one made from a URL (ioredis loaded only then), or none. */
function connect(
  redis: string | RedisClient | undefined,
  logger: Logger,
): { client: Promise<RedisClient | undefined>; close(): Promise<void> } {
  if (redis === undefined || typeof redis === 'object')
    return { client: Promise.resolve(redis), close: async () => undefined };
  const client = import('ioredis').then(async ({ Redis }) => {
    const connection = new Redis(redis, {
      // Fail fast while disconnected or slow, so the memory insurance answers instead of requests queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 300,
      connectTimeout: 2000,
    });
    let down = false;
    connection.on('error', (err: Error) => {
      if (down) return;
      down = true;
      logger.warn?.({ err }, 'rate limit: Redis is unreachable; counting in memory per instance until it is back');
    });
    connection.on('ready', () => {
      if (!down) return;
      down = false;
      logger.info?.({}, 'rate limit: Redis is back; counts are shared again');
    });
    // The first requests wait for the first connection attempt, so they are counted where all later ones are.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      const settle = () => (clearTimeout(timer), resolve());
      connection.once('ready', settle);
      connection.once('error', settle);
    });
    return connection;
  });
  client.catch((err: unknown) =>
    logger.error({ err }, 'rate limit: could not load the Redis client; counting in memory'),
  );
  return {
    client: client.catch(() => undefined),
    async close() {
      (await client.catch(() => undefined))?.disconnect();
    },
  };
}
