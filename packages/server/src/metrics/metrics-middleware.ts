/**
 * Exposing the metrics: a Koa middleware answering `GET /metrics` in the Prometheus text format, and the middleware
 * that times our routes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware, ParameterizedContext } from 'koa';
import type { TokenSetting } from '../http/token-auth.js';
import type { AbMetrics, MetricsInstruments } from './ab-metrics.js';

export interface MetricsMiddlewareOptions {
  /**
   * Bearer token(s) a scrape must send (`Authorization: Bearer <token>`, Prometheus' `authorization` setting), or
   * `false` when the host protects the path itself (a port only the scraper reaches). Required: never open by default.
   */
  token: TokenSetting | false;
  /** Path answered. Default `/metrics`. */
  path?: string;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Answers `GET <path>` with the metrics of {@link createMetrics}; other paths pass through.
 * @example app.use(metricsMiddleware(metrics, { token: process.env.METRICS_TOKEN }));
 */
export function metricsMiddleware(metrics: AbMetrics, options: MetricsMiddlewareOptions): Middleware {
  const path = options.path ?? '/metrics';
  if (options?.token !== false) {
    const tokens = typeof options?.token === 'string' ? [options.token] : [...(options?.token ?? [])];
    if (tokens.length === 0 || tokens.some((t) => typeof t !== 'string' || t.trim().length < 8))
      throw new Error(
        'metricsMiddleware: token must be at least 8 characters, or false when the host protects the path',
      );
  }
  const expected =
    options.token === false
      ? undefined
      : (typeof options.token === 'string' ? [options.token] : [...options.token]).map(digest);
  // Not async: every other path of the host passes through without a promise of ours.
  return function serveMetrics(ctx, next) {
    return ctx.path === path ? answer(ctx) : next();
  };

  async function answer(ctx: ParameterizedContext) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      ctx.body = {
        error: { code: 'method_not_allowed', message: `${ctx.method} is not supported here; allowed: GET` },
      };
      return;
    }
    if (expected) {
      const given = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
      let valid = false;
      if (given) for (const token of expected) valid = timingSafeEqual(digest(given), token) || valid;
      if (!valid) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        ctx.body = {
          error: {
            code: 'unauthorized',
            message: given ? 'Invalid metrics token' : 'Missing Authorization: Bearer header',
          },
        };
        return;
      }
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  }
}

/**
 * Counts and times each request a route of ours matched, labelled by its path template (unmatched paths never get here).
 * The labelled children are kept per method, route and status (a bounded set: route templates, not paths), found
 * through maps keyed by the values themselves, so a request costs three map lookups and builds no key string, instead
 * of prom-client hashing a label object to find them.
 */
export function requestMetrics(metrics: MetricsInstruments): Middleware {
  const children = new Map<string, Map<string, Map<number, RequestChild>>>();
  const record = (ctx: ParameterizedContext, started: bigint) => {
    const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
    const route = typeof matched === 'string' ? matched : 'unmatched';
    const { method, status } = ctx;
    let byRoute = children.get(method);
    if (!byRoute) children.set(method, (byRoute = new Map()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (!child) {
      const labels = { method, route, status: String(status) };
      child = { count: metrics.requests.labels(labels), time: metrics.requestSeconds.labels(labels) };
      byStatus.set(status, child);
    }
    child.count.inc();
    child.time.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
  // Callbacks on the chain's promise rather than an async function around it: one promise per request, not three.
  return function timeRequest(ctx, next) {
    const started = process.hrtime.bigint();
    return next().then(
      () => record(ctx, started),
      (error: unknown) => {
        record(ctx, started);
        throw error;
      },
    );
  };
}

interface RequestChild {
  count: { inc(): void };
  time: { observe(seconds: number): void };
}
