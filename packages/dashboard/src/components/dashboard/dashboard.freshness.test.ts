import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RollupJobName, RollupJobStatus, RollupStatus } from '../../api/api-types.js';
import { describeFreshness, hasNewRollup, pollDelayMs } from './dashboard.freshness.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

/** A job whose last run started `seconds` ago and succeeded a second later. */
function ran(job: RollupJobName, seconds: number, fields: Partial<RollupJobStatus> = {}): RollupJobStatus {
  return {
    job,
    last_run_at: ago(seconds),
    last_status: 'succeeded',
    last_duration_ms: 1000,
    last_error: null,
    last_window_days: 90,
    last_success_at: ago(seconds - 1),
    lag_seconds: seconds - 1,
    ...fields,
  };
}

const never = (job: RollupJobName): RollupJobStatus => ({
  job,
  last_run_at: null,
  last_status: null,
  last_duration_ms: null,
  last_error: null,
  last_window_days: null,
  last_success_at: null,
  lag_seconds: null,
});

const status = (jobs: RollupJobStatus[], running: RollupStatus['running'] = null): RollupStatus => ({
  now: new Date(NOW).toISOString(),
  running,
  jobs,
});

const FIVE_MIN = 5 * 60_000;
const it = suite('dashboard freshness');

it('the oldest job decides "Updated … ago", and the next round is an interval after the newest run started', () => {
  const s = status([ran('daily', 181), ran('experiments', 170), ran('funnels', 160)]);
  const f = describeFreshness(s, { elapsedMs: 0, intervalMs: FIVE_MIN });
  assert.is(f.state, 'fresh');
  assert.is(f.text, 'Updated 3 min ago · next refresh in 2 min');
  assert.equal(
    f.jobs.map((j) => [j.job, j.state, j.text]),
    [
      ['daily', 'fresh', 'Updated 3 min ago'],
      ['experiments', 'fresh', 'Updated 3 min ago'],
      ['funnels', 'fresh', 'Updated 3 min ago'],
    ],
  );
  assert.is(f.jobs[0]!.lastRun, 'last run 3 min ago, over 90 days');
});

it("time moves on from the server's now by the time elapsed since the status arrived", () => {
  const s = status([ran('daily', 61)]);
  assert.is(
    describeFreshness(s, { elapsedMs: 120_000, intervalMs: FIVE_MIN }).text,
    'Updated 3 min ago · next refresh in 2 min',
  );
  assert.is(
    describeFreshness(s, { elapsedMs: 240_000, intervalMs: FIVE_MIN }).text,
    'Updated 5 min ago · next refresh due',
  );
});

it('older than two intervals is stale; without a schedule, older than a day', () => {
  const s = status([ran('daily', 11 * 60), ran('experiments', 60)]);
  const f = describeFreshness(s, { elapsedMs: 0, intervalMs: FIVE_MIN });
  assert.is(f.state, 'stale');
  assert.is(f.jobs[0]!.state, 'stale');
  assert.is(f.jobs[1]!.state, 'fresh');
  assert.is(f.text, 'Updated 11 min ago · out of date · next refresh in 4 min');
  assert.is(describeFreshness(s, { elapsedMs: 0, intervalMs: undefined }).state, 'fresh');
  assert.is(
    describeFreshness(status([ran('daily', 25 * 3600)]), { elapsedMs: 0, intervalMs: undefined }).state,
    'stale',
  );
});

it('a failed last run is named and wins over age; its error is kept for the details', () => {
  const s = status([
    ran('daily', 120),
    ran('experiments', 30, {
      last_status: 'failed',
      last_error: 'statement timeout',
      last_success_at: ago(400),
      lag_seconds: 400,
    }),
    ran('funnels', 120),
  ]);
  const f = describeFreshness(s, { elapsedMs: 0, intervalMs: undefined });
  assert.is(f.state, 'failed');
  assert.is(f.text, 'Experiments rollup failed · updated 7 min ago');
  assert.is(f.jobs[1]!.lastRun, 'last run failed just now: statement timeout');
});

it('a job that never ran says "Not computed yet"; all of them: only that', () => {
  const some = describeFreshness(status([ran('daily', 120), ran('experiments', 120), never('funnels')]), {
    elapsedMs: 0,
    intervalMs: undefined,
  });
  assert.is(some.state, 'never');
  assert.is(some.text, 'Updated 2 min ago · funnels not computed yet');
  assert.is(some.jobs[2]!.text, 'Not computed yet');
  assert.is(some.jobs[2]!.lastRun, 'never ran');
  const none = describeFreshness(status([never('daily'), never('experiments'), never('funnels')]), {
    elapsedMs: 0,
    intervalMs: FIVE_MIN,
  });
  assert.is(none.state, 'never');
  assert.is(none.text, 'Not computed yet');
});

it('a round running now says so instead of the next one', () => {
  const s = status([ran('daily', 400)], { jobs: ['daily'], window_days: 90, started_at: ago(2) });
  assert.is(describeFreshness(s, { elapsedMs: 0, intervalMs: FIVE_MIN }).text, 'Updated 7 min ago · refreshing now');
});

it('a new success of any job since the data was loaded asks for a reload; a failure or no baseline does not', () => {
  const loaded = status([ran('daily', 300), ran('experiments', 300), never('funnels')]);
  assert.not.ok(hasNewRollup(loaded, loaded));
  assert.ok(hasNewRollup(loaded, status([ran('daily', 10), ran('experiments', 300), never('funnels')])));
  assert.ok(hasNewRollup(loaded, status([ran('daily', 300), ran('experiments', 300), ran('funnels', 10)])));
  const failed = ran('daily', 10, { last_status: 'failed', last_success_at: ago(299), lag_seconds: 299 });
  assert.not.ok(hasNewRollup(loaded, status([failed, ran('experiments', 300), never('funnels')])));
  assert.not.ok(hasNewRollup(undefined, loaded));
});

it("polls at the schedule's interval, or every minute when it is unknown", () => {
  assert.is(pollDelayMs(FIVE_MIN), FIVE_MIN);
  assert.is(pollDelayMs(undefined), 60_000);
  assert.is(pollDelayMs(0), 60_000);
});

it.run();
