import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import type { LoadTestDataCheck } from '@ab-calicritters/core';
import {
  LOAD_TEST_CHECK_NAMES,
  runLoadTestChecks,
  type LoadTestCheckScope,
  type AcknowledgedAssignment,
} from '../src/index.js';
import { createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

interface Ctx {
  server: TestServer;
  scope: LoadTestCheckScope;
}
const it = suite<Ctx>('runLoadTestChecks');
const PREFIX = 'lt-check-';
const byName = (checks: LoadTestDataCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

it.before(async (ctx) => {
  ctx.server = await startTestServer({ experimentCacheTtlMs: 0 });
  await createExperiment(ctx.server, {
    key: 'exp_a',
    variants: [
      { key: 'red', weight: 0.5 },
      { key: 'blue', weight: 0.5 },
    ],
  });
  const assignments: AcknowledgedAssignment[] = [];
  for (const user of [`${PREFIX}0`, `${PREFIX}1`]) {
    const res = await ctx.server.post('/v1/assignment', { user_id: user });
    for (const a of res.body.assignments)
      assignments.push({ user_id: user, experiment_key: a.experiment_key, variant: a.variant });
  }
  const events = [0, 1, 2].map(() => ({ event_id: randomUUID(), user_id: `${PREFIX}0` }));
  const res = await ctx.server.post('/v1/events', {
    events: events.map((e) => ({ ...e, name: 'app_open', timestamp: new Date().toISOString() })),
  });
  assert.is(res.body.accepted, 3);
  const now = Date.now();
  ctx.scope = {
    userPrefix: PREFIX,
    userCount: 3,
    startedAt: new Date(now - 60_000),
    endedAt: new Date(now + 60_000),
    assignments,
    events,
    intentionalDuplicates: 2,
  };
});
it.after(async (ctx) => ctx.server.close());

it('a consistent run passes every check, each with what it examined', async ({ server, scope }) => {
  const checks = await runLoadTestChecks(server.db.storage, scope);
  assert.equal(
    checks.map((c) => c.name),
    [...LOAD_TEST_CHECK_NAMES],
  );
  for (const c of checks) assert.ok(c.passed, `${c.name}: ${JSON.stringify(c)}`);
  const named = byName(checks);
  assert.is(named.duplicate_assignment_rows?.checked, 2);
  assert.is(named.duplicate_event_ids?.checked, 3);
  assert.is(named.duplicate_event_ids?.details.intentional_duplicates_sent, 2);
  assert.is(named.row_presence?.checked, 5);
});

it('an acknowledged event or assignment that is not stored fails row_presence', async ({ server, scope }) => {
  const checks = byName(
    await runLoadTestChecks(server.db.storage, {
      ...scope,
      events: [...scope.events, { event_id: randomUUID(), user_id: `${PREFIX}1` }],
      assignments: [...scope.assignments, { user_id: `${PREFIX}2`, experiment_key: 'exp_a', variant: 'red' }],
    }),
  );
  assert.is(checks.row_presence?.passed, false);
  assert.is(checks.row_presence?.violations, 2);
  assert.is(checks.row_presence?.details.events_missing, 1);
  assert.is(checks.row_presence?.details.assignments_missing, 1);
  assert.is(checks.row_presence?.details.hint, undefined);
});

it('nothing acknowledged found at all adds a hint about a different database', async ({ server, scope }) => {
  const checks = byName(
    await runLoadTestChecks(server.db.storage, {
      ...scope,
      events: [{ event_id: randomUUID(), user_id: `${PREFIX}0` }],
      assignments: [],
    }),
  );
  assert.match(String(checks.row_presence?.details.hint), /same DATABASE_URL/);
});

it('a response, a stored row or an enriched event disagreeing on a variant is a sticky conflict', async ({
  server,
  scope,
}) => {
  const [first] = scope.assignments;
  assert.ok(first);
  const other = first.variant === 'red' ? 'blue' : 'red';
  const answered = byName(
    await runLoadTestChecks(server.db.storage, {
      ...scope,
      assignments: [...scope.assignments, { ...first, variant: other }],
    }),
  );
  assert.is(answered.sticky_conflicts?.violations, 1);
  assert.equal((answered.sticky_conflicts?.details.samples as unknown[])[0], {
    user_id: first.user_id,
    experiment_key: 'exp_a',
    variants: ['blue', 'red'],
  } as unknown);

  await server.sql(
    `update event_logs set assignments = jsonb_build_object('exp_a', ?::text) where event_id = ?::uuid`,
    [other, scope.events[0]?.event_id ?? ''],
  );
  const enriched = byName(await runLoadTestChecks(server.db.storage, scope));
  assert.is(enriched.sticky_conflicts?.passed, false);
  assert.is(enriched.sticky_conflicts?.violations, 1);
});

it('the same event id stored twice for the run fails duplicate_event_ids; other users are out of scope', async ({
  server,
  scope,
}) => {
  const dup = scope.events[1]?.event_id ?? '';
  await server.sql(
    `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at)
     values (?::uuid, ?, current_date - 3, 'app_open', now(), now()), (?::uuid, 'someone-else', current_date, 'x', now(), now()),
            (?::uuid, 'someone-else', current_date - 1, 'x', now(), now())`,
    [dup, `${PREFIX}0`, randomUUID(), dup],
  );
  const checks = byName(await runLoadTestChecks(server.db.storage, scope));
  assert.is(checks.duplicate_event_ids?.passed, false);
  assert.is(checks.duplicate_event_ids?.violations, 1);
  assert.equal((checks.duplicate_event_ids?.details.samples as unknown[])[0], { event_id: dup, n: 2 } as unknown);
});

it('two rollup runs of one job overlapping in the run window fail rollup_overlap; back-to-back runs do not', async ({
  server,
  scope,
}) => {
  const at = (offsetS: number) => new Date(scope.startedAt.getTime() + offsetS * 1000).toISOString();
  const insert = (job: string, from: number, to: number | null) =>
    server.sql(
      `insert into rollup_runs (job, window_start, window_end, started_at, ended_at, status)
       values (?, now() - interval '1 day', now(), ?::timestamptz, ?::timestamptz, ?)`,
      [job, at(from), to === null ? null : at(to), to === null ? 'running' : 'succeeded'],
    );
  await insert('daily', 10, 20);
  await insert('daily', 20, 30);
  await insert('funnels', 10, 20);
  await insert('experiments', -7200, -7100);
  await insert('experiments', -7150, -7000);
  let checks = byName(await runLoadTestChecks(server.db.storage, scope));
  assert.ok(checks.rollup_overlap?.passed, 'back-to-back, other jobs and overlaps outside the window pass');
  assert.is(checks.rollup_overlap?.checked, 3);

  await insert('daily', 25, null);
  checks = byName(await runLoadTestChecks(server.db.storage, scope));
  assert.is(checks.rollup_overlap?.passed, false);
  assert.is(checks.rollup_overlap?.violations, 1);
});

it('refuses an unscoped call', async ({ server, scope }) => {
  try {
    await runLoadTestChecks(server.db.storage, { ...scope, userPrefix: '' });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /userPrefix/);
  }
});

it.run();
