/**
 * `GET /v1/admin/audit` (x-admin-token): the admin audit log, newest first, a page at a time (`limit`, `before_id`),
 * filtered by entity, actor and time. Every query parameter is checked; a bad one is a 400 naming it.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { actorProblem } from '../http/admin-actor.js';
import { createRouter } from '../http/create-router.js';
import { badRequest } from '../http/http-error.js';
import { integerParam } from '../http/query-params.js';
import { requireToken } from '../http/token-auth.js';
import type { AuditFilter } from '../storage/audit-store.js';
import type { RouterDeps } from './router-deps.js';

/** Entries per page by default and at most. */
const AUDIT_PAGE = { default: 50, max: 200 } as const;

const KIND = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_KINDS = 16;
const MAX_ENTITY_KEY_LENGTH = 256;
/** A date (`2026-11-30`, midnight UTC) or an RFC 3339 date-time with its offset. */
const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/i;

function invalid(name: string, message: string, got: string): never {
  const shown = got.length > 64 ? `${got.slice(0, 64)}…` : got;
  throw badRequest('invalid_query', `${name} ${message}`, [{ field: name, message: `${message} (got '${shown}')` }]);
}

/** The first value of a query parameter; undefined when absent or empty. */
function queryText(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  const text = Array.isArray(raw) ? raw[0] : raw;
  return text === undefined || text === '' ? undefined : text;
}

function timeParam(ctx: Context, name: string): Date | undefined {
  const text = queryText(ctx, name);
  if (text === undefined) return undefined;
  const at = TIME.test(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) invalid(name, 'must be a date (YYYY-MM-DD) or an RFC 3339 date-time', text);
  return at;
}

function beforeIdParam(ctx: Context): number | undefined {
  const text = queryText(ctx, 'before_id');
  if (text === undefined) return undefined;
  const id = /^\d{1,15}$/.test(text) ? Number(text) : 0;
  if (id < 1) invalid('before_id', 'must be an entry id (a positive integer)', text);
  return id;
}

function kindsParam(ctx: Context): string[] | undefined {
  const text = queryText(ctx, 'entity_kind');
  if (text === undefined) return undefined;
  const kinds = text.split(',');
  if (kinds.length > MAX_KINDS || !kinds.every((k) => KIND.test(k)))
    invalid('entity_kind', `must be up to ${MAX_KINDS} kinds separated by commas, such as experiment,override`, text);
  return kinds;
}

function storableParam(ctx: Context, name: string, check: (text: string) => string | undefined): string | undefined {
  const text = queryText(ctx, name);
  if (text === undefined) return undefined;
  const problem = check(text);
  if (problem) invalid(name, problem, text);
  return text;
}

const entityKeyProblem = (text: string) =>
  text.length > MAX_ENTITY_KEY_LENGTH ? `must be at most ${MAX_ENTITY_KEY_LENGTH} characters` : actorProblem(text);

/** The filter a request asks for (limit + 1 rows are read, to know whether another page follows). */
function auditFilter(ctx: Context): AuditFilter {
  const filter: AuditFilter = {
    limit: integerParam(ctx, 'limit', AUDIT_PAGE.default, 1, AUDIT_PAGE.max),
    beforeId: beforeIdParam(ctx),
    entityKinds: kindsParam(ctx),
    entityKey: storableParam(ctx, 'entity_key', entityKeyProblem),
    actor: storableParam(ctx, 'actor', actorProblem),
    since: timeParam(ctx, 'since'),
    until: timeParam(ctx, 'until'),
  };
  if (filter.since && filter.until && filter.until <= filter.since)
    invalid('until', 'must be later than since', queryText(ctx, 'until') ?? '');
  return filter;
}

export function createAuditRouter({ storage, adminToken }: RouterDeps): Router {
  const router = createRouter('/v1/admin');
  // On the route, never router.use(): see createRouter.
  const guard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');

  router.get('/audit', guard, async (ctx) => {
    const filter = auditFilter(ctx);
    const rows = await storage.audit.list({ ...filter, limit: filter.limit + 1 });
    const entries = rows.slice(0, filter.limit);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { entries, next_before_id: rows.length > filter.limit ? entries[entries.length - 1]!.id : null };
  });

  return router;
}
