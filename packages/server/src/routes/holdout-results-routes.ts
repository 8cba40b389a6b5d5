/**
 * `GET /v1/holdouts/:key/results` (x-dashboard-token, like the experiment results): a holdout's held-out users
 * against its exposed users, read from the experiments rollup only, with the power of every comparison.
 */
import type Router from '@koa/router';
import { ANALYSIS_METHODS, DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { notFound } from '../http/http-error.js';
import { keyParam } from '../http/key-params.js';
import { enumParam, integerParam, nonZeroNumberParam } from '../http/query-params.js';
import { requireToken } from '../http/token-auth.js';
import { readHoldoutResults } from '../services/holdout-results.js';
import type { RouterDeps } from './router-deps.js';

export function createHoldoutResultsRouter({ storage, dashboardToken, now }: RouterDeps): Router {
  const router = createRouter('/v1/holdouts');
  const guard = requireToken('x-dashboard-token', dashboardToken, 'dashboardToken (DASHBOARD_TOKEN)');

  router.get('/:key/results', guard, async (ctx) => {
    const key = keyParam(ctx, 'key');
    const windowDays = integerParam(ctx, 'window_days', DEFAULT_WINDOW_DAYS, MIN_WINDOW_DAYS, MAX_WINDOW_DAYS);
    // A holdout stores no analysis: sequential unless the request names a method (`analysis.source` says which).
    const method =
      ctx.query.method === undefined ? undefined : enumParam(ctx, 'method', ANALYSIS_METHODS, 'sequential');
    // A relative effect to plan for (0.05 = 5 %); without it each comparison plans for its observed effect.
    const target_effect = nonZeroNumberParam(ctx, 'target_effect', 100);
    const results = await readHoldoutResults(storage, key, windowDays, method, { target_effect, now: now() });
    if (!results) throw notFound(`holdout '${key}' does not exist`);
    ctx.body = results;
  });

  return router;
}
