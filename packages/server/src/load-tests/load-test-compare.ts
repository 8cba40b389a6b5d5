/** Candidate-minus-baseline deltas of two stored load-test runs. Pure: the API and the CLI share it. */
import type {
  LoadTestComparison,
  LoadTestComparisonWarning,
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

/** Durations further apart than this share of the longer one are worth a warning. */
const DURATION_TOLERANCE = 0.1;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function durationOf(run: LoadTestRun): number | undefined {
  if (run.duration_ms != null) return run.duration_ms;
  const requested = run.config.duration_requested_ms;
  return typeof requested === 'number' ? requested : undefined;
}

/** Reasons the deltas of two runs may mislead: what differs besides the change under test, or the order. */
function comparisonWarnings(b: LoadTestRun, c: LoadTestRun): LoadTestComparisonWarning[] {
  const warnings: LoadTestComparisonWarning[] = [];
  if (b.scenario !== c.scenario) {
    warnings.push({
      code: 'different_scenario',
      message: `the runs drove different scenarios (baseline ${b.scenario}, candidate ${c.scenario}): their endpoints and load differ`,
    });
  }
  const [bd, cd] = [durationOf(b), durationOf(c)];
  if (bd !== undefined && cd !== undefined && Math.abs(bd - cd) > DURATION_TOLERANCE * Math.max(bd, cd)) {
    warnings.push({
      code: 'different_duration',
      message: `the runs lasted ${seconds(bd)} (baseline) and ${seconds(cd)} (candidate): warm-up weighs more in a short run; compare runs of the same --duration`,
    });
  }
  const load = (run: LoadTestRun) => [run.config.connections ?? null, run.config.rate ?? null];
  const [bl, cl] = [load(b), load(c)];
  if (bl[0] !== cl[0] || bl[1] !== cl[1]) {
    const describe = ([connections, rate]: unknown[]) =>
      `${String(connections ?? '?')} connections, ${rate == null ? 'no rate limit' : `${String(rate)} req/s`}`;
    warnings.push({
      code: 'different_load',
      message: `the runs used different load (baseline ${describe(bl)}, candidate ${describe(cl)}): throughput and latency are not comparable`,
    });
  }
  if (Date.parse(b.started_at) > Date.parse(c.started_at)) {
    warnings.push({
      code: 'baseline_newer',
      message: `the baseline (${b.started_at}) started after the candidate (${c.started_at}): are --baseline and --candidate swapped?`,
    });
  }
  return warnings;
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
  const [b, c] = [runOnly(baseline), runOnly(candidate)];
  return { baseline: b, candidate: c, endpoints, data_checks: checks, warnings: comparisonWarnings(b, c) };
}
