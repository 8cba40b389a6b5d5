import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runRollup } from '../src/rollups/run-rollup.js';
import { testSql } from '../src/testing.js';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('exposures recorded by POST /v1/assignment');
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'beta', weight: 0.5 },
];

it.before(async (ctx) => {
  ctx.server = await startTestServer();
  const { server } = ctx;
  assert.is(
    (await server.post('/v1/admin/metrics', { key: 'opens', kind: 'count', event: 'open' }, admin)).status,
    201,
  );
  await createExperiment(server, { key: 'banner', variants, metrics: [{ key: 'opens', role: 'goal' }] });
  await createExperiment(server, { key: 'paused', variants, status: 'stopped' });
});
it.after(async (ctx) => ctx.server.close());

const exposures = (server: TestServer, user: string) =>
  testSql<{ experiment_key: string; variant: string }>(
    server.db.storage,
    `select properties ->> 'experiment_key' as experiment_key, properties ->> 'variant' as variant
       from event_logs where user_id = ? and name = '$exposure' order by 1`,
    [user],
  );

it('"exposed": true stores one $exposure per experiment answered with a variant, once a day', async ({ server }) => {
  const body = { user_id: 'u1', experiment_keys: ['banner', 'paused'], exposed: true };
  const first = await server.post('/v1/assignment', body);
  assert.is(first.status, 200, JSON.stringify(first.body));
  const variant = first.body.assignments.find((a: { experiment_key: string }) => a.experiment_key === 'banner').variant;
  await server.post('/v1/assignment', body);
  // The stopped experiment answers no variant: no exposure for it.
  assert.equal(await exposures(server, 'u1'), [{ experiment_key: 'banner', variant }]);

  await server.post('/v1/assignment', { user_id: 'u2', experiment_keys: ['banner'] });
  assert.equal(await exposures(server, 'u2'), [], 'without the flag, nothing is recorded');

  await runRollup(server.db.storage, 'metrics', { windowDays: 7 });
  const counted = await testSql<{ variant: string; n: number }>(
    server.db.storage,
    `select variant, exposed_users::int as n from experiment_catalog_rollups
      where experiment_key = 'banner' and metric_key = '$exposure' and window_days = 7`,
  );
  assert.equal(counted, [{ variant, n: 1 }], 'u1 is exposed, u2 only assigned');
});

it('a non-boolean "exposed" is a 400 naming it', async ({ server }) => {
  const res = await server.post('/v1/assignment', { user_id: 'u3', exposed: 'yes' });
  assert.is(res.status, 400);
  assert.ok(JSON.stringify(res.body.error.details).includes('/exposed'), JSON.stringify(res.body));
});

it.run();
