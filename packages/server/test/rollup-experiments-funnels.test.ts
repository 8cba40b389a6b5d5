import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runRollup } from '../src/rollups/run-rollup.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { createTestStorage, type TestDatabase, storageOrm } from '../src/testing.js';
import { insertAssignment, insertEvents, type TestEvent } from './helpers/seed-rows.js';

const NOW = new Date('2026-03-10T12:00:00Z'); // 7-day window [03-04, 03-11); 1-day window [03-10, 03-11)
const it = suite<{ db: TestDatabase }>('experiment and funnel rollups');

const at = (dayHourMinute: string) => `2026-03-${dayHourMinute}:00Z`; // '05T10:00' → 2026-03-05T10:00:00Z
const ev = (user_id: string, name: string, when: string, value?: number): TestEvent => ({
  user_id,
  name,
  at: at(when),
  value,
});

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  const { storage } = ctx.db;
  await storage.funnels.create({
    name: 'core_journey',
    steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
    conversion_window_hours: 24,
  });
  await storage.experiments.create({
    key: 'paywall',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'treat', weight: 0.5 },
    ],
  });
  for (const [user, variant, when] of [
    ['c1', 'control', '05T00:00'],
    ['c2', 'control', '05T00:00'],
    ['c3', 'control', '02T00:00'],
    ['t1', 'treat', '06T00:00'],
    ['t2', 'treat', '10T01:00'],
    ['t3', 'treat', '06T00:00'],
  ] as const) {
    await insertAssignment(storage, 'paywall', user, variant, at(when));
  }
  await insertEvents(storage, [
    // experiment users
    ev('c1', 'purchase', '04T12:00', 99), // before c1's assignment: not counted
    ev('c1', 'purchase', '06T12:00', 5),
    ev('c1', 'purchase', '07T12:00', 3),
    ev('t1', 'purchase', '06T12:00'),
    ev('t1', 'app_open', '06T13:00'),
    ev('t1', 'app_open', '06T14:00'),
    ev('t2', 'purchase', '10T02:00', 10),
    ev('t3', 'purchase', '11T01:00', 7), // after the window end: not counted
    ev('c3', 'purchase', '05T12:00', 4), // c3 was assigned before the window: not counted in it
    // funnel users
    ev('f-complete', 'app_open', '05T10:00'),
    ev('f-complete', 'tutorial_complete', '05T10:05'),
    ev('f-complete', 'first_catch', '05T11:00'),
    ev('f-complete', 'purchase', '05T12:00'),
    ev('f-order', 'app_open', '05T10:00'),
    ev('f-order', 'first_catch', '05T10:10'),
    ev('f-order', 'tutorial_complete', '05T10:20'),
    ev('f-order', 'purchase', '05T10:30'),
    ev('f-expired', 'app_open', '06T09:00'),
    ev('f-expired', 'tutorial_complete', '06T10:00'),
    ev('f-expired', 'first_catch', '07T10:00'),
    ev('f-edge', 'app_open', '06T08:00'),
    ev('f-edge', 'tutorial_complete', '06T09:00'),
    ev('f-edge', 'first_catch', '06T10:00'),
    ev('f-edge', 'purchase', '07T08:00'),
    ev('f-twice', 'app_open', '07T08:00'),
    ev('f-twice', 'app_open', '08T08:00'),
    ev('f-twice', 'tutorial_complete', '08T09:00'),
    ev('f-early', 'app_open', '01T08:00'),
    ev('f-early', 'tutorial_complete', '05T09:00'),
    ev('f-nostart', 'tutorial_complete', '05T09:00'),
    ev('f-repeat', 'app_open', '09T10:00'),
    ev('f-repeat', 'tutorial_complete', '09T10:01'),
    ev('f-repeat', 'tutorial_complete', '09T10:02'),
    ev('f-repeat', 'first_catch', '09T10:03'),
  ]);
});
it.after(async (ctx) => ctx.db.close());

type Row = {
  variant: string;
  metric: string;
  exposed_users: string;
  converted_users: string;
  value_sum: number;
  value_sum_squares: number;
};
async function experimentRows(db: TestDatabase, windowDays: number) {
  const rows = await rawQuery<Row>(
    storageOrm(db.storage).em.fork(),
    `select variant, metric, exposed_users, converted_users, value_sum, value_sum_squares
       from experiment_metric_rollups where experiment_key = 'paywall' and window_days = ? order by metric, variant`,
    [windowDays],
  );
  return Object.fromEntries(
    rows.map((r) => [
      `${r.metric}/${r.variant}`,
      [Number(r.exposed_users), Number(r.converted_users), Number(r.value_sum), Number(r.value_sum_squares)],
    ]),
  );
}

it('experiments: users counted from their assignment in the window, values after it and before the window end', async ({
  db,
}) => {
  await runRollup(db.storage, 'experiments', { windowDays: 7, now: NOW });
  const week = await experimentRows(db, 7);
  // [assigned (column exposed_users), converted, sum, sum of squares]; c1: 5 + 3 = 8; t1: 1 (no value → counted as 1); t2: 10
  assert.equal(week['purchase/control'], [2, 1, 8, 64]);
  assert.equal(week['purchase/treat'], [3, 2, 11, 101]);
  assert.equal(week['app_open/treat'], [3, 1, 2, 4]);
  assert.equal(week['app_open/control'], [2, 0, 0, 0]);
  assert.equal(week['$exposed/control'], [2, 0, 0, 0]);
  assert.equal(week['$exposed/treat'], [3, 0, 0, 0]);
  const day = await experimentRows(db, 1);
  assert.equal(day['purchase/treat'], [1, 1, 10, 100]);
  assert.is(day['purchase/control'], undefined, 'nobody in control was assigned on the last day');
});

it('funnels: in order, within the window from entry, out-of-order and expired steps not counted', async ({ db }) => {
  await runRollup(db.storage, 'funnels', { windowDays: 7, now: NOW });
  const rows = await rawQuery<{ day: string; step_index: number; users: string }>(
    storageOrm(db.storage).em.fork(),
    `select to_char(day, 'YYYY-MM-DD') as day, step_index, users from funnel_rollups where funnel_name = 'core_journey' order by 1, 2`,
  );
  const got = Object.fromEntries(rows.map((r) => [`${r.day}#${r.step_index}`, Number(r.users)]));
  assert.equal(got, {
    // f-complete all four; f-order stops after tutorial_complete (its first_catch came before it)
    '2026-03-05#0': 2,
    '2026-03-05#1': 2,
    '2026-03-05#2': 1,
    '2026-03-05#3': 1,
    // f-expired's first_catch is 25 h after entry; f-edge's purchase exactly 24 h after entry counts;
    // t1 (an experiment user) opened the app that day and went no further
    '2026-03-06#0': 3,
    '2026-03-06#1': 2,
    '2026-03-06#2': 1,
    '2026-03-06#3': 1,
    // f-twice entered on its first app_open; its tutorial 25 h later is too late
    '2026-03-07#0': 1,
    // f-repeat: a repeated step is fine
    '2026-03-09#0': 1,
    '2026-03-09#1': 1,
    '2026-03-09#2': 1,
  });
});

it('experiments and funnels reruns rewrite identical rows', async ({ db }) => {
  const snap = () =>
    rawQuery(
      storageOrm(db.storage).em.fork(),
      `select experiment_key, window_days, variant, metric, exposed_users, converted_users, value_sum, value_sum_squares
       from experiment_metric_rollups order by 1, 2, 3, 4`,
    );
  const funnelSnap = () =>
    rawQuery(
      storageOrm(db.storage).em.fork(),
      `select funnel_name, day, step_index, users from funnel_rollups order by 1, 2, 3`,
    );
  const [e1, f1] = [await snap(), await funnelSnap()];
  await Promise.all([
    runRollup(db.storage, 'experiments', { windowDays: 7, now: NOW }),
    runRollup(db.storage, 'funnels', { windowDays: 7, now: NOW }),
  ]);
  assert.equal(await snap(), e1);
  assert.equal(await funnelSnap(), f1);
});

it.run();
