/**
 * The public factories. A host app mounts the returned router; nothing here creates an app, listens, or installs
 * global middleware, so the host's own routes, body parsers and error handlers are untouched.
 */
import type Router from '@koa/router';
import { createRouter } from './http/create-router.js';
import { corsHeaders, createPreflightRouter, validateCorsOptions, type CorsOptions } from './http/cors.js';
import { createErrorMiddleware, type Logger } from './http/error-middleware.js';
import { createPublicWriteLimits, type PublicWriteLimits } from './http/rate-limit.js';
import type { RateLimitOptions } from './http/rate-limit-options.js';
import type { TokenSetting } from './http/token-auth.js';
import { createAdminRouter } from './routes/admin-routes.js';
import { createAnalyticsRouter } from './routes/analytics-routes.js';
import { createAssignmentRouter } from './routes/assignment-routes.js';
import { createEventRouter } from './routes/event-routes.js';
import { createHealthRouter } from './routes/health-routes.js';
import { createLoadTestRouter } from './routes/load-test-routes.js';
import { createMetricsRouter } from './routes/metrics-routes.js';
import type { RouterDeps } from './routes/router-deps.js';
import { createExperimentCache } from './services/experiment-cache.js';
import { createStorage, type Storage, type StorageOptions } from './storage/storage.js';

export interface AbRouterOptions {
  /** Opened storage, from {@link createStorage}. */
  storage: Storage;
  /**
   * Token for `x-admin-token`; without it the admin endpoints answer 401. A list accepts each of its tokens (a
   * rotation: `[newToken, oldToken]` until every caller has the new one).
   */
  adminToken?: TokenSetting;
  /** Token (or tokens, during a rotation) for `x-dashboard-token` (metrics endpoints that need it). */
  dashboardToken?: TokenSetting;
  /** Path prefix, e.g. `/ab`. Default: none. */
  prefix?: string;
  /** Where 5xx details are logged. Default: `console`. */
  logger?: Logger;
  /** How long experiment definitions are cached per process (default 1000 ms; 0 disables). */
  experimentCacheTtlMs?: number;
  /** How long the public `/v1/metrics/summary` answer is cached (default 5000 ms; 0 disables). */
  summaryCacheTtlMs?: number;
  /** Clock used for receive times (tests inject one). */
  now?: () => Date;
  /**
   * CORS for our paths (the client SDK in browsers, dashboards on other origins). Default: none, same-origin only.
   * @example { origins: ['https://tools.example.com'] } or { origins: '*' }
   */
  cors?: CorsOptions;
  /**
   * Rate limits of the anonymous `POST /v1/assignment` and `POST /v1/events`, per client address and per `user_id`.
   * Default: off (`false`); `true` or `{}` turns them on with the documented defaults. Behind a proxy set `trustProxy`,
   * or every client shares the proxy's budget. See docs/OPERATIONS.md#rate-limits.
   * @example { trustProxy: 1, redis: process.env.REDIS_URL }
   */
  rateLimit?: boolean | RateLimitOptions;
}

/** What each router opened itself and must close (the Redis connection made from a `rateLimit.redis` URL). */
const openedBy = new WeakMap<Router, PublicWriteLimits>();

/**
 * Closes what {@link createAbRouter} opened itself: the Redis connection made from a `rateLimit.redis` URL. A Redis
 * client you passed in stays open.
 */
export async function closeAbRouter(router: Router): Promise<void> {
  await openedBy.get(router)?.close();
}

function checkToken(name: string, value: TokenSetting | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'string' && !Array.isArray(value)) throw new Error(`${name} must be a string or a list of strings`);
  for (const token of typeof value === 'string' ? [value] : value) {
    if (typeof token !== 'string' || token.trim().length < 8) throw new Error(`${name} must be at least 8 characters when given`);
  }
}

/**
 * One router with every endpoint: health, assignment, events, metrics, admin.
 * @example
 * const storage = await createStorage({ databaseUrl: process.env.DATABASE_URL, migrate: true });
 * const ab = createAbRouter({ storage, adminToken: process.env.ADMIN_TOKEN, prefix: '/ab' });
 * app.use(ab.routes()).use(ab.allowedMethods());
 */
export function createAbRouter(options: AbRouterOptions): Router {
  if (!options?.storage) throw new Error('createAbRouter: options.storage is required (see createStorage)');
  checkToken('adminToken', options.adminToken);
  checkToken('dashboardToken', options.dashboardToken);
  if (options.prefix !== undefined && !/^\/[^?#]*[^/?#]$/.test(options.prefix)) {
    throw new Error(`prefix must start with '/' and not end with '/' (got '${options.prefix}')`);
  }
  validateCorsOptions(options.cors);
  const ttl = options.experimentCacheTtlMs ?? 1000;
  if (!Number.isFinite(ttl) || ttl < 0) throw new Error('experimentCacheTtlMs must be a number ≥ 0');
  const summaryTtl = options.summaryCacheTtlMs ?? 5000;
  if (!Number.isFinite(summaryTtl) || summaryTtl < 0) throw new Error('summaryCacheTtlMs must be a number ≥ 0');

  // Last, once every other option is accepted: with a Redis URL this opens a connection.
  const limits = createPublicWriteLimits(options.rateLimit ?? false, options.logger ?? console);
  const deps: RouterDeps = {
    storage: options.storage,
    experimentCache: createExperimentCache(options.storage, ttl),
    adminToken: options.adminToken,
    dashboardToken: options.dashboardToken,
    logger: options.logger ?? console,
    summaryCacheTtlMs: summaryTtl,
    now: options.now ?? (() => new Date()),
  };
  const router = createRouter(options.prefix);
  router.use(createErrorMiddleware(deps.logger));
  if (options.cors) {
    router.use(corsHeaders(options.cors));
    const preflight = createPreflightRouter(options.cors);
    router.use(preflight.routes());
  }
  for (const child of [
    createHealthRouter(deps),
    createAssignmentRouter(deps, limits),
    createEventRouter(deps, limits),
    createMetricsRouter(deps),
    createAnalyticsRouter(deps),
    createAdminRouter(deps),
    createLoadTestRouter(deps),
  ]) {
    router.use(child.routes(), child.allowedMethods());
  }
  // Hosts mount `ab.allowedMethods()` as with any router; ours answers 405/501 in our JSON error format.
  const allowedMethods = router.allowedMethods.bind(router);
  router.allowedMethods = (options) => withJsonBody(allowedMethods(options));
  openedBy.set(router, limits);
  return router;
}

/** @koa/router's 405/501 answers, but with our JSON error body instead of Koa's plain text. */
type AllowedMethodsMiddleware = ReturnType<Router['allowedMethods']>;

function withJsonBody(allowedMethods: AllowedMethodsMiddleware): AllowedMethodsMiddleware {
  return async (ctx, next) => {
    await allowedMethods(ctx, next);
    if ((ctx.status === 405 || ctx.status === 501) && ctx.body == null) {
      const allow = ctx.response.get('Allow');
      ctx.body = {
        error: {
          code: ctx.status === 405 ? 'method_not_allowed' : 'not_implemented',
          message: `${ctx.method} is not supported here${allow ? `; allowed: ${allow}` : ''}`,
        },
      };
    }
  };
}

export type AbServerOptions = Omit<AbRouterOptions, 'storage'> & StorageOptions;

/**
 * Opens storage and builds the router in one call.
 * @example const ab = await createAbServer({ databaseUrl, adminToken, migrate: true }); app.use(ab.router.routes());
 */
export async function createAbServer(options: AbServerOptions = {}) {
  const storage = await createStorage(options);
  try {
    const router = createAbRouter({ ...options, storage });
    return { router, storage, close: () => closeAbRouter(router).finally(() => storage.close()) };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
