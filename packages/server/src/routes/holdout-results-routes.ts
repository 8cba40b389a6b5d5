/**
 * `GET /v1/holdouts/:key/results` (x-dashboard-token, like the experiment results): a holdout's held-out users
 * against its exposed users, read from the experiments rollup only.
 */
import type Router from '@koa/router';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { notFound } from '../http/http-error.js';
import { keyParam } from '../http/key-params.js';
import { enumParam, integerParam } from '../http/query-params.js';
import { requireToken } from '../http/token-auth.js';
import { readHoldoutResults } from '../services/holdout-results.js';
import type { RouterDeps } from './router-deps.js';

export function createHoldoutResultsRouter({ storage, dashboardToken }: RouterDeps): Router {
  const router = createRouter('/v1/holdouts');
  const guard = requireToken('x-dashboard-token', dashboardToken, 'dashboardToken (DASHBOARD_TOKEN)');

  router.get('/:key/results', guard, async (ctx) => {
    const key = keyParam(ctx, 'key');
    const windowDays = integerParam(ctx, 'window_days', DEFAULT_WINDOW_DAYS, MIN_WINDOW_DAYS, MAX_WINDOW_DAYS);
    const method = enumParam(ctx, 'method', ['sequential', 'fixed'] as const, 'sequential');
    const results = await readHoldoutResults(storage, key, windowDays, method);
    if (!results) throw notFound(`holdout '${key}' does not exist`);
    ctx.body = results;
  });

  return router;
}
