/**
 * What every public router factory shares: checks of the options they have in common, and one router under the
 * prefix with our error middleware, CORS, the child routers, and 405/501 answers in our JSON error format.
 */
import type Router from '@koa/router';
import type { Middleware, Next, ParameterizedContext } from 'koa';
// Koa's own composition, so a remembered chain behaves exactly like one Koa or the router composes per request.
import compose from 'koa-compose';
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

/**
 * One router under `prefix` holding every route of `children` flat, behind the error middleware (and CORS when asked).
 * The children's layers are copied into it, and none of them adds an `allowedMethods()` of its own: the host's one
 * `router.allowedMethods()` answers 405/501 for all of them (in our JSON format). Requests to a path without
 * parameters skip @koa/router's per-request scan of every layer: see {@link withStaticDispatch}.
 */
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
  for (const child of children) router.use(child.routes());
  // Hosts mount `router.allowedMethods()` as with any router; ours answers 405/501 in our JSON error format.
  const allowedMethods = router.allowedMethods.bind(router);
  router.allowedMethods = (methodOptions) => withJsonBody(allowedMethods(methodOptions));
  const routes = router.routes.bind(router);
  router.routes = () => withJsonNotFound(withStaticDispatch(router, routes()), ourPaths(options.prefix));
  return router;
}

/** What the static dispatch reads of @koa/router's layers (public fields since v8). */
interface DispatchLayer {
  path: unknown;
  name?: string | null;
  methods: string[];
  paramNames: unknown[];
  stack: Middleware[];
}

/** A request's route and middleware, found once per method and path. */
interface StaticRoute {
  /** Every layer whose path matched, whatever its method: what `allowedMethods()` reads as `ctx.matched`. */
  matched: DispatchLayer[];
  route: DispatchLayer;
  run: (ctx: ParameterizedContext, next: Next) => Promise<unknown>;
}

interface RouterContext {
  matched?: DispatchLayer[];
  router?: Router;
  routeMatched?: boolean;
  routerPath?: string;
  routerName?: string;
  _matchedRoute?: unknown;
  _matchedRouteName?: string;
  params?: Record<string, string>;
  newRouterPath?: string;
}

/**
 * The router's dispatch, remembered per method and path for the paths of routes without parameters (the hot
 * `POST /v1/assignment`, `POST /v1/events` among them). @koa/router tests every layer's regular expression on each
 * request and composes the matched middleware anew; for such a path the answer depends on the method and path
 * alone, so it is computed once with the router's own `match()` and the composed chain is reused. Any other request
 * (a path with parameters, another spelling, a method no route of the path has) takes the router's own dispatch, so
 * matching stays exactly @koa/router's (case-sensitive, trailing slash tolerated). The remembered entries are
 * bounded by the number of static paths times the HTTP methods, and dropped when routes are added.
 */
function withStaticDispatch(router: Router, dispatch: RoutesMiddleware): RoutesMiddleware {
  const layers = router.stack as unknown as DispatchLayer[];
  let known = -1;
  let paths = new Set<string>();
  /** By method, then path: the request's own strings are the keys, no key is built per request. */
  const routes = new Map<string, Map<string, StaticRoute | null>>();

  const find = (method: string, path: string): StaticRoute | null => {
    const found = router.match(path, method) as unknown as { path: DispatchLayer[]; pathAndMethod: DispatchLayer[] };
    const route = [...found.pathAndMethod].reverse().find((l) => l.methods.length > 0);
    // Parameters would need @koa/router's per-layer captures: leave such paths to it.
    if (!route || found.pathAndMethod.some((l) => l.paramNames.length > 0)) return null;
    return {
      matched: found.path,
      route,
      run: compose(found.pathAndMethod.flatMap((l) => l.stack)) as StaticRoute['run'],
    };
  };

  const wrapped = ((ctx, next) => {
    if (layers.length !== known) {
      known = layers.length;
      paths = new Set(
        layers.filter((l) => l.methods.length > 0 && l.paramNames.length === 0).map((l) => String(l.path)),
      );
      routes.clear();
    }
    const context = ctx as unknown as RouterContext;
    const path = ctx.path;
    if (context.newRouterPath !== undefined || !paths.has(path)) return dispatch(ctx, next);
    let byPath = routes.get(ctx.method);
    if (!byPath) routes.set(ctx.method, (byPath = new Map()));
    let route = byPath.get(path);
    if (route === undefined) {
      route = find(ctx.method, path);
      byPath.set(path, route);
    }
    if (route === null) return dispatch(ctx, next);
    // What @koa/router's dispatch leaves on the context for a route without parameters.
    context.matched = context.matched ? [...context.matched, ...route.matched] : [...route.matched];
    context.router = router;
    context.routeMatched = true;
    context.routerPath = String(route.route.path);
    context._matchedRoute = route.route.path;
    if (route.route.name) context._matchedRouteName = context.routerName = route.route.name;
    context.params = (ctx.request as { params?: Record<string, string> }).params = context.params ?? {};
    return route.run(ctx, next);
  }) as RoutesMiddleware;
  return Object.assign(wrapped, { router: dispatch.router });
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
  const answer = (ctx: ParameterizedContext) => {
    if (ctx.status === 404 && ctx.body == null && isOurs(ctx.path)) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: `No endpoint at ${ctx.method} ${ctx.path.slice(0, 200)}` } };
    }
  };
  // A callback on the chain's promise rather than an async function around it: one promise per request, not two.
  const wrapped = ((ctx, next) => Promise.resolve(routes(ctx, next)).then(() => answer(ctx))) as RoutesMiddleware;
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
