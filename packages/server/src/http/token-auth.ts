/** Header-token guards. Tokens are compared as SHA-256 digests with timingSafeEqual: constant time, any length. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { HttpError, unauthorized } from './http-error.js';

/** Marks guard middleware, so a test can check that every protected route carries one. */
const TOKEN_GUARD = Symbol('abTokenGuard');

/** True for middleware made by {@link requireToken}. */
export function isTokenGuard(middleware: unknown): boolean {
  return typeof middleware === 'function' && (middleware as unknown as Record<symbol, unknown>)[TOKEN_GUARD] === true;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Requires `header` to carry `token`. With no token configured the guarded routes are disabled (401 saying so),
 * never open. Put it on each route (`router.get(path, guard, handler)`), never in `router.use()`: a `use()` layer
 * matches paths differently from routes.
 */
export function requireToken(header: string, token: string | undefined, option: string): Middleware {
  const expected = token ? digest(token) : undefined;
  const guard: Middleware = async function tokenGuard(ctx, next) {
    if (!expected) throw new HttpError(401, 'unauthorized', `These endpoints are disabled: no ${option} is configured`);
    const given = ctx.get(header);
    if (!given) throw unauthorized(`Missing ${header} header`);
    if (!timingSafeEqual(digest(given), expected)) throw unauthorized(`Invalid ${header}`);
    await next();
  };
  Object.defineProperty(guard, TOKEN_GUARD, { value: true });
  return guard;
}
