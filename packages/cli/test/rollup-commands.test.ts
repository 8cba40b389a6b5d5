import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import { checkIdempotency, formatIdempotencyReport, rowDifference } from '../src/commands/check-idempotency.js';
import { formatRollupSummary, rollup } from '../src/commands/rollup.js';
import { seed } from '../src/commands/seed.js';
import { InterruptedError } from '../src/interrupt.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const it = suite<{ db: TestDatabase }>('rollup and check idempotency commands');

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  await seed(ctx.db.storage);
  const names = ['app_open', 'tutorial_complete', 'first_catch', 'purchase'];
  const rows = Array.from({ length: 400 }, (_, i) => {
    const at = new Date(Date.UTC(2026, 2, 4 + (i % 7), 8, i % 60)).toISOString();
    return {
      event_id: randomUUID(),
      user_id: `u${i % 50}`,
      name: names[i % 4] as string,
      client_timestamp: at,
      occurred_at: at,
      properties: {},
    };
  });
  await ctx.db.storage.events.insertBatch(rows);
});
it.after(async (ctx) => ctx.db.close());

it('rollup --job all runs the four jobs in order and reports each', async ({ db }) => {
  const started: string[] = [];
  const results = await rollup(db.storage, {
    job: 'all',
    windowDays: 14,
    now: NOW,
    onJobStart: (job) => started.push(job),
  });
  assert.equal(started, ['daily', 'experiments', 'funnels', 'metrics']);
  assert.equal(
    results.map((r) => r.job),
    started,
  );
  assert.ok(results[0]!.rows_written > 0);
  assert.match(formatRollupSummary(results), /^Rolled up 4 job\(s\), \d+ rows in \d+ ms: daily \d+ rows/);
});

it('rollup refuses a window outside 1..365 with exit code 2', async ({ db }) => {
  for (const windowDays of [0, 366, 1.5]) {
    try {
      await rollup(db.storage, { job: 'daily', windowDays });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
    }
  }
});

it('check idempotency passes on real data and lists each job', async ({ db }) => {
  const report = await checkIdempotency(db.storage, { windowDays: 14, now: NOW });
  assert.ok(report.ok, formatIdempotencyReport(report));
  assert.equal(
    report.jobs.map((j) => j.job),
    ['daily', 'experiments', 'funnels', 'metrics'],
  );
  assert.ok(report.jobs[0]!.rows > 0);
});

it("an interrupted rollup or idempotency check ends with one message and the signal's exit code", async ({ db }) => {
  const controller = new AbortController();
  const run = rollup(db.storage, { job: 'all', windowDays: 14, now: NOW, signal: controller.signal });
  controller.abort(new InterruptedError('SIGTERM'));
  const error = await run.catch((e: unknown) => e);
  assert.instance(error, CliError);
  assert.is((error as CliError).exitCode, 143);
  assert.is((error as Error).message, "rollup 'daily' interrupted by SIGTERM: cancelled and rolled back");
  const check = await checkIdempotency(db.storage, {
    windowDays: 14,
    now: NOW,
    signal: AbortSignal.abort(new InterruptedError('SIGINT')),
  }).catch((e: unknown) => e);
  assert.instance(check, CliError);
  assert.is((check as CliError).exitCode, 130);
  try {
    await rollup(db.storage, { job: 'daily', windowDays: 14, statementTimeoutMs: -1 });
    assert.unreachable();
  } catch (e) {
    assert.is((e as CliError).exitCode, 2);
    assert.match((e as Error).message, /--statement-timeout/);
  }
});

it('the diff counts repeated rows, so a duplicated row is caught', () => {
  assert.equal(rowDifference(['a', 'b', 'b'], ['a', 'b']), ['b']);
  assert.equal(rowDifference(['a'], ['a', 'c']), []);
  const text = formatIdempotencyReport({
    ok: false,
    window_days: 7,
    jobs: [{ job: 'daily', rows: 2, missing: ['x'], extra: [] }],
  });
  assert.match(text, /NOT idempotent over 7 days:\n {2}daily: DIFFERENT: 1 rows gone, 0 rows new\n {4}- x/);
});

it.run();
