import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runRollup } from '@ab-calicritters/server';
import { createTestStorage, testSql, type TestDatabase } from '@ab-calicritters/server/testing';
import { seed } from '../src/commands/seed.js';
import { seedDemoEvents } from '../src/demo-events.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const it = suite<{ db: TestDatabase }>('demo data: the metric catalog');
it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  await seed(ctx.db.storage);
  await seedDemoEvents(ctx.db.storage, { now: NOW });
  for (const job of ['experiments', 'metrics'] as const) {
    await runRollup(ctx.db.storage, job, { windowDays: 14, now: NOW });
  }
});
it.after(async (ctx) => ctx.db.close());

it('the paywall experiment has exposed users (fewer than assigned), refunds and every catalog metric', async ({
  db,
}) => {
  const counts = await testSql<{ assigned: number; exposed: number }>(
    db.storage,
    `select (select sum(exposed_users)::int from experiment_metric_rollups
              where experiment_key = 'paywall_copy' and window_days = 14 and metric = '$exposed') as assigned,
            (select sum(exposed_users)::int from experiment_catalog_rollups
              where experiment_key = 'paywall_copy' and window_days = 14 and metric_key = '$exposure') as exposed`,
  );
  const { assigned, exposed } = counts[0]!;
  assert.ok(exposed > 50 && exposed < assigned, `${exposed} exposed of ${assigned} assigned`);
  const metrics = await testSql<{ metric_key: string }>(
    db.storage,
    `select distinct metric_key from experiment_catalog_rollups where experiment_key = 'paywall_copy' order by 1`,
  );
  assert.equal(
    metrics.map((m) => m.metric_key),
    ['$exposure', 'net_revenue', 'paywall_load_ms', 'purchased', 'revenue_per_session', 'sessions'],
  );
  const [refunds] = await testSql<{ n: number }>(
    db.storage,
    `select count(*)::int as n from event_logs where name = 'revenue' and (properties ->> 'value')::float8 < 0`,
  );
  assert.ok(refunds!.n > 0, 'some purchases are refunded');
});

it('the paywall experiment exposes users on most days of the window: its cumulative series has many points', async ({
  db,
}) => {
  const [days] = await testSql<{ n: number }>(
    db.storage,
    `select count(distinct day)::int as n from experiment_catalog_daily_rollups
      where experiment_key = 'paywall_copy' and window_days = 14 and metric_key = '$exposure'`,
  );
  assert.ok(days!.n >= 10, `${days!.n} first-exposure days of 14`);
});

it.run();
