import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createTestStorage, testDatabaseKind, testSql, type TestDatabase } from '../src/testing.js';
import { runRollup } from '../src/rollups/run-rollup.js';
import { rawQuery } from '../src/storage/raw-query.js';
import { storageOrm } from '../src/testing.js';
import type { EventRow } from '../src/storage/event-store.js';
import { closeAbRouter, createAbRouter } from '../src/index.js';
import { startTestServer } from './helpers/test-server.js';

const onPostgres = testDatabaseKind() === 'postgresql';
const DAY_MS = 86_400_000;
// Noon UTC today: far enough from midnight that the server's and the test's "today" agree.
const NOW = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS / 2);
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

const event = (dayOffset: number, extra: Partial<EventRow> = {}): EventRow => {
  const at = new Date(NOW.getTime() + dayOffset * DAY_MS).toISOString();
  return {
    event_id: randomUUID(),
    user_id: 'partition-user',
    name: 'first_catch',
    client_timestamp: at,
    occurred_at: at,
    properties: {},
    ...extra,
  };
};

/** Rows per table (partition) and day; on the plain table every row is in `event_logs`. */
async function placement(db: TestDatabase): Promise<Array<{ part: string; day: string; n: number }>> {
  return testSql(
    db.storage,
    `select tableoid::regclass::text as part, to_char(event_day, 'YYYY-MM-DD') as day, count(*)::int as n
       from event_logs group by 1, 2 order by 2, 1`,
  );
}

const total = async (db: TestDatabase) =>
  Number((await testSql<{ n: number }>(db.storage, 'select count(*)::int as n from event_logs'))[0]?.n);

const it = suite('event log partitions');

it('the migrated event log is partitioned by day on PostgreSQL and a plain table on PGlite', async () => {
  const db = await createTestStorage();
  try {
    const [table] = await testSql<{ kind: string }>(
      db.storage,
      `select relkind::text as kind from pg_class where oid = 'event_logs'::regclass`,
    );
    assert.is(table?.kind, onPostgres ? 'p' : 'r');
    const indexes = await testSql<{ name: string }>(
      db.storage,
      `select indexname as name from pg_indexes where tablename = 'event_logs' order by 1`,
    );
    const names = indexes.map((i) => i.name);
    for (const name of ['event_logs_pkey', 'event_logs_day_name_idx', 'event_logs_user_time_idx'])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  } finally {
    await db.close();
  }
});

it('events for days without a partition land in the DEFAULT partition and are not lost', async () => {
  const db = await createTestStorage();
  try {
    await db.storage.eventPartitions.maintain({ now: NOW });
    const far = [event(-300), event(-40), event(45), event(400)];
    assert.is(await db.storage.events.insertBatch(far), 4);
    const rows = await placement(db);
    assert.is(
      rows.reduce((n, r) => n + r.n, 0),
      4,
    );
    for (const r of rows) assert.is(r.part, onPostgres ? 'event_logs_default' : 'event_logs');
  } finally {
    await db.close();
  }
});

it("making partitions moves the DEFAULT partition's rows into their days; nothing is lost or doubled", async () => {
  const db = await createTestStorage();
  try {
    // Nothing made ahead yet: every event goes to the DEFAULT partition.
    const rows = [event(0), event(0), event(2), event(-3), event(-3), event(-3), event(30)];
    await db.storage.events.insertBatch(rows);
    const result = await db.storage.eventPartitions.maintain({ now: NOW, daysAhead: 3 });
    if (!onPostgres) {
      assert.equal(result, { table: 'plain', ran: true, created: [], moved_rows: 0, dropped: [], deleted_rows: 0 });
      return;
    }
    assert.equal(result.created, [day(-3), day(0), day(1), day(2), day(3), day(30)]);
    assert.is(result.moved_rows, 7);
    assert.equal(await placement(db), [
      { part: `event_logs_p${day(-3).replaceAll('-', '')}`, day: day(-3), n: 3 },
      { part: `event_logs_p${day(0).replaceAll('-', '')}`, day: day(0), n: 2 },
      { part: `event_logs_p${day(2).replaceAll('-', '')}`, day: day(2), n: 1 },
      { part: `event_logs_p${day(30).replaceAll('-', '')}`, day: day(30), n: 1 },
    ]);
    // A second run has nothing to do, and new events go straight to their day's partition.
    const again = await db.storage.eventPartitions.maintain({ now: NOW, daysAhead: 3 });
    assert.equal([again.created, again.moved_rows], [[], 0]);
    await db.storage.events.insertBatch([event(1)]);
    const [placed] = await testSql<{ part: string }>(
      db.storage,
      `select tableoid::regclass::text as part from event_logs where event_day = ?::date`,
      [day(1)],
    );
    assert.is(placed?.part, `event_logs_p${day(1).replaceAll('-', '')}`);
  } finally {
    await db.close();
  }
});

it('a retried event is a duplicate before and after its row moved out of the DEFAULT partition', async () => {
  const server = await startTestServer();
  try {
    const batch = {
      events: [{ event_id: randomUUID(), user_id: 'retrying-user', name: 'purchase', timestamp: NOW.toISOString() }],
      sent_at: NOW.toISOString(),
    };
    const first = await server.post('/v1/events', batch);
    assert.is(first.status, 200);
    assert.is(first.body.accepted, 1);
    assert.is((await server.post('/v1/events', batch)).body.duplicates, 1);
    await server.db.storage.eventPartitions.maintain({ now: NOW });
    const retried = await server.post('/v1/events', batch);
    assert.is(retried.body.accepted, 0);
    assert.is(retried.body.duplicates, 1);
    assert.is(await total(server.db), 1);
  } finally {
    await server.close();
  }
});

it('retention drops whole partitions older than it and keeps every partition holding a newer day', async () => {
  const db = await createTestStorage();
  try {
    await db.storage.events.insertBatch([event(-10), event(-5), event(-5), event(0)]);
    await db.storage.eventPartitions.maintain({ now: NOW });
    if (onPostgres) {
      // Hand-made partitions over several days: one all older than the retention, one reaching into the kept days.
      const range = (from: number, to: number) => `for values from ('${day(from)}') to ('${day(to)}')`;
      await testSql(db.storage, `create table event_logs_span partition of event_logs ${range(-30, -20)}`);
      await testSql(db.storage, `create table event_logs_wide partition of event_logs ${range(-9, -5)}`);
    }
    // Late events: day(-40) has no partition (the DEFAULT partition holds it), day(-8) and day(-6) are in the wide one.
    await db.storage.events.insertBatch([event(-40), event(-8), event(-6)]);
    const result = await db.storage.eventPartitions.maintain({ now: NOW, retentionDays: 7 });
    // Retention 7 keeps today and the six days before it: from day(-6) on.
    const days = (await placement(db)).map((r) => [r.day, r.n]);
    const kept = [
      [day(-6), 1],
      [day(-5), 2],
      [day(0), 1],
    ];
    if (onPostgres) {
      // day(-8) stays: its partition also holds day(-6), which is kept.
      assert.equal(days, [[day(-8), 1], ...kept]);
      assert.equal(result.dropped, [day(-30), day(-10)]);
      assert.is(result.deleted_rows, 1);
      const parts = await testSql<{ name: string }>(
        db.storage,
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'event_logs'::regclass order by 1`,
      );
      const names = parts.map((p) => p.name);
      assert.ok(names.includes('event_logs_wide'));
      assert.ok(names.includes('event_logs_default'));
      assert.ok(names.includes(`event_logs_p${day(-5).replaceAll('-', '')}`));
      assert.not.ok(names.includes(`event_logs_p${day(-10).replaceAll('-', '')}`));
    } else {
      assert.equal(days, kept);
      assert.is(result.deleted_rows, 3);
    }
  } finally {
    await db.close();
  }
});

it('a run that finds another run holding the lock does nothing', async () => {
  if (!onPostgres) return; // one connection: PGlite cannot hold the lock elsewhere
  const db = await createTestStorage();
  try {
    await storageOrm(db.storage)
      .em.fork()
      .transactional(async (em) => {
        await rawQuery(em, 'select pg_advisory_xact_lock(720101)');
        const result = await db.storage.eventPartitions.maintain({ now: NOW });
        assert.is(result.ran, false);
        assert.equal(result.created, []);
      });
  } finally {
    await db.close();
  }
});

it('a router given eventPartitions makes the days ahead at once and closeAbRouter stops it', async () => {
  if (!onPostgres) return; // PGlite keeps the plain table: nothing to make
  const db = await createTestStorage();
  try {
    await db.storage.events.insertBatch([event(0)]);
    const errors: unknown[] = [];
    const router = createAbRouter({
      storage: db.storage,
      logger: { error: (obj: unknown) => errors.push(obj) },
      eventPartitions: { daysAhead: 2 },
    });
    // closeAbRouter waits for the run that started with the router.
    await closeAbRouter(router);
    const [made] = await testSql<{ n: number }>(
      db.storage,
      `select count(*)::int as n from pg_inherits where inhparent = 'event_logs'::regclass`,
    );
    assert.is(made?.n, 4); // today, the 2 days ahead and DEFAULT (NOW is today's noon)
    assert.equal(errors, []);
    assert.equal(
      (await placement(db)).map((r) => r.part),
      [`event_logs_p${day(0).replaceAll('-', '')}`],
    );
  } finally {
    await db.close();
  }
});

it('bad options fail naming the option', async () => {
  const db = await createTestStorage();
  try {
    const failure = async (run: () => Promise<unknown>) =>
      run().then(
        () => '',
        (error: Error) => error.message,
      );
    assert.match(
      await failure(async () => db.storage.eventPartitions.maintain({ retentionDays: -1 })),
      /retentionDays/,
    );
    assert.match(await failure(async () => db.storage.eventPartitions.maintain({ daysAhead: 1.5 })), /daysAhead/);
    assert.throws(
      () => createAbRouter({ storage: db.storage, eventPartitions: { retentionDays: 0.5 } }),
      /retentionDays/,
    );
  } finally {
    await db.close();
  }
});

it('the daily rollup reads the same numbers before and after the rows moved into partitions', async () => {
  const db = await createTestStorage();
  try {
    const rows = Array.from({ length: 60 }, (_, i) =>
      event(-(i % 6), { user_id: `user-${i % 9}`, name: i % 2 ? 'app_open' : 'purchase' }),
    );
    await db.storage.events.insertBatch(rows);
    await runRollup(db.storage, 'daily', { windowDays: 7, now: NOW });
    const before = await db.storage.rollups.daily(day(-6), day(1));
    await db.storage.eventPartitions.maintain({ now: NOW });
    await runRollup(db.storage, 'daily', { windowDays: 7, now: NOW });
    const after = await db.storage.rollups.daily(day(-6), day(1));
    assert.ok(before.length > 0);
    assert.equal(after, before);
  } finally {
    await db.close();
  }
});

it.run();
