/**
 * What every public router factory shares: checks of the options they have in common, and one router under the
 * prefix with our error middleware, CORS, the child routers, and 405/501 answers in our JSON error format.
 */
import type Router from '@koa/router';
import { corsHeaders, createPreflightRouter, type CorsOptions } from './cors.js';
import { createRouter } from './create-router.js';
import { createErrorMiddleware, type Logger } from './error-middleware.js';
import type { MetricsInstruments } from '../metrics/ab-metrics.js';
import { requestMetrics } from '../metrics/metrics-middleware.js';
import type { TokenSetting } from './token-auth.js';

/** Refuses a token setting that is not a string of ≥ 8 characters or a list of them, naming the option. */
export function checkToken(name: string, value: TokenSetting | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'string' && !Array.isArray(value))
    throw new Error(`${name} must be a string or a list of strings`);
  for (const token of typeof value === 'string' ? [value] : value) {
    if (typeof token !== 'string' || token.trim().length < 8)
      throw new Error(`${name} must be at least 8 characters when given`);
  }
}

/** Refuses a prefix that does not start with '/' or ends with '/'. */
export function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && !/^\/[^?#]*[^/?#]$/.test(prefix)) {
    throw new Error(`prefix must start with '/' and not end with '/' (got '${prefix}')`);
  }
}

export interface MountOptions {
  prefix?: string;
  logger: Logger;
  cors?: CorsOptions;
  /** Count and time the requests our routes match. */
  metrics?: MetricsInstruments;
}

/** One router under `prefix` that mounts `children` behind the error middleware (and CORS when asked). */
export function mountRouters(options: MountOptions, children: readonly Router[]): Router {
  const router = createRouter(options.prefix);
  // First, so the status counted is the one the error middleware answered with.
  if (options.metrics) router.use(requestMetrics(options.metrics));
  router.use(createErrorMiddleware(options.logger));
  if (options.cors) {
    router.use(corsHeaders(options.cors));
    const preflight = createPreflightRouter(options.cors);
    router.use(preflight.routes());
  }
  for (const child of children) router.use(child.routes(), child.allowedMethods());
  // Hosts mount `router.allowedMethods()` as with any router; ours answers 405/501 in our JSON error format.
  const allowedMethods = router.allowedMethods.bind(router);
  router.allowedMethods = (methodOptions) => withJsonBody(allowedMethods(methodOptions));
  const routes = router.routes.bind(router);
  router.routes = () => withJsonNotFound(routes(), ourPaths(options.prefix));
  return router;
}

/**
 * Which unmatched paths are ours to answer 404 for: everything under a mount prefix, and without one only the
 * admin and metrics families, so a host's own routes elsewhere (its own `/v1/…` API, say) are never shadowed.
 */
function ourPaths(prefix: string | undefined): (path: string) => boolean {
  if (prefix) return (path) => path === prefix || path.startsWith(`${prefix}/`);
  const families = ['/v1/admin', '/v1/metrics'];
  return (path) => families.some((f) => path === f || path.startsWith(`${f}/`));
}

type RoutesMiddleware = ReturnType<Router['routes']>;

/**
 * Our paths that nothing answered get our JSON 404 instead of Koa's plain-text "Not Found". It runs after the rest
 * of the host's chain, so a host route (or `allowedMethods()`'s 405) still wins. The `router` property stays, so a
 * host can still nest our router in its own.
 */
function withJsonNotFound(routes: RoutesMiddleware, isOurs: (path: string) => boolean): RoutesMiddleware {
  const wrapped = (async (ctx, next) => {
    await routes(ctx, next);
    if (ctx.status === 404 && ctx.body == null && isOurs(ctx.path)) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: `No endpoint at ${ctx.method} ${ctx.path.slice(0, 200)}` } };
    }
  }) as RoutesMiddleware;
  return Object.assign(wrapped, { router: routes.router });
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
