import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoadTestEndpointMetrics, LoadTestRunDetail } from '@ab-calicritters/core';
import { compareLoadTestRuns } from './load-test-compare.js';

const metrics = (endpoint: string, rps: number, p99: number, errorRate = 0): LoadTestEndpointMetrics => ({
  endpoint,
  requests: rps,
  rps,
  status_2xx: rps,
  status_4xx: 0,
  status_5xx: 0,
  timeouts: 0,
  transport_errors: 0,
  error_rate: errorRate,
  latency_p50_ms: p99 / 4,
  latency_p95_ms: p99 / 2,
  latency_p99_ms: p99,
  latency_max_ms: p99,
  latency_mean_ms: p99 / 3,
});

function run(id: string, endpoints: LoadTestEndpointMetrics[], checks: Array<[string, number]>): LoadTestRunDetail {
  return {
    id,
    name: id,
    scenario: 'mixed',
    phase: 'baseline',
    status: 'completed',
    target: 'http://127.0.0.1:3000/',
    tags: {},
    config: {},
    started_at: '2026-01-01T00:00:00.000Z',
    ended_at: null,
    duration_ms: null,
    artifact_path: null,
    error: null,
    endpoints,
    data_checks: checks.map(([name, violations]) => ({
      name,
      passed: violations === 0,
      violations,
      checked: 10,
      details: {},
    })),
  };
}

test('deltas are candidate minus baseline over the union of endpoints and checks', () => {
  const baseline = run(
    'a',
    [metrics('POST /x', 100, 40, 0.02), metrics('POST /gone', 10, 10)],
    [
      ['sticky', 2],
      ['presence', 0],
      ['old', 0],
    ],
  );
  const candidate = run(
    'b',
    [metrics('POST /x', 120, 30, 0.005), metrics('POST /new', 5, 5)],
    [
      ['sticky', 0],
      ['presence', 1],
      ['fresh', 0],
    ],
  );
  const c = compareLoadTestRuns(baseline, candidate);
  assert.equal(Object.keys(c.baseline).includes('endpoints'), false, 'runs without their lists');
  assert.equal(
    c.endpoints.map((e) => e.endpoint),
    ['POST /x', 'POST /gone', 'POST /new'],
  );
  const [x, gone, added] = c.endpoints;
  assert.equal(
    [
      x?.rps_delta,
      x?.rps_change,
      x?.error_rate_delta,
      x?.latency_p99_ms_delta,
      x?.latency_p99_change,
      x?.latency_p95_ms_delta,
    ],
    [20, 0.2, -0.015, -10, -0.25, -5],
  );
  assert.is(gone?.candidate, null);
  assert.is(gone?.rps_delta, null);
  assert.is(added?.baseline, null);
  assert.equal(
    c.data_checks.map((d) => [d.name, d.change, d.violations_delta]),
    [
      ['sticky', 'fixed', -2],
      ['presence', 'regressed', 1],
      ['old', 'removed', null],
      ['fresh', 'added', null],
    ],
  );
});

test('runs made alike and in order compare without warnings', () => {
  const made = { connections: 50, rate: null, duration_requested_ms: 30_000 };
  const baseline = { ...run('a', [], []), config: made, duration_ms: 30_010 };
  const candidate = { ...run('b', [], []), config: made, duration_ms: 29_990, started_at: '2026-01-02T00:00:00.000Z' };
  assert.equal(compareLoadTestRuns(baseline, candidate).warnings, []);
});

test('different durations, scenarios or load, and a baseline newer than the candidate, are warned about', () => {
  const baseline = {
    ...run('a', [], []),
    config: { connections: 50, rate: null },
    duration_ms: 30_000,
    started_at: '2026-01-02T00:00:00.000Z',
  };
  const candidate = {
    ...run('b', [], []),
    scenario: 'events' as const,
    config: { connections: 4, rate: 300 },
    duration_ms: 2_000,
    started_at: '2026-01-01T00:00:00.000Z',
  };
  const { warnings } = compareLoadTestRuns(baseline, candidate);
  assert.equal(
    warnings.map((w) => w.code),
    ['different_scenario', 'different_duration', 'different_load', 'baseline_newer'],
  );
  assert.match(warnings[1]?.message ?? '', /30\.0 s \(baseline\) and 2\.0 s \(candidate\)/);
  assert.match(warnings[2]?.message ?? '', /50 connections, no rate limit.*4 connections, 300 req\/s/);
  assert.match(warnings[3]?.message ?? '', /swapped/);
});

test.run();
