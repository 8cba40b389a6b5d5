/** GET /v1/metrics/summary: public aggregate counters (no per-user data). */
import Router from '@koa/router';
import type { MetricsSummary } from '@ab-calicritters/core';
import type { RouterDeps } from './router-deps.js';

export function createMetricsRouter({ storage }: RouterDeps): Router {
  return new Router().get('/v1/metrics/summary', async (ctx) => {
    const [counts, lastRollupAt] = await Promise.all([storage.events.summary(), storage.rollups.lastRollupAt()]);
    const body: MetricsSummary = { ...counts, last_rollup_at: lastRollupAt };
    ctx.body = body;
  });
}
