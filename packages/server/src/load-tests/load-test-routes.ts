/** Stored load-test runs (x-dashboard-token): list, the latest run of each phase, and a comparison of two runs. */
import type Router from '@koa/router';
import type { Context } from 'koa';
import {
  isLoadTestScenario,
  LOAD_TEST_RUNS_DEFAULT_LIMIT,
  LOAD_TEST_RUNS_MAX_LIMIT,
  LOAD_TEST_SCENARIOS,
  type LoadTestLatest,
  type LoadTestScenario,
} from '@ab-calicritters/core';
import { validateCorsOptions, type CorsOptions } from '../http/cors.js';
import { createRouter } from '../http/create-router.js';
import type { Logger } from '../http/error-middleware.js';
import { badRequest, notFound, type ErrorDetail } from '../http/http-error.js';
import { checkPrefix, checkToken, mountRouters } from '../http/mount-routers.js';
import { requireToken, type TokenSetting } from '../http/token-auth.js';
import { isLoadTestRunId } from '../storage/load-test-store.js';
import type { Storage } from '../storage/storage-types.js';
import { compareLoadTestRuns } from './load-test-compare.js';

function firstValue(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

function invalidQuery(details: ErrorDetail[]): never {
  throw badRequest('invalid_query', `Invalid query parameter(s): ${details.map((d) => d.field).join(', ')}`, details);
}

function limitParam(ctx: Context): number {
  const text = firstValue(ctx, 'limit');
  if (text === undefined) return LOAD_TEST_RUNS_DEFAULT_LIMIT;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > LOAD_TEST_RUNS_MAX_LIMIT) {
    invalidQuery([
      { field: 'limit', message: `must be an integer from 1 to ${LOAD_TEST_RUNS_MAX_LIMIT} (got '${text}')` },
    ]);
  }
  return value;
}

function scenarioParam(ctx: Context): LoadTestScenario | undefined {
  const text = firstValue(ctx, 'scenario');
  if (text === undefined || text === '') return undefined;
  if (!isLoadTestScenario(text)) {
    invalidQuery([{ field: 'scenario', message: `must be one of ${LOAD_TEST_SCENARIOS.join(', ')} (got '${text}')` }]);
  }
  return text;
}

function runIdParams(ctx: Context): { baseline: string; candidate: string } {
  const problems: ErrorDetail[] = [];
  const read = (name: string) => {
    const text = firstValue(ctx, name);
    if (!text) problems.push({ field: name, message: 'is required' });
    else if (!isLoadTestRunId(text))
      problems.push({ field: name, message: `must be a run id (a UUID), got '${text.slice(0, 64)}'` });
    return text ?? '';
  };
  const baseline = read('baseline_run_id');
  const candidate = read('candidate_run_id');
  if (problems.length > 0) invalidQuery(problems);
  return { baseline, candidate };
}

/**
 * The child router: `GET /v1/metrics/load-tests/runs?limit=`, `/latest[?scenario=]`,
 * `/compare?baseline_run_id=&candidate_run_id=`, for a parent that has our error middleware.
 */
export function createLoadTestRoutes({
  storage,
  dashboardToken,
}: {
  storage: Storage;
  dashboardToken?: TokenSetting;
}): Router {
  const router = createRouter('/v1/metrics/load-tests');
  // On every route, never router.use(): see createRouter.
  const guard = requireToken('x-dashboard-token', dashboardToken, 'dashboardToken (DASHBOARD_TOKEN)');

  router.get('/runs', guard, async (ctx) => {
    ctx.body = { runs: await storage.loadTests.listRuns(limitParam(ctx)) };
  });

  router.get('/latest', guard, async (ctx) => {
    const scenario = scenarioParam(ctx);
    const [baseline, postMitigation] = await Promise.all([
      storage.loadTests.latest({ phase: 'baseline', scenario, status: 'completed' }),
      storage.loadTests.latest({ phase: 'post_mitigation', scenario, status: 'completed' }),
    ]);
    const body: LoadTestLatest = { baseline, post_mitigation: postMitigation };
    ctx.body = body;
  });

  router.get('/compare', guard, async (ctx) => {
    const ids = runIdParams(ctx);
    const [baseline, candidate] = await Promise.all([
      storage.loadTests.getRunDetail(ids.baseline),
      storage.loadTests.getRunDetail(ids.candidate),
    ]);
    if (!baseline) throw notFound(`load-test run '${ids.baseline}' (baseline_run_id) does not exist`);
    if (!candidate) throw notFound(`load-test run '${ids.candidate}' (candidate_run_id) does not exist`);
    ctx.body = compareLoadTestRuns(baseline, candidate);
  });

  return router;
}

export interface LoadTestRouterOptions {
  /** Opened storage, from `createStorage()`. */
  storage: Storage;
  /** Token (or tokens, during a rotation) for `x-dashboard-token`; without it every route answers 401. */
  dashboardToken?: TokenSetting;
  /** Path prefix, e.g. `/ab`. Default: none. */
  prefix?: string;
  /** Where 5xx details are logged. Default: `console`. */
  logger?: Logger;
  /** CORS for these paths (see createAbRouter's `cors`). Default: none. */
  cors?: CorsOptions;
}

/**
 * The stored load-test runs on their own, for a host that mounts them next to `createAbRouter()` (which mounts them
 * itself only with `loadTests: true`). The dashboard's Benchmarks tab reads them.
 * @example
 * const lt = createLoadTestRouter({ storage, dashboardToken: process.env.DASHBOARD_TOKEN, prefix: '/ab' });
 * app.use(lt.routes()).use(lt.allowedMethods());
 */
export function createLoadTestRouter(options: LoadTestRouterOptions): Router {
  if (!options?.storage) throw new Error('createLoadTestRouter: options.storage is required (see createStorage)');
  checkToken('dashboardToken', options.dashboardToken);
  checkPrefix(options.prefix);
  validateCorsOptions(options.cors);
  return mountRouters({ prefix: options.prefix, logger: options.logger ?? console, cors: options.cors }, [
    createLoadTestRoutes(options),
  ]);
}
