/** Candidate-minus-baseline deltas of two stored load-test runs. Pure: the API and the CLI share it. */
import type {
  LoadTestComparison,
  LoadTestDataCheck,
  LoadTestDataCheckDelta,
  LoadTestEndpointDelta,
  LoadTestEndpointMetrics,
  LoadTestRun,
  LoadTestRunDetail,
} from '@ab-calicritters/core';

const round = (value: number, digits = 6) => Number(value.toFixed(digits));

function delta(baseline: number | undefined, candidate: number | undefined): number | null {
  return baseline === undefined || candidate === undefined ? null : round(candidate - baseline);
}

function change(baseline: number | undefined, candidate: number | undefined): number | null {
  if (baseline === undefined || candidate === undefined || baseline === 0) return null;
  return round((candidate - baseline) / baseline, 4);
}

function endpointDelta(
  endpoint: string,
  b?: LoadTestEndpointMetrics,
  c?: LoadTestEndpointMetrics,
): LoadTestEndpointDelta {
  return {
    endpoint,
    baseline: b ?? null,
    candidate: c ?? null,
    rps_delta: delta(b?.rps, c?.rps),
    rps_change: change(b?.rps, c?.rps),
    error_rate_delta: delta(b?.error_rate, c?.error_rate),
    latency_p50_ms_delta: delta(b?.latency_p50_ms, c?.latency_p50_ms),
    latency_p95_ms_delta: delta(b?.latency_p95_ms, c?.latency_p95_ms),
    latency_p99_ms_delta: delta(b?.latency_p99_ms, c?.latency_p99_ms),
    latency_p99_change: change(b?.latency_p99_ms, c?.latency_p99_ms),
  };
}

function checkDelta(name: string, b?: LoadTestDataCheck, c?: LoadTestDataCheck): LoadTestDataCheckDelta {
  let kind: LoadTestDataCheckDelta['change'] = 'unchanged';
  if (!b) kind = 'added';
  else if (!c) kind = 'removed';
  else if (!b.passed && c.passed) kind = 'fixed';
  else if (b.passed && !c.passed) kind = 'regressed';
  return {
    name,
    baseline_passed: b?.passed ?? null,
    candidate_passed: c?.passed ?? null,
    baseline_violations: b?.violations ?? null,
    candidate_violations: c?.violations ?? null,
    violations_delta: delta(b?.violations, c?.violations),
    change: kind,
  };
}

function runOnly(run: LoadTestRunDetail): LoadTestRun {
  const { endpoints: _endpoints, data_checks: _checks, ...rest } = run;
  return rest;
}

/**
 * Per-endpoint and per-check deltas, endpoints and checks in the union of both runs (baseline order first).
 * @example const diff = compareLoadTestRuns(await store.getRunDetail(a), await store.getRunDetail(b));
 */
export function compareLoadTestRuns(baseline: LoadTestRunDetail, candidate: LoadTestRunDetail): LoadTestComparison {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const endpoints = union(
    baseline.endpoints.map((e) => e.endpoint),
    candidate.endpoints.map((e) => e.endpoint),
  ).map((name) =>
    endpointDelta(
      name,
      baseline.endpoints.find((e) => e.endpoint === name),
      candidate.endpoints.find((e) => e.endpoint === name),
    ),
  );
  const checks = union(
    baseline.data_checks.map((c) => c.name),
    candidate.data_checks.map((c) => c.name),
  ).map((name) =>
    checkDelta(
      name,
      baseline.data_checks.find((c) => c.name === name),
      candidate.data_checks.find((c) => c.name === name),
    ),
  );
  return { baseline: runOnly(baseline), candidate: runOnly(candidate), endpoints, data_checks: checks };
}
