/**
 * Rollups on demand and their freshness: `POST /v1/admin/rollups` (x-admin-token) starts a round now, and
 * `GET /v1/metrics/rollups/status` (x-dashboard-token) says per job when it last ran, how long it took, whether it
 * succeeded and how far behind it is.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createRouter } from '../http/create-router.js';
import { MAX_ERROR_DETAILS, badRequest, conflict } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { parse } from '../http/schema-validator.js';
import { requireToken } from '../http/token-auth.js';
import { findLockHolder, ROLLUP_LOCK_KEYS } from '../rollups/rollup-lock.js';
import type { RollupScheduler } from '../rollups/rollup-scheduler.js';
import { ROLLUP_JOBS, type RollupJob } from '../rollups/rollup-window.js';
import type { RouterDeps } from './router-deps.js';

const BODY_LIMIT = 1024;

/** The body is optional: a request without one (no length or length 0) asks for every job over the default window. */
async function readRequest(ctx: Context) {
  const bodyless = !Number(ctx.get('Content-Length')) && !ctx.get('Transfer-Encoding');
  const parsed = parse('RollupRequest', bodyless ? {} : await readJsonBody(ctx, BODY_LIMIT));
  if (!parsed.ok) {
    const fields = [...new Set(parsed.problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
    throw badRequest('invalid_body', `The rollup request is invalid (${fields})`, parsed.problems);
  }
  return parsed.value;
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

export function createRollupRouter(
  { storage, adminToken, dashboardToken, now }: RouterDeps,
  rollups: RollupScheduler,
): Router {
  const router = createRouter();
  // On every route, never router.use(): see createRouter.
  const adminGuard = requireToken('x-admin-token', adminToken, 'adminToken (ADMIN_TOKEN)');
  const dashboardGuard = requireToken('x-dashboard-token', dashboardToken, 'dashboardToken (DASHBOARD_TOKEN)');

  router.post('/v1/admin/rollups', adminGuard, async (ctx) => {
    const request = await readRequest(ctx);
    const jobs: readonly RollupJob[] = request.job ? [request.job] : ROLLUP_JOBS;
    const busy = rollups.running;
    if (busy) throw conflict(`a rollup of ${busy.jobs.join(', ')} started at ${busy.started_at} is still running`);
    if (storage.kind === 'postgresql') {
      // Another server (or a CLI run) may hold a job's lock; say so now rather than skip it quietly later.
      for (const job of jobs) {
        const holder = await findLockHolder(storage.rollups.execute, ROLLUP_LOCK_KEYS[job]);
        if (holder)
          throw conflict(`another '${job}' rollup is running (pid ${holder.pid}, since ${holder.xact_start})`);
      }
    }
    const round = rollups.trigger({ job: request.job, windowDays: request.window_days, full: request.full });
    if (!round) throw conflict('a rollup is already running or the server is shutting down');
    ctx.status = 202;
    ctx.body = { jobs: round.jobs, window_days: round.window_days, full: round.full, started_at: round.started_at };
  });

  router.get('/v1/metrics/rollups/status', dashboardGuard, async (ctx) => {
    const runs = new Map((await storage.rollups.jobRuns()).map((r) => [r.job, r]));
    const at = now();
    const running = rollups.running;
    ctx.body = {
      now: at.toISOString(),
      interval_ms: rollups.intervalMs ?? null,
      next_run_at: rollups.nextRunAt?.toISOString() ?? null,
      running: running
        ? { jobs: running.jobs, window_days: running.window_days, full: running.full, started_at: running.started_at }
        : null,
      jobs: ROLLUP_JOBS.map((job) => {
        const run = runs.get(job);
        const last = run?.last_run;
        return {
          job,
          last_run_at: last?.started_at ?? null,
          last_status: last?.status ?? null,
          last_mode: last?.mode ?? null,
          last_duration_ms: last?.ended_at ? Date.parse(last.ended_at) - Date.parse(last.started_at) : null,
          last_error: last?.error ?? null,
          last_window_days: last
            ? Math.round((Date.parse(last.window_end) - Date.parse(last.window_start)) / 86_400_000)
            : null,
          last_success_at: run?.last_success_at ?? null,
          lag_seconds: run?.last_success_at ? seconds(at.getTime() - Date.parse(run.last_success_at)) : null,
        };
      }),
    };
  });

  return router;
}
