/**
 * Every router of ours is made here, so all of them compare paths the same way. @koa/router matches routes
 * case-insensitively by default but `use()` layers case-sensitively; a guard mounted with `use()` was skipped by
 * `/V1/ADMIN/…`. Our paths are case-sensitive (as URLs are), and guards sit on the routes themselves.
 */
import Router from '@koa/router';

/** Options every router of ours uses: case-sensitive paths; a trailing slash is tolerated. */
const ROUTER_MATCHING = { sensitive: true, strict: false } as const;

/** A router with {@link ROUTER_MATCHING}, optionally under a prefix. */
export function createRouter(prefix?: string): Router {
  return new Router(prefix ? { ...ROUTER_MATCHING, prefix } : { ...ROUTER_MATCHING });
}
