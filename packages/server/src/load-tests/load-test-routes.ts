/** Stored load-test runs (x-dashboard-token): list, the latest run of each phase, and a comparison of two runs. */
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { LoadTestLatest, LoadTestScenario } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { badRequest, notFound, type ErrorDetail } from '../http/http-error.js';
import { requireToken } from '../http/token-auth.js';
import { compareLoadTestRuns } from '../services/load-test-compare.js';
import { isLoadTestRunId } from '../storage/load-test-store.js';
import type { RouterDeps } from './router-deps.js';

const SCENARIOS: readonly LoadTestScenario[] = ['assignment', 'events', 'mixed'];

function firstValue(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

function invalidQuery(details: ErrorDetail[]): never {
  throw badRequest('invalid_query', `Invalid query parameter(s): ${details.map((d) => d.field).join(', ')}`, details);
}

function limitParam(ctx: Context): number {
  const text = firstValue(ctx, 'limit');
  if (text === undefined) return 20;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 100) {
    invalidQuery([{ field: 'limit', message: `must be an integer from 1 to 100 (got '${text}')` }]);
  }
  return value;
}

function scenarioParam(ctx: Context): LoadTestScenario | undefined {
  const text = firstValue(ctx, 'scenario');
  if (text === undefined || text === '') return undefined;
  if (!SCENARIOS.includes(text as LoadTestScenario)) {
    invalidQuery([{ field: 'scenario', message: `must be one of ${SCENARIOS.join(', ')} (got '${text}')` }]);
  }
  return text as LoadTestScenario;
}

function runIdParams(ctx: Context): { baseline: string; candidate: string } {
  const problems: ErrorDetail[] = [];
  const read = (name: string) => {
    const text = firstValue(ctx, name);
    if (!text) problems.push({ field: name, message: 'is required' });
    else if (!isLoadTestRunId(text)) problems.push({ field: name, message: `must be a run id (a UUID), got '${text.slice(0, 64)}'` });
    return text ?? '';
  };
  const baseline = read('baseline_run_id');
  const candidate = read('candidate_run_id');
  if (problems.length > 0) invalidQuery(problems);
  return { baseline, candidate };
}

/**
 * `GET /v1/metrics/load-tests/runs?limit=`, `/latest[?scenario=]`, `/compare?baseline_run_id=&candidate_run_id=`.
 * @example const child = createLoadTestRouter(deps); router.use(child.routes(), child.allowedMethods());
 */
export function createLoadTestRouter({ storage, dashboardToken }: RouterDeps): Router {
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
