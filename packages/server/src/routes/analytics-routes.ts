/** Dashboard metrics (x-dashboard-token): daily, experiment and funnel results, read from rollup tables only. */
import type Router from '@koa/router';
import type { Context } from 'koa';
import {
  ANALYSIS_METHODS,
  DEFAULT_ALPHA,
  DEFAULT_SEQUENTIAL_TUNING,
  DEFAULT_WINDOW_DAYS,
  MAX_WINDOW_DAYS,
  MIN_WINDOW_DAYS,
  type DailyMetrics,
  type ExperimentList,
  type ExperimentResults,
  type ResultsAnalysis,
  type FunnelList,
} from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { badRequest, notFound } from '../http/http-error.js';
import { booleanParam, enumParam, integerParam, nonZeroNumberParam } from '../http/query-params.js';
import { keyQuery } from '../http/key-params.js';
import { requireToken } from '../http/token-auth.js';
import { rollupWindow } from '../rollups/rollup-window.js';
import { catalogResults } from '../services/catalog-results.js';
import { SERIES_KINDS, withCumulativeSeries } from '../services/catalog-series.js';
import { experimentResults } from '../services/experiment-results.js';
import { funnelReport } from '../services/funnel-report.js';
import type { RouterDeps } from './router-deps.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The experiment key of `/experiments`: `experiment_key`, or its deprecated alias `experiment_id` (the old name,
 * accepted for one release; it always carried the key, never the database id). Both with different values is a 400.
 */
function experimentKeyQuery(ctx: Context): string | undefined {
  const key = keyQuery(ctx, 'experiment_key');
  const alias = keyQuery(ctx, 'experiment_id');
  if (key !== undefined && alias !== undefined && key !== alias) {
    const message = 'experiment_key and its deprecated alias experiment_id differ; send experiment_key only';
    throw badRequest('invalid_query', message, [
      { field: 'experiment_key', message },
      { field: 'experiment_id', message },
    ]);
  }
  return key ?? alias;
}

export function createAnalyticsRouter({ storage, dashboardToken, now }: RouterDeps): Router {
  const router = createRouter('/v1/metrics');
  const guard = requireToken('x-dashboard-token', dashboardToken, 'dashboardToken (DASHBOARD_TOKEN)');
  const windowOf = (ctx: Context) =>
    rollupWindow(integerParam(ctx, 'window_days', DEFAULT_WINDOW_DAYS, MIN_WINDOW_DAYS, MAX_WINDOW_DAYS), now());

  router.get('/daily', guard, async (ctx) => {
    const window = windowOf(ctx);
    const rows = await storage.rollups.daily(day(window.start), day(window.end));
    const overall = rows.filter((r) => r.event_name === '$all');
    const byName = rows.filter((r) => r.event_name !== '$all');
    const totals = new Map<string, { events: number; peak_daily_users: number }>();
    for (const r of byName) {
      const t = totals.get(r.event_name) ?? { events: 0, peak_daily_users: 0 };
      t.events += r.events;
      t.peak_daily_users = Math.max(t.peak_daily_users, r.unique_users);
      totals.set(r.event_name, t);
    }
    const body: DailyMetrics = {
      window_days: window.windowDays,
      window_start: window.start.toISOString(),
      window_end: window.end.toISOString(),
      last_rollup_at: await storage.rollups.lastRollupAt(),
      days: overall.map(({ day: d, events, unique_users }) => ({ day: d, events, unique_users })),
      events_by_name: byName,
      top_events: [...totals.entries()]
        .map(([event_name, t]) => ({ event_name, ...t }))
        .sort((a, b) => b.events - a.events || a.event_name.localeCompare(b.event_name)),
    };
    ctx.body = body;
  });

  router.get('/experiments', guard, async (ctx) => {
    const window = windowOf(ctx);
    const key = experimentKeyQuery(ctx);
    if (key) {
      const experiment = await storage.experiments.get(key);
      if (!experiment) throw notFound(`experiment '${key}' does not exist`);
      // The experiment's stored analysis (sequential unless set: these results are refreshed and looked at again
      // and again), unless the request asks for a method.
      const stored = experiment.analysis ?? { method: 'sequential' };
      const method = enumParam(ctx, 'method', ANALYSIS_METHODS, stored.method);
      const series = ctx.query.series === undefined ? undefined : enumParam(ctx, 'series', SERIES_KINDS, 'cumulative');
      const analysis: ResultsAnalysis = {
        method,
        alpha: stored.alpha ?? DEFAULT_ALPHA,
        sequential_tuning: stored.sequential_tuning ?? DEFAULT_SEQUENTIAL_TUNING,
        source: ctx.query.method === undefined ? 'experiment' : 'request',
        prior: stored.prior ?? 'flat',
      };
      // A relative effect to plan for (0.05 = 5 %); without it each comparison plans for its observed effect.
      const power = {
        method,
        alpha: analysis.alpha,
        sequential_tuning: analysis.sequential_tuning,
        prior: analysis.prior,
        started_at: experiment.created_at,
        now: now(),
        target_effect: nonZeroNumberParam(ctx, 'target_effect', 100),
      };
      const results = experimentResults(
        experiment,
        window.windowDays,
        await storage.rollups.experiment(key, window.windowDays),
        await storage.rollups.experimentWindowComputedAt(window.windowDays),
        method,
        power,
      );
      // Experiments that name catalog metrics also get their exposure-based comparison (metrics rollup).
      const catalog = await catalogResults(storage, experiment, window.windowDays, results.assignments, method, power);
      // With series=cumulative, every catalog variant also gets its effect day by day (the metrics rollup's days).
      const shown =
        catalog && series
          ? await withCumulativeSeries(storage, experiment, window.windowDays, catalog, analysis)
          : catalog;
      const body: ExperimentResults = { ...results, ...shown, method, analysis };
      ctx.body = body;
      return;
    }
    const experiments = await storage.experiments.list({ includeArchived: booleanParam(ctx, 'include_archived') });
    const windowComputedAt = await storage.rollups.experimentWindowComputedAt(window.windowDays);
    const list: ExperimentList = {
      window_days: window.windowDays,
      experiments: await Promise.all(
        experiments.map(async (e) => {
          const results = experimentResults(
            e,
            window.windowDays,
            await storage.rollups.experiment(e.key, window.windowDays),
            windowComputedAt,
          );
          const { assignments, exposures, sample_ratio, computed_at } = results;
          return { key: e.key, name: e.name, status: e.status, assignments, exposures, sample_ratio, computed_at };
        }),
      ),
    };
    ctx.body = list;
  });

  router.get('/funnels', guard, async (ctx) => {
    const window = windowOf(ctx);
    const name = keyQuery(ctx, 'funnel_name');
    const funnels = name
      ? [await storage.funnels.get(name)]
      : await storage.funnels.list({ includeArchived: booleanParam(ctx, 'include_archived') });
    if (name && !funnels[0]) throw notFound(`funnel '${name}' does not exist`);
    const reports = await Promise.all(
      funnels.map(async (f) =>
        funnelReport(f!, window, await storage.rollups.funnel(f!.name, day(window.start), day(window.end))),
      ),
    );
    const list: FunnelList = { window_days: window.windowDays, funnels: reports };
    ctx.body = name ? reports[0] : list;
  });

  return router;
}
