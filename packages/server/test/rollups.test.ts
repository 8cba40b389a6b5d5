import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestStorage, type TestDatabase, storageOrm } from '../src/testing.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { runRollup, RollupBusyError } from '../src/rollups/run-rollup.js';
import { insertEvents, type TestEvent } from './helpers/seed-rows.js';

const NOW = new Date('2026-03-10T12:00:00Z'); // 7-day window: [2026-03-04, 2026-03-11)
const it = suite<{ db: TestDatabase; events: TestEvent[] }>('rollup jobs');

/** A deterministic pseudo-random generator so the data is rich but reproducible. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function generateEvents(): TestEvent[] {
  const rand = lcg(7);
  const names = ['app_open', 'tutorial_complete', 'first_catch', 'purchase', 'share'];
  const events: TestEvent[] = [];
  for (let i = 0; i < 1500; i++) {
    const dayOfMonth = 1 + Math.floor(rand() * 10); // 03-01 .. 03-10: some outside the window
    const at = new Date(Date.UTC(2026, 2, dayOfMonth, Math.floor(rand() * 24), Math.floor(rand() * 60)));
    events.push({
      user_id: `gen-${Math.floor(rand() * 120)}`,
      name: names[Math.floor(rand() * names.length)] as string,
      at: at.toISOString(),
    });
  }
  return events;
}

const sql = <T>(db: TestDatabase, query: string, params: Array<string | number> = []) =>
  rawQuery<T>(storageOrm(db.storage).em.fork(), query, params);

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  ctx.events = generateEvents();
  await insertEvents(ctx.db.storage, ctx.events);
});
it.after(async (ctx) => ctx.db.close());

it('daily: per day × name and per day overall, events and distinct users match a count done in the test', async ({
  db,
  events,
}) => {
  const result = await runRollup(db.storage, 'daily', { windowDays: 7, now: NOW });
  const expected = new Map<string, { events: number; users: Set<string> }>();
  for (const e of events) {
    const day = e.at.slice(0, 10);
    if (day < '2026-03-04' || day > '2026-03-10') continue;
    for (const key of [`${day}|${e.name}`, `${day}|$all`]) {
      const entry = expected.get(key) ?? { events: 0, users: new Set<string>() };
      entry.events++;
      entry.users.add(e.user_id);
      expected.set(key, entry);
    }
  }
  const rows = await sql<{ day: string; event_name: string; events: string; unique_users: string }>(
    db,
    `select to_char(day, 'YYYY-MM-DD') as day, event_name, events, unique_users from daily_metric_rollups`,
  );
  assert.is(rows.length, expected.size);
  assert.is(result.rows_written, expected.size);
  for (const row of rows) {
    const want = expected.get(`${row.day}|${row.event_name}`);
    assert.ok(want, `unexpected row ${row.day} ${row.event_name}`);
    assert.is(Number(row.events), want.events, `${row.day} ${row.event_name} events`);
    assert.is(Number(row.unique_users), want.users.size, `${row.day} ${row.event_name} users`);
  }
  const [run] = await sql<{ status: string; rows_written: number }>(
    db,
    `select status, rows_written from rollup_runs where id = ?`,
    [result.run_id],
  );
  assert.equal(run, { status: 'succeeded', rows_written: expected.size });
});

it('rerunning a window rewrites identical rows (idempotent)', async ({ db }) => {
  const snapshot = () =>
    sql(db, `select day, event_name, events, unique_users from daily_metric_rollups order by 1, 2`);
  const before = await snapshot();
  await runRollup(db.storage, 'daily', { windowDays: 7, now: NOW });
  assert.equal(await snapshot(), before);
});

it('two concurrent runs of one job: no duplicate or missing rows, and their recorded runs do not overlap', async ({
  db,
}) => {
  await Promise.all([
    runRollup(db.storage, 'daily', { windowDays: 7, now: NOW }),
    runRollup(db.storage, 'daily', { windowDays: 7, now: NOW }),
  ]);
  const [count] = await sql<{ n: string }>(db, `select count(*) as n from daily_metric_rollups`);
  const [distinct] = await sql<{ n: string }>(
    db,
    `select count(distinct (day, event_name)) as n from daily_metric_rollups`,
  );
  assert.is(Number(count?.n), Number(distinct?.n));
  const overlaps = await sql(
    db,
    `select 1 from rollup_runs a join rollup_runs b on a.job = b.job and a.id < b.id
    and a.started_at < b.ended_at and b.started_at < a.ended_at where a.status = 'succeeded' and b.status = 'succeeded'`,
  );
  assert.is(overlaps.length, 0);
});

it('with wait: false a run refuses to start while another holds the lock', async ({ db }) => {
  const em = storageOrm(db.storage).em.fork();
  if (db.storage.kind === 'pglite') return; // one connection: a second session cannot exist to hold the lock
  await em.transactional(async (trx) => {
    await rawQuery(trx, 'select pg_advisory_xact_lock(720001)');
    try {
      await runRollup(db.storage, 'daily', { windowDays: 7, now: NOW, wait: false });
      assert.unreachable('should be busy');
    } catch (error) {
      assert.instance(error, RollupBusyError);
    }
  });
});

it.run();
