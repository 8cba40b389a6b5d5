/**
 * The metric catalog for the results screenshot: four catalog metrics on the demo's paywall experiment, created
 * through the admin API, the exposures and events they read (seeded, so the picture is the same on every run), and
 * the metrics rollup. Kept out of the browser tests' data set so their expected figures stay as they are.
 *
 * It is not the catalog `seed` creates (the CLI's demo-data.ts), on purpose: this data set has no `revenue` or
 * refund events, so revenue here reads `purchase` values, and the results screenshot opens that metric's trend. It
 * cannot import the CLI's anyway: the CLI depends on this package, so the import would make a cycle.
 */
import { randomUUID } from 'node:crypto';
import { seededRandom } from '@ab-calicritters/core';
import { runRollup } from '@ab-calicritters/server';
import { ADMIN_TOKEN, type DemoServer } from '../test/helpers/demo-server.js';

const METRICS = [
  { key: 'purchased', name: 'Purchased within 3 days', kind: 'conversion', event: 'purchase', window_hours: 72 },
  {
    key: 'revenue',
    name: 'Revenue per user',
    kind: 'sum',
    event: 'purchase',
    capping: { type: 'percentile', value: 0.99 },
  },
  { key: 'sessions', name: 'Sessions per user', kind: 'count', event: 'app_open' },
  {
    key: 'paywall_load_ms',
    name: 'Paywall load time (ms)',
    kind: 'sum',
    event: 'paywall_view',
    property: 'load_ms',
    direction: 'lower',
  },
];

const ROLES = [
  { key: 'purchased', role: 'goal' },
  { key: 'revenue', role: 'goal' },
  { key: 'sessions', role: 'guardrail' },
  { key: 'paywall_load_ms', role: 'guardrail' },
];

/** One admin API call as the demo's administrator; throws on any refusal so a screenshot never shows a half setup. */
export async function admin(server: DemoServer, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN, 'x-admin-actor': 'Ana' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

/** Creates the catalog, names it on `paywall_copy`, logs exposures and paywall views, and rolls the metrics up. */
export async function showcaseCatalog(server: DemoServer): Promise<void> {
  for (const metric of METRICS) await admin(server, 'POST', '/v1/admin/metrics', metric);
  await admin(server, 'PATCH', '/v1/admin/experiments/paywall_copy', { metrics: ROLES });
  const random = seededRandom(7);
  const events = [];
  for (const a of server.data.assignments.filter((x) => x.experiment_key === 'paywall_copy')) {
    // Most assigned players open the paywall (and so are exposed); the rest never see the change.
    if (random() < 0.12) continue;
    const at = new Date(a.at.getTime() + 30_000);
    events.push({
      user_id: a.user_id,
      name: '$exposure',
      at,
      properties: { experiment_key: a.experiment_key, variant: a.variant },
    });
    // The urgency copy ships a heavier paywall: a little slower to load.
    const load = 700 + random() * 400 + (a.variant === 'urgency' ? 60 : 0);
    events.push({ user_id: a.user_id, name: 'paywall_view', at, properties: { load_ms: Math.round(load) } });
  }
  for (let i = 0; i < events.length; i += 2000) {
    await server.storage.events.insertBatch(
      events.slice(i, i + 2000).map((e) => ({
        event_id: randomUUID(),
        user_id: e.user_id,
        name: e.name,
        client_timestamp: e.at.toISOString(),
        occurred_at: e.at.toISOString(),
        properties: e.properties,
      })),
    );
  }
  await runRollup(server.storage, 'metrics', { windowDays: 30, now: server.now });
}
