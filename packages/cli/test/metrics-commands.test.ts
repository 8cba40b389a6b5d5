import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createMetricAdmin } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import {
  archiveMetric,
  createMetric,
  formatMetrics,
  listMetrics,
  showMetric,
  updateMetric,
} from '../src/commands/metrics.js';
import type { RunningServer } from '../src/commands/serve.js';
import { ADMIN_TOKEN, cliFailure, runCli, startCliServer } from './helpers/cli-server.js';

const direct = suite<{ db: TestDatabase }>('metrics, in the database');
direct.before(async (ctx) => {
  ctx.db = await createTestStorage();
});
direct.after(async (ctx) => ctx.db.close());

direct('create, show, update (only the flags given), list, archive; bad flags exit 2', async ({ db }) => {
  const target = { metrics: createMetricAdmin(db.storage) };
  const revenue = await createMetric(target, 'revenue', {
    kind: 'sum',
    event: 'purchase',
    cap: 'percentile:0.99',
    filter: 'plan=pro',
  });
  assert.equal(
    [revenue.property, revenue.capping, revenue.filter],
    ['value', { type: 'percentile', value: 0.99 }, { property: 'plan', equals: 'pro' }],
  );
  const latency = await createMetric(target, 'latency', {
    kind: 'sum',
    event: 'page_load',
    property: 'ms',
    direction: 'lower',
    'window-hours': '24',
  });
  assert.equal([latency.direction, latency.window_hours], ['lower', 24]);
  await createMetric(target, 'sessions', { kind: 'count', event: 'session_start' });
  const ratio = await createMetric(target, 'revenue_per_session', {
    kind: 'ratio',
    numerator: 'revenue',
    denominator: 'sessions',
  });
  assert.is(ratio.kind, 'ratio');

  const updated = await updateMetric(target, 'revenue', { name: 'Revenue', cap: 'none', filter: 'tier=2' });
  assert.equal(
    [updated.name, updated.capping, updated.filter, updated.event, updated.property],
    ['Revenue', null, { property: 'tier', equals: 2 }, 'purchase', 'value'],
  );
  const toCount = await updateMetric(target, 'latency', { kind: 'count' });
  assert.equal([toCount.kind, toCount.event, toCount.property, toCount.window_hours], ['count', 'page_load', null, 24]);
  assert.is((await updateMetric(target, 'latency', { 'window-hours': 'none' })).window_hours, null);

  assert.is((await cliFailure(() => createMetric(target, 'x', { event: 'e' }))).exitCode, 2);
  assert.is((await cliFailure(() => createMetric(target, 'x', { kind: 'sum', event: 'e', cap: 'top:3' }))).exitCode, 2);
  assert.is((await cliFailure(() => createMetric(target, 'x', { kind: 'count' }))).exitCode, 2);
  assert.is((await cliFailure(() => updateMetric(target, 'revenue', {}))).exitCode, 2);
  assert.is((await cliFailure(() => showMetric(target, 'nope'))).exitCode, 1);

  assert.match(
    formatMetrics(await listMetrics(target)),
    /revenue_per_session\s+ratio\s+higher\s+active\s+revenue \/ sessions/,
  );
  assert.is((await archiveMetric(target, 'latency')).status, 'archived');
  assert.equal(
    (await listMetrics(target)).map((m) => m.key),
    ['revenue', 'revenue_per_session', 'sessions'],
  );
  assert.is((await listMetrics(target, true)).length, 4);
});

direct.run();

const remote = suite<{ root: string; server: RunningServer }>('metrics, through a server');
remote.before(async (ctx) => {
  ({ root: ctx.root, server: ctx.server } = await startCliServer('metrics-remote'));
});
remote.after(async ({ root, server }) => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

remote('create --json, update, show, list --json, archive', async ({ server }) => {
  const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
  const created = await runCli(
    ['metrics', 'create', 'checkout', '--kind', 'conversion', '--event', 'checkout', '--json'],
    env,
  );
  assert.is(created.code, 0, created.stderr);
  assert.is((JSON.parse(created.stdout) as { kind: string }).kind, 'conversion');
  const updated = await runCli(['metrics', 'update', 'checkout', '--window-hours', '48'], env);
  assert.is(updated.code, 0, updated.stderr);
  assert.match(updated.stdout, /conversion of checkout within 48 h/);
  const shown = await runCli(['metrics', 'show', 'checkout'], env);
  assert.match(shown.stdout, /checkout \(active\)/);
  const bad = await runCli(['metrics', 'create', 'bad', '--kind', 'count'], env);
  assert.is(bad.code, 2, 'a refused definition exits 2');
  assert.match(bad.stderr, /\/event/);
  const listed = await runCli(['metrics', 'list', '--json'], env);
  assert.equal(
    (JSON.parse(listed.stdout) as Array<{ key: string }>).map((m) => m.key),
    ['checkout'],
  );
  const archived = await runCli(['metrics', 'archive', 'checkout'], env);
  assert.is(archived.code, 0, archived.stderr);
  assert.match(archived.stdout, /Archived checkout\./);
});

remote.run();
