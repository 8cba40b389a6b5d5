import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runRollup } from '../src/rollups/run-rollup.js';
import { createMetricAdmin } from '../src/services/metric-admin.js';
import { ROLLUP_NUMBERS } from '../src/storage/metric-store.js';
import type { EventRow } from '../src/storage/event-store.js';
import { createTestStorage, testSql, type TestDatabase } from '../src/testing.js';
import { eventRow, insertAssignment } from './helpers/seed-rows.js';

const NOW = new Date('2026-03-10T12:00:00Z'); // 14-day window [02-25, 03-11); 7-day [03-04, 03-11); 1-day [03-10, 03-11)
const it = suite<{ db: TestDatabase }>('metrics rollup per first-exposure day');

const COLUMNS = ROLLUP_NUMBERS;
type Sums = Record<(typeof COLUMNS)[number], number>;
type Row = Sums & { experiment_key: string; window_days: number; variant: string; metric_key: string; day?: string };

/** Users exposed from 03-02 to 03-10, a few a day in both arms, with whole-number values (every sum is exact). */
it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  const { storage } = ctx.db;
  const catalog = createMetricAdmin(storage);
  await catalog.create({ key: 'revenue', kind: 'sum', event: 'purchase' });
  await catalog.create({
    key: 'revenue_median_cap',
    kind: 'sum',
    event: 'purchase',
    capping: { type: 'percentile', value: 0.5 },
    cuped_lookback_days: 0,
  });
  await catalog.create({ key: 'sessions', kind: 'count', event: 'session', cuped_lookback_days: 0 });
  await catalog.create({ key: 'revenue_per_session', kind: 'ratio', numerator: 'revenue', denominator: 'sessions' });
  await catalog.create({ key: 'purchased', kind: 'conversion', event: 'purchase', window_hours: 24 });
  const variants = [
    { key: 'control', weight: 0.5 },
    { key: 'treat', weight: 0.5 },
  ];
  await storage.experiments.create({
    key: 'checkout',
    status: 'running',
    variants,
    metrics: ['revenue', 'revenue_median_cap', 'revenue_per_session', 'purchased'].map((key) => ({
      key,
      role: 'goal' as const,
    })),
  });
  await storage.experiments.create({
    key: 'shipped',
    status: 'running',
    variants,
    metrics: [{ key: 'purchased', role: 'goal' }],
  });
  const events: EventRow[] = [];
  for (let i = 0; i < 36; i++) {
    const variant = i % 2 === 0 ? 'control' : 'treat';
    const day = 2 + (i % 9); // exposed on 03-02 … 03-10
    const at = (d: number, hour: number) =>
      `2026-03-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    for (const key of ['checkout', 'shipped']) {
      await insertAssignment(storage, key, `u${i}`, variant, at(1, 0));
      events.push(eventRow(`u${i}`, '$exposure', at(day, 1 + (i % 20)), { experiment_key: key, variant }));
    }
    // A purchase before exposure (CUPED), one on the exposure day, one two days later (out of the 24 h window).
    events.push(eventRow(`u${i}`, 'purchase', at(1, 12), { value: i % 5 }));
    events.push(eventRow(`u${i}`, 'purchase', at(day, 22), { value: (i % 7) * (variant === 'treat' ? 3 : 2) - 4 }));
    if (day + 2 <= 10) events.push(eventRow(`u${i}`, 'purchase', at(day + 2, 3), { value: 10 + i }));
    for (let s = 0; s <= i % 3; s++) events.push(eventRow(`u${i}`, 'session', at(day, 21)));
  }
  await storage.events.insertBatch(events);
  await runRollup(storage, 'metrics', { windowDays: 14, now: NOW });
});
it.after(async (ctx) => ctx.db.close());

const select = (table: string, extra = '') =>
  `select experiment_key, window_days, variant, metric_key, ${COLUMNS.join(', ')} ${extra}
     from ${table} order by experiment_key, window_days, metric_key, variant ${extra ? ', day' : ''}`;

async function windowRows(db: TestDatabase): Promise<Row[]> {
  const rows = await testSql<Record<string, unknown>>(db.storage, select('experiment_catalog_rollups'));
  return rows.map(numbers);
}

async function dailyRows(db: TestDatabase): Promise<Row[]> {
  const rows = await testSql<Record<string, unknown>>(
    db.storage,
    select('experiment_catalog_daily_rollups', `, to_char(day, 'YYYY-MM-DD') as day`),
  );
  return rows.map(numbers);
}

function numbers(r: Record<string, unknown>): Row {
  const sums = Object.fromEntries(COLUMNS.map((c) => [c, Number(r[c])])) as Sums;
  return {
    ...sums,
    experiment_key: String(r.experiment_key),
    window_days: Number(r.window_days),
    variant: String(r.variant),
    metric_key: String(r.metric_key),
    ...(r.day !== undefined && { day: String(r.day) }),
  };
}

const keyOf = (r: Row) => `${r.experiment_key}/${r.window_days}/${r.metric_key}/${r.variant}`;

/** The daily rows summed per window row key, every column. */
function summed(daily: readonly Row[]): Map<string, Sums> {
  const totals = new Map<string, Sums>();
  for (const r of daily) {
    const t = totals.get(keyOf(r)) ?? (Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Sums);
    for (const c of COLUMNS) t[c] += r[c];
    totals.set(keyOf(r), t);
  }
  return totals;
}

const sumsOf = (r: Row): Sums => Object.fromEntries(COLUMNS.map((c) => [c, r[c]])) as Sums;

it('the days of a window add up to its row in every column, caps and ratios included', async ({ db }) => {
  const windows = await windowRows(db);
  const daily = await dailyRows(db);
  assert.equal(
    [...new Set(windows.map((r) => r.window_days))],
    [1, 7, 14],
    'the run computes the standard windows up to 14 days',
  );
  const totals = summed(daily);
  assert.equal([...totals.keys()].sort(), windows.map(keyOf).sort());
  for (const w of windows) assert.equal(totals.get(keyOf(w)), sumsOf(w), keyOf(w));
  // Every kind of column is exercised: CUPED pre sums, a ratio's denominator and cross products, the median cap.
  const nonZero = (column: (typeof COLUMNS)[number]) => windows.some((w) => w[column] !== 0);
  for (const column of COLUMNS) assert.ok(nonZero(column), `some window row has ${column}`);
  const capped = windows.find((w) => w.metric_key === 'revenue_median_cap' && w.window_days === 14)!;
  const plain = windows.find(
    (w) => w.metric_key === 'revenue' && w.window_days === 14 && w.variant === capped.variant,
  )!;
  assert.ok(capped.value_sum < plain.value_sum, 'the median cap lowers the sums');
});

it('a user is counted from the day of their first exposure on, in the days of each window they are in', async ({
  db,
}) => {
  const daily = await dailyRows(db);
  const exposed = (window: number, variant: string) =>
    daily
      .filter((r) => r.window_days === window && r.experiment_key === 'checkout' && r.metric_key === '$exposure')
      .filter((r) => r.variant === variant)
      .map((r) => [r.day, r.exposed_users]);
  // Users i ≡ 0 (mod 2) are control; their day is 03-(2 + i mod 9): four a day, alternating arms.
  assert.equal(exposed(14, 'control'), [
    ['2026-03-02', 2],
    ['2026-03-03', 2],
    ['2026-03-04', 2],
    ['2026-03-05', 2],
    ['2026-03-06', 2],
    ['2026-03-07', 2],
    ['2026-03-08', 2],
    ['2026-03-09', 2],
    ['2026-03-10', 2],
  ]);
  // The 7-day window starts on 03-04: users first exposed before it are in no day of it.
  assert.equal(exposed(7, 'treat')[0], ['2026-03-04', 2]);
  assert.is(exposed(7, 'treat').length, 7);
  assert.equal(exposed(1, 'treat'), [['2026-03-10', 2]]);
  // u1 (treat) is first exposed on 03-03: the 03-03 row holds its values, the 03-02 row does not.
  const purchased = daily.filter(
    (r) =>
      r.experiment_key === 'checkout' && r.window_days === 14 && r.metric_key === 'revenue' && r.variant === 'treat',
  );
  // treat users exposed on 03-03: u1 and u19 (i ≡ 1 mod 9, odd). Exposure-day purchase (i mod 7)·3 − 4, and one two
  // days later of 10 + i.
  const onDay3 = purchased.find((r) => r.day === '2026-03-03')!;
  assert.equal([onDay3.exposed_users, onDay3.value_sum], [2, 1 * 3 - 4 + 11 + ((19 % 7) * 3 - 4) + 29]);
});

it('a rerun writes the same daily rows, and a metric an experiment stops naming loses its days with its window', async ({
  db,
}) => {
  const before = await dailyRows(db);
  await runRollup(db.storage, 'metrics', { windowDays: 14, now: NOW });
  assert.equal(await dailyRows(db), before);
  await testSql(
    db.storage,
    `update experiments set metrics = '[{"key": "revenue", "role": "goal"}]' where key = 'checkout'`,
  );
  await testSql(
    db.storage,
    `update experiments set status = 'released', released_variant = 'treat', released_at = now() where key = 'shipped'`,
  );
  await runRollup(db.storage, 'metrics', { windowDays: 14, now: NOW });
  const after = await dailyRows(db);
  assert.equal([...new Set(after.map((r) => `${r.experiment_key}/${r.metric_key}`))].sort(), [
    'checkout/$exposure',
    'checkout/revenue',
    'shipped/$exposure',
    'shipped/purchased',
  ]);
  // The released experiment keeps the days of its last run, as it keeps its window rows.
  const shipped = (rows: Row[]) => rows.filter((r) => r.experiment_key === 'shipped');
  assert.equal(shipped(after), shipped(before));
  const totals = summed(after);
  for (const w of await windowRows(db)) assert.equal(totals.get(keyOf(w)), sumsOf(w), keyOf(w));
});

it.run();
