/** The small Koa app `serve` runs: our routers at the root, plus quiet handling of clients that hang up. */
import Koa from 'koa';
import {
  createAbRouter,
  createMetrics,
  metricsMiddleware,
  type AbMetrics,
  type Logger,
  type RateLimitOptions,
  type RollupScheduler,
  type Storage,
} from '@ab-calicritters/server';
import { createDashboardPage } from './dashboard-page.js';

export interface StandaloneAppOptions {
  storage: Storage;
  adminToken: string;
  dashboardToken: string;
  /** Tokens still accepted during a rotation, besides the current ones. */
  previousTokens?: { admin?: string; dashboard?: string };
  logger: Logger;
  /** CORS for our paths (see createAbRouter's `cors`). */
  corsOrigins?: '*' | string[];
  /** Rate limits of the public write endpoints (see createAbRouter's `rateLimit`). Default: on, with the defaults. */
  rateLimit?: false | RateLimitOptions;
  /** The scheduler `POST /v1/admin/rollups` starts runs on; the caller starts and stops it. */
  rollups?: RollupScheduler;
  /** Embed the dashboard token in the /dashboard page (only for a generated token on a loopback bind). */
  injectDashboardToken?: boolean;
  /** Bearer token of `GET /metrics`; without it the endpoint answers 401 saying it is disabled. */
  metricsToken?: string;
  /** The metrics `GET /metrics` shows (the rollup scheduler records its runs there too). Default: new ones. */
  metrics?: AbMetrics;
}

// Clients dropping connections under load is normal, not an error worth a log line each.
const HANGUP_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

export function createStandaloneApp(options: StandaloneAppOptions): Koa {
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: NodeJS.ErrnoException) => {
    if (!HANGUP_CODES.has(error.code ?? '')) options.logger.error({ err: error }, 'unhandled app error');
  });
  const withPrevious = (current: string, previous: string | undefined) => (previous ? [current, previous] : current);
  const metrics = options.metrics ?? createMetrics();
  // A scrape credential of its own: Prometheus sends it as a bearer token, and it reads nothing but the metrics.
  // Not async: every other request passes through without a promise of its own.
  app.use(
    options.metricsToken
      ? metricsMiddleware(metrics, { token: options.metricsToken })
      : (ctx, next) => {
          if (ctx.path !== '/metrics') return next();
          ctx.status = 401;
          ctx.body = {
            error: { code: 'unauthorized', message: 'This endpoint is disabled: no METRICS_TOKEN is configured' },
          };
          return undefined;
        },
  );
  const router = createAbRouter({
    ...options,
    adminToken: withPrevious(options.adminToken, options.previousTokens?.admin),
    dashboardToken: withPrevious(options.dashboardToken, options.previousTokens?.dashboard),
    cors: options.corsOrigins ? { origins: options.corsOrigins } : undefined,
    // On unless turned off: the standalone server faces the apps directly (docs/OPERATIONS.md#rate-limits).
    rateLimit: options.rateLimit ?? true,
    // The dashboard's Benchmarks tab reads the runs `calicritters loadtest` stores.
    loadTests: true,
    metrics,
    openApi: true,
  });
  app.use(router.routes()).use(router.allowedMethods());
  const intervalMs = options.rollups?.intervalMs;
  app.use(
    createDashboardPage({
      injectToken: options.injectDashboardToken ? options.dashboardToken : undefined,
      rollupIntervalMinutes: intervalMs ? intervalMs / 60_000 : undefined,
    }),
  );
  app.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/' && ctx.status === 404) {
      ctx.body = {
        name: 'AB Calicritters',
        endpoints: [
          'GET /health',
          'POST /v1/assignment',
          'POST /v1/events',
          'GET /v1/metrics/summary',
          'GET /metrics',
          'GET /openapi.json',
          '/v1/admin/*',
          'GET /dashboard',
        ],
      };
    } else if (ctx.status === 404 && ctx.body == null) {
      // This server is ours alone: every path nothing answered gets the JSON error body, not Koa's plain text.
      ctx.status = 404;
      ctx.body = {
        error: { code: 'not_found', message: `No endpoint at ${ctx.method} ${ctx.path.slice(0, 200)}; see GET /` },
      };
    }
  });
  return app;
}
