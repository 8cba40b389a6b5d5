/**
 * Admin API (x-admin-token) for the metric catalog (`/v1/admin/metrics`): the metrics experiments are analysed on.
 * The checks live in services/metric-admin.ts, shared with the CLI. PUT replaces a whole definition; DELETE archives.
 */
import type Router from '@koa/router';
import { createRouter } from '../http/create-router.js';
import { readJsonBody } from '../http/json-body.js';
import { keyParam } from '../http/key-params.js';
import { booleanParam } from '../http/query-params.js';
import { respondCreated } from '../http/respond-created.js';
import { requireToken } from '../http/token-auth.js';
import { createMetricAdmin } from '../services/metric-admin.js';
import type { RouterDeps } from './router-deps.js';

/** A metric definition is a few hundred bytes; its description at most 2000 characters. */
const METRIC_BODY_LIMIT = 64 * 1024;

export function createMetricRouter({ storage, adminToken }: RouterDeps): Router {
  const router = createRouter('/v1/admin');
  // On every route, never router.use(): see createRouter.
  const guard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');
  const metrics = createMetricAdmin(storage);

  router.get('/metrics', guard, async (ctx) => {
    ctx.body = { metrics: await metrics.list(booleanParam(ctx, 'include_archived')) };
  });

  router.post('/metrics', guard, async (ctx) => {
    const record = await metrics.create(await readJsonBody(ctx, METRIC_BODY_LIMIT));
    respondCreated(ctx, record.key, record);
  });

  router.get('/metrics/:key', guard, async (ctx) => {
    ctx.body = await metrics.get(keyParam(ctx, 'key'));
  });

  router.put('/metrics/:key', guard, async (ctx) => {
    const body = await readJsonBody(ctx, METRIC_BODY_LIMIT);
    ctx.body = await metrics.replace(keyParam(ctx, 'key'), body);
  });

  // Archives, never deletes: experiments keep naming the metric and their results stay readable.
  router.delete('/metrics/:key', guard, async (ctx) => {
    ctx.body = await metrics.archive(keyParam(ctx, 'key'));
  });

  return router;
}
