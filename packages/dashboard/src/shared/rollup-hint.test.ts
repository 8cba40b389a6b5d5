import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RollupJobStatus, RollupStatus } from '../api/api-types.js';
import { isNotComputed, rollupCommand, rollupCoverage } from './rollup-hint.js';

const it = suite('rollup hint');

it('only computed_at: null means not computed; a computed window with nobody assigned is computed', () => {
  assert.ok(isNotComputed({ computed_at: null }));
  assert.not.ok(isNotComputed({ computed_at: '2026-03-10T02:00:00.000Z' }));
  assert.not.ok(isNotComputed(undefined), 'nothing loaded yet is not "not computed"');
});

it('the hint names the command for the window', () => {
  assert.is(rollupCommand(90), 'calicritters rollup --window-days 90');
});

const job = (fields: Partial<RollupJobStatus>): RollupJobStatus => ({
  job: 'daily',
  last_run_at: '2026-03-10T11:55:00.000Z',
  last_status: 'succeeded',
  last_duration_ms: 400,
  last_error: null,
  last_window_days: 30,
  last_success_at: '2026-03-10T11:55:01.000Z',
  lag_seconds: 300,
  ...fields,
});
const status = (...jobs: RollupJobStatus[]): RollupStatus => ({ now: '2026-03-10T12:00:00.000Z', running: null, jobs });

it('coverage: a job that never succeeded is not computed, a shorter last run is partial, no status is unknown', () => {
  const never = job({
    last_run_at: null,
    last_status: null,
    last_window_days: null,
    last_success_at: null,
    lag_seconds: null,
  });
  assert.is(rollupCoverage(status(never), 'daily', 7), 'not_computed');
  assert.is(rollupCoverage(status(job({ last_status: 'failed', last_success_at: null })), 'daily', 7), 'not_computed');
  assert.is(rollupCoverage(status(job({})), 'daily', 30), 'computed');
  assert.is(rollupCoverage(status(job({})), 'daily', 90), 'partial');
  assert.is(
    rollupCoverage(status(job({ last_status: 'failed' })), 'daily', 90),
    'computed',
    'a failed run says nothing of the rows',
  );
  assert.is(rollupCoverage(status(job({})), 'funnels', 7), 'unknown', 'a job the status does not list');
  assert.is(rollupCoverage(undefined, 'daily', 7), 'unknown');
});

it.run();
