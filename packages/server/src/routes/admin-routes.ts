/** Admin API (x-admin-token): experiment and funnel definitions. */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createRouter } from '../http/create-router.js';
import { MAX_ERROR_DETAILS, badRequest, conflict, notFound } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { keyParam } from '../http/key-params.js';
import type { Parsed } from '../http/schema-validator.js';
import { requireToken } from '../http/token-auth.js';
import {
  parseExperimentDefinition,
  parseExperimentPatch,
  parseFunnelDefinition,
  parseFunnelPatch,
} from '../services/definition-checks.js';
import { DuplicateKeyError } from '../storage/unique-flush.js';
import type { RouterDeps } from './router-deps.js';

const ADMIN_BODY_LIMIT = 64 * 1024;

/** Reads the body and throws 400 naming every field at fault. */
async function readDefinition<T>(ctx: Context, parse: (body: unknown) => Parsed<T>, what: string): Promise<T> {
  const parsed = parse(await readJsonBody(ctx, ADMIN_BODY_LIMIT));
  if (!parsed.ok) {
    const fields = [...new Set(parsed.problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
    throw badRequest('invalid_definition', `The ${what} is invalid (${fields})`, parsed.problems);
  }
  return parsed.value;
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
  const router = createRouter('/v1/admin');
  // On every route, never router.use(): see createRouter.
  const guard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');

  router.get('/experiments', guard, async (ctx) => {
    ctx.body = { experiments: await storage.experiments.list() };
  });

  router.post('/experiments', guard, async (ctx) => {
    const def = await readDefinition(ctx, parseExperimentDefinition, 'experiment');
    const record = await created(() => storage.experiments.create(def), 'experiment', def.key);
    experimentCache.invalidate();
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${encodeURIComponent(def.key)}`);
    ctx.body = record;
  });

  router.get('/experiments/:key', guard, async (ctx) => {
    const record = await storage.experiments.get(keyParam(ctx, 'key'));
    if (!record) throw notFound(`experiment '${ctx.params.key}' does not exist`);
    ctx.body = record;
  });

  router.patch('/experiments/:key', guard, async (ctx) => {
    const patch = await readDefinition(ctx, parseExperimentPatch, 'experiment');
    const record = await storage.experiments.update(keyParam(ctx, 'key'), patch);
    if (!record) throw notFound(`experiment '${ctx.params.key}' does not exist`);
    experimentCache.invalidate();
    ctx.body = record;
  });

  router.get('/funnels', guard, async (ctx) => {
    ctx.body = { funnels: await storage.funnels.list() };
  });

  router.post('/funnels', guard, async (ctx) => {
    const def = await readDefinition(ctx, parseFunnelDefinition, 'funnel');
    const record = await created(() => storage.funnels.create(def), 'funnel', def.name);
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${encodeURIComponent(def.name)}`);
    ctx.body = record;
  });

  router.get('/funnels/:name', guard, async (ctx) => {
    const record = await storage.funnels.get(keyParam(ctx, 'name'));
    if (!record) throw notFound(`funnel '${ctx.params.name}' does not exist`);
    ctx.body = record;
  });

  router.patch('/funnels/:name', guard, async (ctx) => {
    const patch = await readDefinition(ctx, parseFunnelPatch, 'funnel');
    const record = await storage.funnels.update(keyParam(ctx, 'name'), patch);
    if (!record) throw notFound(`funnel '${ctx.params.name}' does not exist`);
    ctx.body = record;
  });

  return router;
}
