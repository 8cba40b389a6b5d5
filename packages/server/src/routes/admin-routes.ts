/** Admin API (x-admin-token): experiment and funnel definitions. */
import Router from '@koa/router';
import {
  funnelStepProblems,
  LIMITS,
  variantProblems,
  type ExperimentDefinition,
  type ExperimentPatch,
  type FunnelDefinition,
  type FunnelPatch,
} from '@ab-calicritters/core';
import { badRequest, conflict, notFound, type ErrorDetail } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { check } from '../http/schema-validator.js';
import { requireToken } from '../http/token-auth.js';
import { DuplicateKeyError } from '../storage/experiment-store.js';
import type { RouterDeps } from './router-deps.js';

const ADMIN_BODY_LIMIT = 64 * 1024;

function rejectIfAny(problems: ErrorDetail[], what: string): void {
  if (problems.length > 0) {
    const fields = problems.map((p) => p.field).join(', ');
    throw badRequest('invalid_definition', `The ${what} is invalid (${fields})`, problems);
  }
}

async function created<T>(make: () => Promise<T>, what: string, key: string): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw conflict(`${what} '${key}' already exists`);
    throw error;
  }
}

export function createAdminRouter({ storage, experimentCache, adminToken }: RouterDeps): Router {
  const router = new Router({ prefix: '/v1/admin' });
  router.use(requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)'));

  router.get('/experiments', async (ctx) => {
    ctx.body = { experiments: await storage.experiments.list() };
  });

  router.post('/experiments', async (ctx) => {
    const body = await readJsonBody(ctx, Math.min(ADMIN_BODY_LIMIT, LIMITS.maxBodyBytes));
    rejectIfAny(check('ExperimentDefinition', body), 'experiment');
    const def = body as ExperimentDefinition;
    rejectIfAny(variantProblems(def.variants), 'experiment');
    const record = await created(() => storage.experiments.create(def), 'experiment', def.key);
    experimentCache.invalidate();
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${encodeURIComponent(def.key)}`);
    ctx.body = record;
  });

  router.get('/experiments/:key', async (ctx) => {
    const record = await storage.experiments.get(ctx.params.key ?? '');
    if (!record) throw notFound(`experiment '${ctx.params.key}' does not exist`);
    ctx.body = record;
  });

  router.patch('/experiments/:key', async (ctx) => {
    const body = await readJsonBody(ctx, ADMIN_BODY_LIMIT);
    if (body && typeof body === 'object' && 'key' in body) {
      throw badRequest('invalid_definition', 'The experiment is invalid (/key)', [
        { field: '/key', message: 'the key of an experiment cannot change' },
      ]);
    }
    rejectIfAny(check('ExperimentPatch', body), 'experiment');
    const patch = body as ExperimentPatch;
    if (patch.variants) rejectIfAny(variantProblems(patch.variants), 'experiment');
    const record = await storage.experiments.update(ctx.params.key ?? '', patch);
    if (!record) throw notFound(`experiment '${ctx.params.key}' does not exist`);
    experimentCache.invalidate();
    ctx.body = record;
  });

  router.get('/funnels', async (ctx) => {
    ctx.body = { funnels: await storage.funnels.list() };
  });

  router.post('/funnels', async (ctx) => {
    const body = await readJsonBody(ctx, ADMIN_BODY_LIMIT);
    rejectIfAny(check('FunnelDefinition', body), 'funnel');
    const def = body as FunnelDefinition;
    rejectIfAny(funnelStepProblems(def.steps), 'funnel');
    const record = await created(() => storage.funnels.create(def), 'funnel', def.name);
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${encodeURIComponent(def.name)}`);
    ctx.body = record;
  });

  router.get('/funnels/:name', async (ctx) => {
    const record = await storage.funnels.get(ctx.params.name ?? '');
    if (!record) throw notFound(`funnel '${ctx.params.name}' does not exist`);
    ctx.body = record;
  });

  router.patch('/funnels/:name', async (ctx) => {
    const body = await readJsonBody(ctx, ADMIN_BODY_LIMIT);
    if (body && typeof body === 'object' && 'name' in body) {
      throw badRequest('invalid_definition', 'The funnel is invalid (/name)', [
        { field: '/name', message: 'the name of a funnel cannot change' },
      ]);
    }
    rejectIfAny(check('FunnelPatch', body), 'funnel');
    const patch = body as FunnelPatch;
    if (patch.steps) rejectIfAny(funnelStepProblems(patch.steps), 'funnel');
    const record = await storage.funnels.update(ctx.params.name ?? '', patch);
    if (!record) throw notFound(`funnel '${ctx.params.name}' does not exist`);
    ctx.body = record;
  });

  return router;
}
