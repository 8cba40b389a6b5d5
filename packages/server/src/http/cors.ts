/**
 * CORS for our paths only, so the client SDK in a browser and dashboards embedded on another origin can call us.
 * Tokens travel in headers, never cookies, so no credentials mode is needed and a wildcard origin is safe.
 */
import type Router from '@koa/router';
import { createRouter } from './create-router.js';
import type { Middleware } from 'koa';

export interface CorsOptions {
  /** Allowed origins: `'*'` or exact origins such as `https://tools.example.com`. */
  origins: '*' | readonly string[];
  /** How long browsers may cache a preflight answer, in seconds (default 600). */
  maxAgeSeconds?: number;
}

const ALLOWED_HEADERS = 'content-type, if-none-match, x-admin-token, x-admin-actor, x-dashboard-token';
const EXPOSED_HEADERS = 'Retry-After, Location, ETag';
// Every method our routes use: a dashboard on another origin archives (DELETE) and sets overrides (PUT) too.
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
// Our paths, and only ours: a host's own routes keep their own OPTIONS handling.
const OUR_PATHS = [
  '/health',
  '/v1/assignment',
  '/v1/definitions',
  '/v1/events',
  '/v1/metrics/{*rest}',
  '/v1/admin/{*rest}',
];

export function validateCorsOptions(cors: CorsOptions | undefined): void {
  if (cors === undefined) return;
  const ok =
    cors.origins === '*' || (Array.isArray(cors.origins) && cors.origins.every((o) => /^https?:\/\/[^/]+$/.test(o)));
  if (!ok) throw new Error(`cors.origins must be '*' or a list of origins like 'https://tools.example.com' (no path)`);
}

function allowedOrigin(cors: CorsOptions, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.origins === '*') return '*';
  return cors.origins.includes(origin) ? origin : undefined;
}

/** Adds the allow-origin header to our answers (errors included: it is set before the handler runs). */
export function corsHeaders(cors: CorsOptions): Middleware {
  // Not async, and nothing but a header lookup without an Origin: the apps' own requests (no browser) pay nothing.
  return (ctx, next) => {
    const origin = ctx.req.headers.origin;
    if (!origin) return next();
    const allow = allowedOrigin(cors, origin);
    if (allow) {
      ctx.set('Access-Control-Allow-Origin', allow);
      // Without this a browser hides Retry-After from the SDK, which then cannot wait out a 429 or 503 as asked.
      ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (allow !== '*') ctx.vary('Origin');
    }
    return next();
  };
}

/** Answers preflight requests on our paths. */
export function createPreflightRouter(cors: CorsOptions): Router {
  const router = createRouter();
  const maxAge = String(cors.maxAgeSeconds ?? 600);
  for (const path of OUR_PATHS) {
    router.options(path, (ctx) => {
      const allow = allowedOrigin(cors, ctx.get('Origin') || undefined);
      ctx.status = 204;
      if (!allow) return;
      ctx.set('Access-Control-Allow-Origin', allow);
      if (allow !== '*') ctx.vary('Origin');
      ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      ctx.set('Access-Control-Max-Age', maxAge);
    });
  }
  return router;
}
