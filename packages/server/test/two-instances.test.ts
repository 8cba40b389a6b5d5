/**
 * Two server instances on one PostgreSQL database behave as one (docs/SCALING.md): two Koa apps, each with its own
 * storage and connection pool, as two processes behind a load balancer would be. First-time assignments raced on
 * both agree and leave one row per user and experiment; events sent to either, or to both, are stored once per
 * event_id. Both keep stored sticky rows in memory (the assignment cache), and still agree with each other and with the
 * database. PGlite is single-writer (one process per data directory), so there is nothing to test there.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assign } from '@ab-calicritters/core';
import { createAbRouter, createStorage, type Storage } from '../src/index.js';
import { createTestStorage, testDatabaseKind, testSql, type TestDatabase } from '../src/testing.js';
import { ADMIN_TOKEN } from './helpers/test-server.js';

interface Instance {
  storage: Storage;
  baseUrl: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** One server instance: its own storage (pool) on the database at `url`, its own Koa app and port. */
async function startInstance(storage: Storage, errors: unknown[]): Promise<Instance> {
  const app = new Koa();
  const router = createAbRouter({
    storage,
    adminToken: ADMIN_TOKEN,
    logger: { error: (obj: unknown) => errors.push(obj) },
    // Each instance caches definitions for a few seconds in production; 0 here, so a definition created through
    // one instance is seen by the other at once.
    experimentCacheTtlMs: 0,
    // The assignment cache on, as by default: first requests race past it, returning users are answered from it.
    assignmentCacheSize: 10_000,
  });
  app.use(router.routes()).use(router.allowedMethods());
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    storage,
    baseUrl,
    async post(path, body, headers = {}) {
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });
      return { status: response.status, body: await response.json() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Counts the sticky statements (insert-or-read, read) an instance's storage runs from now on. */
function countStickyStatements(instance: Instance): { count: number } {
  const counter = { count: 0 };
  const store = instance.storage.assignments;
  const { upsertSticky, find } = store;
  store.upsertSticky = (userId, rows) => {
    if (rows.length > 0) counter.count++;
    return upsertSticky(userId, rows);
  };
  store.find = (userId, ids) => {
    counter.count++;
    return find(userId, ids);
  };
  return counter;
}

const it = suite<{ db: TestDatabase; a: Instance; b: Instance; second: Storage; errors: unknown[] }>(
  'two server instances on one PostgreSQL database',
);

const experiments = [
  {
    key: 'onboarding_flow',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  },
  {
    key: 'paywall_copy',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
  },
];

it.before(async (ctx) => {
  ctx.errors = [];
  ctx.db = await createTestStorage();
  ctx.second = await createStorage({ databaseUrl: ctx.db.url });
  ctx.a = await startInstance(ctx.db.storage, ctx.errors);
  ctx.b = await startInstance(ctx.second, ctx.errors);
  for (const [i, def] of experiments.entries()) {
    // Definitions written through one instance or the other: both read them from the database.
    const res = await (i % 2 ? ctx.b : ctx.a).post(
      '/v1/admin/experiments',
      { status: 'running', ...def },
      { 'x-admin-token': ADMIN_TOKEN },
    );
    assert.is(res.status, 201, JSON.stringify(res.body));
  }
});

it.after(async (ctx) => {
  await ctx.a?.close();
  await ctx.b?.close();
  await ctx.second?.close();
  await ctx.db?.close();
});

interface AssignmentAnswer {
  experiment_key: string;
  variant: string | null;
  assigned_at: string | null;
  new: boolean;
}

it('first-time assignments raced on both instances agree, and each user gets one row per experiment', async ({
  a,
  b,
  db,
  errors,
}) => {
  const users = Array.from({ length: 150 }, (_, i) => `race-${i}-${randomUUID().slice(0, 8)}`);
  // Every user's first request goes to both instances at the same moment, as a client retrying on another
  // instance, or two app screens asking at once, would do.
  const answers = await Promise.all(
    users.map((user_id) => Promise.all([a, b].map((instance) => instance.post('/v1/assignment', { user_id })))),
  );
  for (const [i, pair] of answers.entries()) {
    const [fromA, fromB] = pair.map((r) => {
      assert.is(r.status, 200, JSON.stringify(r.body));
      return r.body.assignments as AssignmentAnswer[];
    }) as [AssignmentAnswer[], AssignmentAnswer[]];
    for (const def of experiments) {
      const x = fromA.find((r) => r.experiment_key === def.key) as AssignmentAnswer;
      const y = fromB.find((r) => r.experiment_key === def.key) as AssignmentAnswer;
      assert.is(x.variant, assign(def, users[i] as string), `${users[i]} ${def.key}: core's assign()`);
      assert.is(y.variant, x.variant, `${users[i]} ${def.key}: same variant from both instances`);
      assert.is(y.assigned_at, x.assigned_at, `${users[i]} ${def.key}: the same stored row`);
      assert.is(Number(x.new) + Number(y.new), 1, `${users[i]} ${def.key}: exactly one instance created the row`);
    }
  }
  const [counts] = await testSql<{ rows: number; pairs: number }>(
    db.storage,
    `select count(*)::int as rows, count(distinct (experiment_id, user_id))::int as pairs
       from assignments where user_id like 'race-%'`,
  );
  assert.equal(counts, { rows: users.length * experiments.length, pairs: users.length * experiments.length });

  // Returning users, on both instances at once: each answers from its own memory, and both give the stored row.
  const stored = await testSql<{ user_id: string; key: string; variant: string; assigned_at: Date }>(
    db.storage,
    `select a.user_id, e.key, a.variant, a.assigned_at from assignments a join experiments e on e.id = a.experiment_id
      where a.user_id like 'race-%'`,
  );
  const storedBy = new Map(stored.map((r) => [`${r.user_id} ${r.key}`, r]));
  const statements = [a, b].map(countStickyStatements);
  const returning = await Promise.all(
    users.map((user_id) => Promise.all([a, b].map((instance) => instance.post('/v1/assignment', { user_id })))),
  );
  assert.equal(
    statements.map((s) => s.count),
    [0, 0],
    'no sticky statement on either instance for a returning user',
  );
  for (const [i, pair] of returning.entries()) {
    for (const r of pair) {
      for (const answer of r.body.assignments as AssignmentAnswer[]) {
        const row = storedBy.get(`${users[i]} ${answer.experiment_key}`);
        assert.ok(row, `${users[i]} ${answer.experiment_key}: stored`);
        assert.equal(
          { variant: answer.variant, assigned_at: answer.assigned_at, new: answer.new },
          { variant: row.variant, assigned_at: new Date(row.assigned_at).toISOString(), new: false },
        );
      }
    }
  }
  assert.equal(errors, []);
});

it('an experiment archived through one instance stops being answered by the other at once', async ({ a, b }) => {
  const created = await a.post(
    '/v1/admin/experiments',
    { status: 'running', ...experiments[0], key: 'cross_archive' },
    { 'x-admin-token': ADMIN_TOKEN },
  );
  assert.is(created.status, 201);
  const ask = (instance: Instance) =>
    instance.post('/v1/assignment', { user_id: 'archive-1', experiment_keys: ['cross_archive'] });
  const expected = assign({ ...experiments[0]!, key: 'cross_archive' }, 'archive-1');
  assert.is((await ask(a)).body.assignments[0].variant, expected);
  assert.is((await ask(b)).body.assignments[0].variant, expected, 'both hold the row now');
  const archived = await fetch(`${b.baseUrl}/v1/admin/experiments/cross_archive`, {
    method: 'DELETE',
    headers: { 'x-admin-token': ADMIN_TOKEN },
  });
  assert.is(archived.status, 200);
  // Here the definitions are not cached (experimentCacheTtlMs: 0); by default A sees it within a second.
  const after = (await ask(a)).body.assignments[0];
  assert.equal({ variant: after.variant, reason: after.reason }, { variant: null, reason: 'inactive' });
});

it('events sent to either instance, or to both, are stored once per event_id', async ({ a, b, db, errors }) => {
  const users = Array.from({ length: 20 }, (_, i) => `events-${i}`);
  // An assignment made through A is what events stored through B carry in their snapshot.
  for (const user_id of users) assert.is((await a.post('/v1/assignment', { user_id })).status, 200);
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  const events = users.flatMap((user_id) =>
    Array.from({ length: 10 }, () => ({ event_id: randomUUID(), user_id, name: 'app_open', timestamp })),
  );
  const half = events.length / 2;

  // The whole batch to both at once (a client whose first attempt timed out retried on another instance), then
  // each half once more to the other instance.
  const results = await Promise.all([
    a.post('/v1/events', { events }),
    b.post('/v1/events', { events }),
    a.post('/v1/events', { events: events.slice(half) }),
    b.post('/v1/events', { events: events.slice(0, half) }),
  ]);
  for (const r of results) assert.is(r.status, 200, JSON.stringify(r.body));
  const accepted = results.reduce((n, r) => n + (r.body.accepted as number), 0);
  const duplicates = results.reduce((n, r) => n + (r.body.duplicates as number), 0);
  assert.is(accepted, events.length, 'each event accepted by exactly one request');
  assert.is(duplicates, events.length * 2, 'the other two copies of each counted as duplicates');

  const [stored] = await testSql<{ rows: number; ids: number }>(
    db.storage,
    `select count(*)::int as rows, count(distinct event_id)::int as ids from event_logs where user_id like 'events-%'`,
  );
  assert.equal(stored, { rows: events.length, ids: events.length });

  const viaB = await b.storage.events.listForUser('events-0');
  const expected = Object.fromEntries(experiments.map((def) => [def.key, assign(def, 'events-0')]));
  assert.is(viaB.length, 10);
  for (const event of viaB) assert.equal(event.assignments, expected);
  assert.equal(errors, []);
});

if (testDatabaseKind() === 'pglite') {
  console.log(
    'two-instances: skipped on PGlite, which is single-writer (one process per data directory); ' +
      'several instances need PostgreSQL',
  );
} else {
  it.run();
}
