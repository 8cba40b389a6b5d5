import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoadTestComparison, LoadTestEndpointMetrics, LoadTestRunDetail } from '@ab-calicritters/core';
import { endpointRows, runSummary } from './benchmarks.model.js';

function metrics(endpoint: string, rps: number, p99: number, errorRate = 0): LoadTestEndpointMetrics {
  return {
    endpoint,
    requests: rps * 10,
    rps,
    status_2xx: rps * 10,
    status_4xx: 0,
    status_5xx: 0,
    timeouts: 0,
    transport_errors: 0,
    error_rate: errorRate,
    latency_p50_ms: p99 / 4,
    latency_p95_ms: p99 / 2,
    latency_p99_ms: p99,
    latency_max_ms: p99 * 2,
    latency_mean_ms: p99 / 3,
  };
}

const run = (endpoints: LoadTestEndpointMetrics[]): LoadTestRunDetail => ({
  id: '00000000-0000-4000-8000-000000000001',
  name: 'r',
  scenario: 'mixed',
  phase: 'baseline',
  status: 'completed',
  target: 'http://x',
  tags: {},
  config: {},
  started_at: '2026-03-01T00:00:00Z',
  ended_at: null,
  duration_ms: 1000,
  artifact_path: null,
  error: null,
  endpoints,
  data_checks: [
    { name: 'duplicate_event_ids', passed: true, violations: 0, checked: 10, details: {} },
    { name: 'sticky_conflicts', passed: false, violations: 2, checked: 10, details: {} },
  ],
});

const it = suite('benchmarks model');

it('more throughput and lower latency are better; more errors are worse; tiny changes are noise', () => {
  const base = metrics('POST /v1/events', 1000, 80, 0.01);
  const post = { ...metrics('POST /v1/events', 1500, 40, 0.02), latency_p50_ms: base.latency_p50_ms * 1.01 };
  const comparison = {
    endpoints: [{ endpoint: 'POST /v1/events', baseline: base, candidate: post }],
  } as unknown as LoadTestComparison;
  const [row] = endpointRows(comparison);
  assert.equal([row!.rps.tone, row!.rps.change], ['better', 0.5]);
  assert.is(row!.p99.tone, 'better');
  assert.is(row!.p99.delta, -40);
  assert.is(row!.errorRate.tone, 'worse');
  assert.is(row!.p50.tone, 'same');
});

it('an endpoint missing on one side has nulls there and no tone', () => {
  const comparison = {
    endpoints: [{ endpoint: 'GET /health', baseline: null, candidate: metrics('GET /health', 10, 5) }],
  } as unknown as LoadTestComparison;
  const [row] = endpointRows(comparison);
  assert.equal([row!.rps.baseline, row!.rps.candidate, row!.rps.delta, row!.rps.tone], [null, 10, null, 'same']);
});

it('a run summary sums throughput, takes the worst p99 and weights errors by requests', () => {
  const s = runSummary(run([metrics('a', 100, 20, 0.1), metrics('b', 300, 50, 0)]));
  assert.equal(s, { totalRps: 400, worstP99: 50, errorRate: 0.025, checksPassed: 1, checksTotal: 2 });
});

it.run();
