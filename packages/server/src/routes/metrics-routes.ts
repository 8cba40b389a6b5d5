/**
 * GET /v1/metrics/summary: public aggregate counters (no per-user data). Counting the event log is not free and the
 * endpoint needs no token, so the answer is cached briefly and concurrent requests share one computation.
 */
import type Router from '@koa/router';
import type { MetricsSummary } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { createTtlCache } from '../services/ttl-cache.js';
import type { RouterDeps } from './router-deps.js';

export function createMetricsRouter({ storage, summaryCacheTtlMs }: RouterDeps): Router {
  const summary = createTtlCache(async (): Promise<MetricsSummary> => {
    const [counts, lastRollupAt] = await Promise.all([storage.events.summary(), storage.rollups.lastRollupAt()]);
    return { ...counts, last_rollup_at: lastRollupAt };
  }, summaryCacheTtlMs);
  return createRouter().get('/v1/metrics/summary', async (ctx) => {
    ctx.set('Cache-Control', `public, max-age=${Math.floor(summaryCacheTtlMs / 1000)}`);
    ctx.body = await summary.get();
  });
}
