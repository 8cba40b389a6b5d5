/** GET /health: liveness plus a database ping, for load balancers and orchestrators. */
import type Router from '@koa/router';
import type { HealthResponse } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import type { RouterDeps } from './router-deps.js';

export function createHealthRouter({ storage }: RouterDeps): Router {
  return createRouter().get('/health', async (ctx) => {
    const dbUp = await storage.ping();
    const body: HealthResponse = { status: dbUp ? 'ok' : 'degraded', db: dbUp ? 'ok' : 'down' };
    ctx.status = dbUp ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
}
