/**
 * Admin API (x-admin-token) for saved groups (`/v1/admin/saved-groups`): lists of attribute values that experiment
 * conditions name with `$inGroup` / `$notInGroup`. The checks live in services/saved-group-admin.ts, shared with the
 * CLI; every change drops the cached experiments, which hold the groups the assignment path evaluates with.
 */
import { LIMITS } from '@ab-calicritters/core';
import type Router from '@koa/router';
import { createRouter } from '../http/create-router.js';
import { readJsonBody } from '../http/json-body.js';
import { keyParam } from '../http/key-params.js';
import { respondCreated } from '../http/respond-created.js';
import { requireToken } from '../http/token-auth.js';
import { createSavedGroupAdmin } from '../services/saved-group-admin.js';
import type { RouterDeps } from './router-deps.js';

/** 10,000 values of up to 256 characters (each up to 6 bytes as a JSON escape) fit in a few MiB, not in 64 KiB. */
const SAVED_GROUP_BODY_LIMIT = 4 * LIMITS.maxBodyBytes;

export function createSavedGroupRouter({ storage, experimentCache, adminToken }: RouterDeps): Router {
  const router = createRouter('/v1/admin');
  // On every route, never router.use(): see createRouter.
  const guard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');
  const groups = createSavedGroupAdmin(storage, () => experimentCache.invalidate());

  router.get('/saved-groups', guard, async (ctx) => {
    ctx.body = { saved_groups: await groups.list() };
  });

  router.post('/saved-groups', guard, async (ctx) => {
    const record = await groups.create(await readJsonBody(ctx, SAVED_GROUP_BODY_LIMIT));
    respondCreated(ctx, record.key, record);
  });

  router.get('/saved-groups/:key', guard, async (ctx) => {
    ctx.body = await groups.get(keyParam(ctx, 'key'));
  });

  router.patch('/saved-groups/:key', guard, async (ctx) => {
    const body = await readJsonBody(ctx, SAVED_GROUP_BODY_LIMIT);
    ctx.body = await groups.update(keyParam(ctx, 'key'), body);
  });

  // Deletes for good (a group holds no results to keep); refused while an experiment's condition names it.
  router.delete('/saved-groups/:key', guard, async (ctx) => {
    ctx.body = await groups.remove(keyParam(ctx, 'key'));
  });

  return router;
}
