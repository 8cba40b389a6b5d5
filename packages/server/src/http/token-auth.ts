/**
 * Header-token guards. Tokens are compared as SHA-256 digests with timingSafeEqual: constant time, any length.
 * Several tokens may be valid at once, so a token can be rotated without downtime: deploy with the new and the old
 * one, move the callers over, then drop the old one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { HttpError, unauthorized } from './http-error.js';

/** Marks guard middleware, so a test can check that every protected route carries one. */
const TOKEN_GUARD = Symbol('abTokenGuard');

/** True for middleware made by {@link requireToken}. */
export function isTokenGuard(middleware: unknown): boolean {
  return tokenGuardHeader(middleware) !== undefined;
}

/** The header a guard made by {@link requireToken} checks (`x-admin-token`, …); undefined for other middleware. */
export function tokenGuardHeader(middleware: unknown): string | undefined {
  if (typeof middleware !== 'function') return undefined;
  const header = (middleware as unknown as Record<symbol, unknown>)[TOKEN_GUARD];
  return typeof header === 'string' ? header : undefined;
}

/** One token, or the tokens valid during a rotation (new first). */
export type TokenSetting = string | readonly string[];

/** The configured tokens as a list (empty: the guarded routes are disabled). */
function tokenList(setting: TokenSetting | undefined): string[] {
  if (setting === undefined) return [];
  return (typeof setting === 'string' ? [setting] : [...setting]).filter((t) => t !== '');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Requires `header` to carry `token`. With no token configured the guarded routes are disabled (401 saying so),
 * never open. Put it on each route (`router.get(path, guard, handler)`), never in `router.use()`: a `use()` layer
 * matches paths differently from routes.
 */
export function requireToken(header: string, tokens: TokenSetting | undefined, option: string): Middleware {
  const expected = tokenList(tokens).map(digest);
  const guard: Middleware = async function tokenGuard(ctx, next) {
    if (expected.length === 0)
      throw new HttpError(401, 'unauthorized', `These endpoints are disabled: no ${option} is configured`);
    const given = ctx.get(header);
    if (!given) throw unauthorized(`Missing ${header} header`);
    const givenDigest = digest(given);
    // Every token is compared, so the time taken does not say which one nearly matched.
    let valid = false;
    for (const token of expected) valid = timingSafeEqual(givenDigest, token) || valid;
    if (!valid) throw unauthorized(`Invalid ${header}`);
    await next();
  };
  Object.defineProperty(guard, TOKEN_GUARD, { value: header });
  return guard;
}
