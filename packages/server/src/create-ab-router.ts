/**
 * The public factories. A host app mounts the returned router; nothing here creates an app, listens, or installs
 * global middleware, so the host's own routes, body parsers and error handlers are untouched.
 */
import type Router from '@koa/router';
import { auditAdminChanges } from './http/audit-middleware.js';
import { validateCorsOptions, type CorsOptions } from './http/cors.js';
import type { Logger } from './http/error-middleware.js';
import { checkPrefix, checkToken, mountRouters } from './http/mount-routers.js';
import { createPublicWriteLimits, type PublicWriteLimits } from './http/rate-limit.js';
import type { RateLimitOptions } from './http/rate-limit-options.js';
import type { TokenSetting } from './http/token-auth.js';
import { createAdminRouter } from './routes/admin-routes.js';
import { createAnalyticsRouter } from './routes/analytics-routes.js';
import { createHoldoutResultsRouter } from './routes/holdout-results-routes.js';
import { createAuditRouter } from './routes/audit-routes.js';
import { createAssignmentRouter } from './routes/assignment-routes.js';
import { createDefinitionsRouter } from './routes/definitions-routes.js';
import { createEventRouter } from './routes/event-routes.js';
import { createHealthRouter } from './routes/health-routes.js';
import { createLoadTestRoutes } from './load-tests/load-test-routes.js';
import { createOpenApiRoutes } from './http/openapi.js';
import { createMetricsRouter } from './routes/metrics-routes.js';
import { createRollupRouter } from './routes/rollup-routes.js';
import { createSavedGroupRouter } from './routes/saved-group-routes.js';
import { createMetricRouter } from './routes/metric-routes.js';
import { createRuleRouter } from './routes/rule-routes.js';
import {
  createRollupScheduler,
  type RollupScheduler,
  type RollupSchedulerOptions,
} from './rollups/rollup-scheduler.js';
import { metricsInstruments, type AbMetrics } from './metrics/ab-metrics.js';
import {
  createEventPartitionScheduler,
  type EventPartitionScheduler,
  type EventPartitionSchedulerOptions,
} from './services/event-partition-scheduler.js';
import type { RouterDeps } from './routes/router-deps.js';
import { createAssignmentCache } from './services/assignment-cache.js';
import { createExperimentCache } from './services/experiment-cache.js';
import { createStoredRuleLookups } from './services/stored-rule-lookups.js';
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
  /** How long experiment definitions, QA overrides and holdouts are cached per process (default 1000 ms; 0 disables). */
  experimentCacheTtlMs?: number;
  /**
   * Most stored sticky rows (one per user and experiment) kept in process, so a returning user is answered without a
   * database round trip (default 250000, about 55 MB; 0 disables). See docs/OPERATIONS.md#assignment-cache.
   */
  assignmentCacheSize?: number;
  /** How long a cached sticky row is answered before it is read again (default 600000 ms, 10 minutes). */
  assignmentCacheTtlMs?: number;
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
  /**
   * Mount the stored load-test runs under `/v1/metrics/load-tests/*` (x-dashboard-token), which the dashboard's
   * Benchmarks tab reads. Default: off; the CLI's standalone server turns it on. A host may instead mount
   * `createLoadTestRouter()` itself.
   */
  loadTests?: boolean;
  /**
   * Scheduled rollups and the runs `POST /v1/admin/rollups` starts. Options: the router makes a scheduler, starts
   * it when `intervalMs` > 0, and {@link closeAbRouter} stops it. A scheduler from `createRollupScheduler()`: the
   * router only uses it, you start and stop it. Default: no schedule; requested runs still work.
   * @example { intervalMs: 5 * 60_000 }
   */
  rollups?: RollupSchedulerOptions | RollupScheduler;
  /**
   * Serve this router's OpenAPI 3.1 document at `GET /openapi.json` under the prefix (public: it describes the API,
   * no data). Default: off, so a host's own `/openapi.json` is not shadowed; the CLI's standalone server turns it on.
   * The same document is `createOpenApiDocument({ prefix, loadTests })`.
   */
  openApi?: boolean;
  /**
   * Prometheus metrics from {@link createMetrics}: requests per route and status, events, assignments, rollup
   * freshness, pool usage. Expose them with `metricsMiddleware(metrics, { token })`. Default: none.
   * @example const metrics = createMetrics(); createAbRouter({ storage, metrics });
   */
  metrics?: AbMetrics;
  /**
   * Maintenance of the event log's day partitions (PostgreSQL): the router makes a scheduler that creates the next
   * days' partitions at once and then daily, and applies `retentionDays`; {@link closeAbRouter} stops it. Default:
   * none: run `calicritters migrate` daily, or `createEventPartitionScheduler()` yourself. Events are never lost
   * without it (a DEFAULT partition catches them). See docs/OPERATIONS.md#partitioned-event-log.
   * @example { retentionDays: 400 } or {} (7 days ahead, keep everything)
   */
  eventPartitions?: EventPartitionSchedulerOptions;
}

/** What each router opened itself and must close (the Redis connection made from a `rateLimit.redis` URL). */
const openedBy = new WeakMap<Router, PublicWriteLimits>();
/** The rollup scheduler each router made itself and must stop. */
const scheduledBy = new WeakMap<Router, RollupScheduler>();
/** The partition scheduler each router made itself and must stop. */
const partitionedBy = new WeakMap<Router, EventPartitionScheduler>();

/**
 * Closes what {@link createAbRouter} opened itself: the Redis connection made from a `rateLimit.redis` URL, and the
 * rollup scheduler it made (a running rollup is cancelled and waited for). A Redis client or a scheduler you passed
 * in stays open. Call it before closing storage.
 */
export async function closeAbRouter(router: Router): Promise<void> {
  await scheduledBy.get(router)?.stop();
  await partitionedBy.get(router)?.stop();
  await openedBy.get(router)?.close();
}

const isScheduler = (value: RollupSchedulerOptions | RollupScheduler): value is RollupScheduler =>
  typeof (value as Partial<RollupScheduler>).trigger === 'function';

/**
 * One router with every endpoint: health, assignment, definitions, events, metrics, admin (and the load-test runs with
 * `loadTests: true`).
 * @example
 * const storage = await createStorage({ databaseUrl: process.env.DATABASE_URL, migrate: true });
 * const ab = createAbRouter({ storage, adminToken: process.env.ADMIN_TOKEN, prefix: '/ab' });
 * app.use(ab.routes()).use(ab.allowedMethods());
 */
export function createAbRouter(options: AbRouterOptions): Router {
  if (!options?.storage) throw new Error('createAbRouter: options.storage is required (see createStorage)');
  checkToken('adminToken', options.adminToken);
  checkToken('dashboardToken', options.dashboardToken);
  checkPrefix(options.prefix);
  if (options.loadTests !== undefined && typeof options.loadTests !== 'boolean')
    throw new Error('loadTests must be true or false');
  if (options.openApi !== undefined && typeof options.openApi !== 'boolean')
    throw new Error('openApi must be true or false');
  validateCorsOptions(options.cors);
  const ttl = options.experimentCacheTtlMs ?? 1000;
  if (!Number.isFinite(ttl) || ttl < 0) throw new Error('experimentCacheTtlMs must be a number ≥ 0');
  const summaryTtl = options.summaryCacheTtlMs ?? 5000;
  if (!Number.isFinite(summaryTtl) || summaryTtl < 0) throw new Error('summaryCacheTtlMs must be a number ≥ 0');
  const rowCacheSize = options.assignmentCacheSize ?? 250_000;
  if (!Number.isSafeInteger(rowCacheSize) || rowCacheSize < 0)
    throw new Error('assignmentCacheSize must be an integer ≥ 0');
  const rowCacheTtl = options.assignmentCacheTtlMs ?? 600_000;
  if (!Number.isFinite(rowCacheTtl) || rowCacheTtl <= 0) throw new Error('assignmentCacheTtlMs must be a number > 0');

  const metrics = options.metrics ? metricsInstruments(options.metrics) : undefined;
  metrics?.watch(options.storage);

  const given = options.rollups;
  const rollups =
    given && isScheduler(given)
      ? given
      : createRollupScheduler(options.storage, { logger: options.logger, metrics: options.metrics, ...(given ?? {}) });
  const partitions =
    options.eventPartitions &&
    createEventPartitionScheduler(options.storage, { logger: options.logger, ...options.eventPartitions });

  // Last, once every other option is accepted: with a Redis URL this opens a connection.
  const limits = createPublicWriteLimits(options.rateLimit ?? false, options.logger ?? console);
  const now = options.now ?? (() => new Date());
  const ruleLookups = createStoredRuleLookups(options.storage, ttl, now);
  const deps: RouterDeps = {
    storage: options.storage,
    experimentCache: createExperimentCache(options.storage, ttl),
    assignmentCache: rowCacheSize > 0 ? createAssignmentCache({ size: rowCacheSize, ttlMs: rowCacheTtl }) : undefined,
    ruleLookups,
    adminToken: options.adminToken,
    dashboardToken: options.dashboardToken,
    logger: options.logger ?? console,
    summaryCacheTtlMs: summaryTtl,
    now,
    metrics,
  };
  const children: Router[] = [
    createHealthRouter(deps),
    createAssignmentRouter(deps, limits),
    createDefinitionsRouter(deps, limits),
    createEventRouter(deps, limits),
    createMetricsRouter(deps),
    createAnalyticsRouter(deps),
    createHoldoutResultsRouter(deps),
    createAdminRouter(deps),
    createRollupRouter(deps, rollups),
    createRuleRouter(deps, () => ruleLookups.invalidate()),
    createSavedGroupRouter(deps),
    createMetricRouter(deps),
    createAuditRouter(deps),
    ...(options.loadTests ? [createLoadTestRoutes(deps)] : []),
    ...(options.openApi ? [createOpenApiRoutes({ prefix: options.prefix, loadTests: options.loadTests })] : []),
  ];
  // Every POST/PUT/PATCH/DELETE under /v1/admin/, whichever router holds it, is recorded in the audit log.
  const mount = { prefix: options.prefix, logger: deps.logger, cors: options.cors, metrics };
  const router = mountRouters(mount, auditAdminChanges(deps, children));
  openedBy.set(router, limits);
  if (rollups !== given) {
    scheduledBy.set(router, rollups);
    rollups.start();
  }
  if (partitions) {
    partitionedBy.set(router, partitions);
    partitions.start();
  }
  return router;
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
