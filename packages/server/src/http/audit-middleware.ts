/**
 * The audit log's hook into the admin API. {@link auditAdminChanges} walks routers before they are mounted and puts
 * one audit middleware on every POST, PUT, PATCH and DELETE route under `/v1/admin/`, right after its token guard,
 * so routes added later are audited without their authors doing anything (test/audit-coverage.test.ts checks it).
 *
 * The middleware checks `x-admin-actor`, reads the entity's state before the change, runs the route, and after a 2xx
 * reads the state again (or takes the response body) and appends the entry with its diff. Failed requests (a thrown
 * error, or a status outside 2xx) write nothing. A change that succeeded but could not be recorded is answered
 * `500 audit_failed` and logged with the whole entry: see docs/ADMIN_API.md#audit-log.
 */
import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { KEY_PATTERN, LIMITS } from '@ab-calicritters/core';
import { auditDiff } from '../services/audit-diff.js';
import { AUDIT_READERS, auditAction, auditRoute, type AuditRoute } from '../services/audit-targets.js';
import type { NewAuditEntry } from '../storage/audit-store.js';
import type { Storage } from '../storage/storage.js';
import { requestActor } from './admin-actor.js';
import type { Logger } from './error-middleware.js';
import { HttpError } from './http-error.js';
import { isTokenGuard } from './token-auth.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = new RegExp(KEY_PATTERN);
/** Larger response bodies are not stored as `after` (admin bodies are at most 64 KiB). */
const MAX_BODY_CHARS = 256 * 1024;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** Marks audit middleware, so a test can check that every admin change passes through one. */
const AUDIT = Symbol('abAuditMiddleware');

/** True for middleware made by {@link auditAdminChanges}. */
export function isAuditMiddleware(middleware: unknown): boolean {
  return typeof middleware === 'function' && (middleware as unknown as Record<symbol, unknown>)[AUDIT] === true;
}

/** What the audit middleware needs. */
export interface AuditDeps {
  storage: Storage;
  logger: Logger;
}

const isPlainJson = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  !Buffer.isBuffer(body) &&
  typeof (body as { pipe?: unknown }).pipe !== 'function';

/** The response body when it is a JSON value small enough to keep, else null. */
function bodyJson(body: unknown): unknown {
  if (!isPlainJson(body)) return null;
  const text = JSON.stringify(body);
  return text.length <= MAX_BODY_CHARS ? (JSON.parse(text) as unknown) : null;
}

/** The key of what a POST to a collection created: the last segment of `Location`, else `key`/`name`/`id` of the body. */
function createdKey(ctx: Context): string | null {
  const location = ctx.response.get('Location');
  if (location) {
    try {
      const last = decodeURIComponent(location.split('?')[0]!.split('/').pop() ?? '');
      if (last) return last;
    } catch {
      // not a key we can read back; try the body
    }
  }
  const body = isPlainJson(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
  for (const field of ['key', 'name', 'id']) {
    const value = body[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

const validKey = (key: string | undefined): key is string =>
  key !== undefined && key.length <= LIMITS.maxKeyLength && KEY.test(key);

function auditMiddleware(route: AuditRoute, { storage, logger }: AuditDeps): Middleware {
  const reader = AUDIT_READERS[route.kind];
  const middleware = async function auditChange(ctx: Context, next: Next) {
    if (!MUTATING.has(ctx.method)) return next();
    const actor = requestActor(ctx);
    const params = ctx.params as Record<string, string | undefined>;
    const pathKey = route.keyParam ? params[route.keyParam] : undefined;
    // A key that cannot exist is refused by the route itself; never send it to a query here.
    const readable = reader?.read && validKey(pathKey);
    let before = readable ? await reader.read!(storage, pathKey) : null;

    await next();
    if (ctx.status < 200 || ctx.status >= 300) return;

    const key = pathKey ?? (route.onItem ? null : createdKey(ctx));
    let after: unknown = null;
    if (reader?.read) after = validKey(key ?? undefined) ? await reader.read(storage, key!) : null;
    // Without a reader the answer is all we know: what a DELETE removed is the state before it.
    else if (ctx.method === 'DELETE') before = bodyJson(ctx.body);
    else after = bodyJson(ctx.body);
    const requestId = ctx.get('x-request-id');
    const entry: NewAuditEntry = {
      actor,
      method: ctx.method,
      path: ctx.path.slice(0, 1024),
      entity_kind: route.kind,
      entity_key: key,
      action: auditAction(route, ctx.method, ctx.status),
      before,
      after,
      diff: auditDiff(before, after),
      request_id: REQUEST_ID.test(requestId) ? requestId : null,
    };
    try {
      await storage.audit.append(entry).catch(() => storage.audit.append(entry));
    } catch (error) {
      // The change stands; the caller must not take it for a recorded one, and the log keeps what was lost.
      logger.error({ err: error, audit_entry: entry }, 'admin change applied but its audit entry was not written');
      ctx.remove('Location');
      throw new HttpError(
        500,
        'audit_failed',
        'The change was applied, but its audit entry could not be written; the server log holds it',
        undefined,
        { cause: error },
      );
    }
  };
  Object.defineProperty(middleware, AUDIT, { value: true });
  return middleware;
}

interface RouteLayer {
  methods: string[];
  path: unknown;
  stack: Middleware[];
}

/**
 * Puts the audit middleware on every mutating route under `/v1/admin/` of `routers` (after the route's token
 * guard) and returns them. Call it before the routers are mounted: mounting copies each route's middleware list.
 * @example mountRouters(options, auditAdminChanges(deps, [createAdminRouter(deps), createRollupRouter(deps, rollups)]))
 */
export function auditAdminChanges<T extends readonly Router[]>(deps: AuditDeps, routers: T): T {
  for (const router of routers) {
    for (const layer of router.stack as unknown as RouteLayer[]) {
      if (typeof layer.path !== 'string' || !layer.methods.some((m) => MUTATING.has(m))) continue;
      const route = auditRoute(layer.path);
      if (!route || layer.stack.some(isAuditMiddleware)) continue;
      let guard = -1;
      layer.stack.forEach((m, i) => {
        if (isTokenGuard(m)) guard = i;
      });
      layer.stack.splice(guard + 1, 0, auditMiddleware(route, deps));
    }
  }
  return routers;
}
