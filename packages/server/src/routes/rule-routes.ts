/**
 * Admin API (x-admin-token) for the rules kept outside an experiment's definition: QA overrides
 * (`/v1/admin/experiments/:key/overrides/:user_id`) and holdouts (`/v1/admin/holdouts`). The checks live in
 * services/rule-admin.ts, shared with the CLI; every change drops the assignment path's cached rules.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createRouter } from '../http/create-router.js';
import { badRequest } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { keyParam } from '../http/key-params.js';
import { booleanParam } from '../http/query-params.js';
import { respondCreated } from '../http/respond-created.js';
import { requireToken } from '../http/token-auth.js';
import { createRuleAdmin } from '../services/rule-admin.js';
import type { RouterDeps } from './router-deps.js';

const ADMIN_BODY_LIMIT = 64 * 1024;

/**
 * The user id, the last path segment, percent-decoded; its content is checked by the service. The router leaves a
 * segment it cannot decode as it was (`%ED%A0%BD` would become a user id of nine characters): that is a 400 here.
 */
function userIdParam(ctx: Context): string {
  const raw = ctx.path.replace(/\/$/, '');
  try {
    return decodeURIComponent(raw.slice(raw.lastIndexOf('/') + 1));
  } catch {
    const message = 'must be percent-encoded UTF-8';
    throw badRequest('invalid_path', `user_id ${message}`, [{ field: 'user_id', message }]);
  }
}

export function createRuleRouter({ storage, adminToken, now }: RouterDeps, onChange: () => void): Router {
  const router = createRouter('/v1/admin');
  // On every route, never router.use(): see createRouter.
  const guard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');
  const rules = createRuleAdmin(storage, { now, onChange });

  router.get('/experiments/:key/overrides', guard, async (ctx) => {
    const key = keyParam(ctx, 'key');
    ctx.body = { overrides: await rules.overrides.list(key, { includeExpired: booleanParam(ctx, 'include_expired') }) };
  });

  router.put('/experiments/:key/overrides/:user_id', guard, async (ctx) => {
    // The body first, as on every admin write: a compressed or oversized one is refused before anything else.
    const body = await readJsonBody(ctx, ADMIN_BODY_LIMIT);
    const key = keyParam(ctx, 'key');
    const { override, created } = await rules.overrides.set(key, userIdParam(ctx), body);
    ctx.status = created ? 201 : 200;
    ctx.body = override;
  });

  router.delete('/experiments/:key/overrides/:user_id', guard, async (ctx) => {
    const key = keyParam(ctx, 'key');
    ctx.body = await rules.overrides.remove(key, userIdParam(ctx));
  });

  router.get('/holdouts', guard, async (ctx) => {
    ctx.body = { holdouts: await rules.holdouts.list({ includeArchived: booleanParam(ctx, 'include_archived') }) };
  });

  router.post('/holdouts', guard, async (ctx) => {
    const record = await rules.holdouts.create(await readJsonBody(ctx, ADMIN_BODY_LIMIT));
    respondCreated(ctx, record.key, record);
  });

  router.get('/holdouts/:key', guard, async (ctx) => {
    ctx.body = await rules.holdouts.get(keyParam(ctx, 'key'));
  });

  router.patch('/holdouts/:key', guard, async (ctx) => {
    const body = await readJsonBody(ctx, ADMIN_BODY_LIMIT);
    ctx.body = await rules.holdouts.update(keyParam(ctx, 'key'), body);
  });

  // Archives, never deletes: a holdout's users may be analysed later. Archiving twice is a no-op.
  router.delete('/holdouts/:key', guard, async (ctx) => {
    ctx.body = await rules.holdouts.archive(keyParam(ctx, 'key'));
  });

  return router;
}
