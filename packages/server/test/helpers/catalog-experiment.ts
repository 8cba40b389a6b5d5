/**
 * One experiment measured by catalog metrics, seeded and rolled up on a server whose clock stands still, and its
 * results read back: the setup the catalog results tests share. Each test chooses the metrics and the rows.
 */
import * as assert from 'uvu/assert';
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import { runRollup } from '../../src/rollups/run-rollup.js';
import type { EventRow } from '../../src/storage/event-store.js';
import { insertAssignment } from './seed-rows.js';
import { admin, createExperiment, DASHBOARD_TOKEN, startTestServer, type TestServer } from './test-server.js';

/** The servers' clock: a 7-day window is [03-04, 03-11). */
const CATALOG_NOW = new Date('2026-03-10T12:00:00Z');

/** A dashboard request header set. */
export const dashboard = { 'x-dashboard-token': DASHBOARD_TOKEN };

export interface CatalogExperiment {
  /** Metric definitions, created in this order through the admin API. */
  metrics: readonly Record<string, unknown>[];
  /** The experiment, created running through the admin API. */
  experiment: { key: string } & Record<string, unknown>;
  /** Sticky rows of the experiment: user, variant, when assigned. */
  assignments: ReadonlyArray<readonly [user: string, variant: string, at: string]>;
  events: EventRow[];
}

/**
 * Starts a server at CATALOG_NOW, creates the metrics and the experiment, seeds the rows, and runs the experiments and
 * metrics rollups over 7 days.
 */
export async function startCatalogExperiment(setup: CatalogExperiment): Promise<TestServer> {
  const server = await startTestServer({ now: () => CATALOG_NOW });
  for (const metric of setup.metrics) {
    const res = await server.post('/v1/admin/metrics', metric, admin);
    assert.is(res.status, 201, JSON.stringify(res.body));
  }
  await createExperiment(server, setup.experiment);
  for (const [user, variant, at] of setup.assignments) {
    await insertAssignment(server.db.storage, setup.experiment.key, user, variant, at);
  }
  await server.db.storage.events.insertBatch(setup.events);
  for (const job of ['experiments', 'metrics'] as const) {
    await runRollup(server.db.storage, job, { windowDays: 7, now: CATALOG_NOW });
  }
  return server;
}

/** The experiment's 7-day results; `query` adds parameters (`&method=fixed`). */
export async function catalogResults(
  server: TestServer,
  experimentKey: string,
  query = '',
): Promise<ExperimentResults> {
  const res = await server.get(
    `/v1/metrics/experiments?experiment_key=${experimentKey}&window_days=7${query}`,
    dashboard,
  );
  assert.is(res.status, 200, JSON.stringify(res.body));
  return res.body as ExperimentResults;
}

/** The catalog metric of that key in the results; fails the test when it is missing. */
export function catalogMetric(body: ExperimentResults, key: string): CatalogMetricResult {
  const found = body.catalog_metrics?.find((m) => m.key === key);
  assert.ok(found, `${key} in ${JSON.stringify(body.catalog_metrics?.map((m) => m.key))}`);
  return found!;
}
