/** Admin API (x-admin-token): experiment and funnel definitions, and the namespaces experiments claim. */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createRouter } from '../http/create-router.js';
import { freeNamespaceRanges } from '@ab-calicritters/core';
import { HttpError, MAX_ERROR_DETAILS, badRequest, conflict, notFound } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { keyParam } from '../http/key-params.js';
import { booleanParam } from '../http/query-params.js';
import { respondCreated } from '../http/respond-created.js';
import type { Parsed } from '../http/schema-validator.js';
import { requireToken } from '../http/token-auth.js';
import {
  parseExperimentDefinition,
  parseExperimentPatch,
  parseFunnelDefinition,
  parseFunnelPatch,
} from '../services/definition-checks.js';
import { ArchivedError } from '../storage/archived-error.js';
import { DefinitionConflictError } from '../storage/experiment-change-rules.js';
import type { StoredNamespaceClaim } from '../storage/experiment-store.js';
import { DuplicateKeyError } from '../storage/unique-flush.js';
import { checkExperimentMetrics } from '../services/metric-admin.js';
import type { RouterDeps } from './router-deps.js';

const ADMIN_BODY_LIMIT = 64 * 1024;

/** Reads the body and throws 400 naming every field at fault. */
async function readDefinition<T>(
  ctx: Context,
  parse: (body: unknown) => Parsed<T> | Promise<Parsed<T>>,
  what: string,
): Promise<T> {
  const parsed = await parse(await readJsonBody(ctx, ADMIN_BODY_LIMIT));
  if (!parsed.ok) {
    const fields = [...new Set(parsed.problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
    throw badRequest('invalid_definition', `The ${what} is invalid (${fields})`, parsed.problems);
  }
  return parsed.value;
}

/** A change the experiment rules refuse: 409 when it conflicts with what is stored, else 400; details name fields. */
function refused(error: DefinitionConflictError): HttpError {
  const fields = [...new Set(error.problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
  return error.kind === 'conflict'
    ? new HttpError(
        409,
        'conflict',
        `The experiment change conflicts with its state (${fields}): ${error.message}`,
        error.problems,
      )
    : badRequest('invalid_definition', `The experiment is invalid (${fields})`, error.problems);
}

async function created<T>(make: () => Promise<T>, what: string, key: string): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw conflict(`${what} '${key}' already exists`);
    if (error instanceof DefinitionConflictError) throw refused(error);
    throw error;
  }
}

/** An update of an archived definition is a 409: archived definitions are kept as they were. */
async function updated<T>(update: () => Promise<T>, how: string): Promise<T> {
  try {
    return await update();
  } catch (error) {
    if (error instanceof ArchivedError) {
      throw conflict(`${error.what} '${error.key}' is archived and cannot be changed (${how})`);
    }
    if (error instanceof DefinitionConflictError) throw refused(error);
    throw error;
  }
}

/** Each namespace in use: the ranges experiments claim (not archived ones) and the ranges still free. */
function namespaceList(claims: readonly StoredNamespaceClaim[]) {
  const names = [...new Set(claims.map((c) => c.namespace[0]))].sort();
  return names.map((name) => ({
    name,
    used: claims
      .filter((c) => c.namespace[0] === name)
      .map((c) => ({ experiment_key: c.key, status: c.status, start: c.namespace[1], end: c.namespace[2] }))
      .sort((a, b) => a.start - b.start || a.end - b.end),
    free: freeNamespaceRanges(name, claims).map(([start, end]) => ({ start, end })),
  }));
}

const INCLUDE_ARCHIVED = 'include_archived';

export function createAdminRouter({ storage, experimentCache, adminToken }: RouterDeps): Router {
  const router = createRouter('/v1/admin');
  // On every route, never router.use(): see createRouter.
  const guard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');
  // Conditions may name the saved groups that exist (`$inGroup` / `$notInGroup`), read once the body is in.
  const withSavedGroups =
    <T>(parse: (body: unknown, savedGroupIds: Iterable<string>) => Parsed<T>) =>
    async (body: unknown) =>
      parse(body, await storage.savedGroups.keys());

  router.get('/experiments', guard, async (ctx) => {
    ctx.body = {
      experiments: await storage.experiments.list({ includeArchived: booleanParam(ctx, INCLUDE_ARCHIVED) }),
    };
  });

  router.post('/experiments', guard, async (ctx) => {
    const def = await readDefinition(ctx, withSavedGroups(parseExperimentDefinition), 'experiment');
    await checkExperimentMetrics(storage, def.metrics);
    const record = await created(() => storage.experiments.create(def), 'experiment', def.key);
    experimentCache.invalidate();
    respondCreated(ctx, def.key, record);
  });

  router.get('/experiments/:key', guard, async (ctx) => {
    const record = await storage.experiments.get(keyParam(ctx, 'key'));
    if (!record) throw notFound(`experiment '${ctx.params.key}' does not exist`);
    ctx.body = record;
  });

  router.patch('/experiments/:key', guard, async (ctx) => {
    const patch = await readDefinition(ctx, withSavedGroups(parseExperimentPatch), 'experiment');
    await checkExperimentMetrics(storage, patch.metrics);
    const key = keyParam(ctx, 'key');
    const record = await updated(
      () => storage.experiments.update(key, patch),
      'create a new experiment under another key instead',
    );
    if (!record) throw notFound(`experiment '${key}' does not exist`);
    experimentCache.invalidate();
    ctx.body = record;
  });

  // Archives, never deletes: the sticky assignments and events stay for the record. Archiving twice is a no-op.
  router.delete('/experiments/:key', guard, async (ctx) => {
    const key = keyParam(ctx, 'key');
    const record = await storage.experiments.archive(key);
    if (!record) throw notFound(`experiment '${key}' does not exist`);
    experimentCache.invalidate();
    ctx.body = record;
  });

  router.get('/namespaces', guard, async (ctx) => {
    ctx.body = { namespaces: namespaceList(await storage.experiments.namespaceClaims()) };
  });

  router.get('/funnels', guard, async (ctx) => {
    ctx.body = { funnels: await storage.funnels.list({ includeArchived: booleanParam(ctx, INCLUDE_ARCHIVED) }) };
  });

  router.post('/funnels', guard, async (ctx) => {
    const def = await readDefinition(ctx, parseFunnelDefinition, 'funnel');
    const record = await created(() => storage.funnels.create(def), 'funnel', def.name);
    respondCreated(ctx, def.name, record);
  });

  router.get('/funnels/:name', guard, async (ctx) => {
    const record = await storage.funnels.get(keyParam(ctx, 'name'));
    if (!record) throw notFound(`funnel '${ctx.params.name}' does not exist`);
    ctx.body = record;
  });

  router.patch('/funnels/:name', guard, async (ctx) => {
    const patch = await readDefinition(ctx, parseFunnelPatch, 'funnel');
    const name = keyParam(ctx, 'name');
    const record = await updated(
      () => storage.funnels.update(name, patch),
      'create a new funnel under another name instead',
    );
    if (!record) throw notFound(`funnel '${name}' does not exist`);
    ctx.body = record;
  });

  // Archives, never deletes: the funnel's rollup rows stay. Archiving twice is a no-op.
  router.delete('/funnels/:name', guard, async (ctx) => {
    const name = keyParam(ctx, 'name');
    const record = await storage.funnels.archive(name);
    if (!record) throw notFound(`funnel '${name}' does not exist`);
    ctx.body = record;
  });

  return router;
}
