/** Terminal tables for load-test runs, gates and comparisons. */
import type { LoadTestComparison, LoadTestRunDetail } from '@ab-calicritters/core';

/** A fixed-width table; numbers should already be strings. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const num = (value: number | null | undefined, digits = 1) => (value == null ? '-' : value.toFixed(digits));
const pct = (value: number | null | undefined, digits = 2) =>
  value == null ? '-' : `${(value * 100).toFixed(digits)}%`;
const signed = (value: number | null | undefined, digits = 1, suffix = '') =>
  value == null ? '-' : `${value > 0 ? '+' : ''}${value.toFixed(digits)}${suffix}`;
const signedPct = (value: number | null | undefined) => (value == null ? '' : ` (${signed(value * 100, 1, '%')})`);

/** Throughput, errors and latency per endpoint. */
function formatEndpointTable(run: LoadTestRunDetail): string {
  return formatTable(
    ['ENDPOINT', 'REQUESTS', 'RPS', 'ERRORS', '4XX', 'P50 MS', 'P95 MS', 'P99 MS', 'MAX MS'],
    run.endpoints.map((e) => [
      e.endpoint,
      String(e.requests),
      num(e.rps),
      pct(e.error_rate),
      String(e.status_4xx),
      num(e.latency_p50_ms, 2),
      num(e.latency_p95_ms, 2),
      num(e.latency_p99_ms, 2),
      num(e.latency_max_ms, 2),
    ]),
  );
}

/** Data checks with their result and counts. */
function formatCheckTable(run: LoadTestRunDetail): string {
  return formatTable(
    ['DATA CHECK', 'RESULT', 'VIOLATIONS', 'CHECKED'],
    run.data_checks.map((c) => [c.name, c.passed ? 'pass' : 'FAIL', String(c.violations), String(c.checked)]),
  );
}

/** The run, its endpoints and its data checks, as printed after `loadtest run`. */
export function formatRun(run: LoadTestRunDetail): string {
  const tags = Object.entries(run.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `Run ${run.name} (${run.id}): ${run.scenario}, ${run.phase}, ${run.status}${run.error ? ` (${run.error})` : ''}`,
    `  ${run.started_at} → ${run.ended_at ?? '…'} (${((run.duration_ms ?? 0) / 1000).toFixed(1)} s) against ${run.target}${tags ? `, tags ${tags}` : ''}`,
    '',
    formatEndpointTable(run),
    '',
    formatCheckTable(run),
  ].join('\n');
}

/** Endpoint and data-check deltas, as printed by `loadtest compare`. */
export function formatComparison(c: LoadTestComparison): string {
  const endpoints = formatTable(
    ['ENDPOINT', 'RPS', 'Δ RPS', 'ERRORS', 'Δ ERRORS', 'P95 MS', 'Δ P95', 'P99 MS', 'Δ P99'],
    c.endpoints.map((e) => [
      e.endpoint,
      `${num(e.baseline?.rps)} → ${num(e.candidate?.rps)}`,
      `${signed(e.rps_delta)}${signedPct(e.rps_change)}`,
      `${pct(e.baseline?.error_rate)} → ${pct(e.candidate?.error_rate)}`,
      e.error_rate_delta == null ? '-' : signed(e.error_rate_delta * 100, 2, ' pp'),
      `${num(e.baseline?.latency_p95_ms, 2)} → ${num(e.candidate?.latency_p95_ms, 2)}`,
      signed(e.latency_p95_ms_delta, 2),
      `${num(e.baseline?.latency_p99_ms, 2)} → ${num(e.candidate?.latency_p99_ms, 2)}`,
      `${signed(e.latency_p99_ms_delta, 2)}${signedPct(e.latency_p99_change)}`,
    ]),
  );
  const result = (passed: boolean | null) => (passed == null ? '-' : passed ? 'pass' : 'FAIL');
  const checks = formatTable(
    ['DATA CHECK', 'BASELINE', 'CANDIDATE', 'Δ VIOLATIONS', 'CHANGE'],
    c.data_checks.map((d) => [
      d.name,
      `${result(d.baseline_passed)} (${d.baseline_violations ?? '-'})`,
      `${result(d.candidate_passed)} (${d.candidate_violations ?? '-'})`,
      d.violations_delta == null ? '-' : signed(d.violations_delta, 0),
      d.change,
    ]),
  );
  return [
    `Baseline  ${c.baseline.name} (${c.baseline.id}): ${c.baseline.scenario}, ${c.baseline.phase}, ${c.baseline.started_at}`,
    `Candidate ${c.candidate.name} (${c.candidate.id}): ${c.candidate.scenario}, ${c.candidate.phase}, ${c.candidate.started_at}`,
    ...c.warnings.map((w) => `warning (${w.code}): ${w.message}`),
    '',
    endpoints,
    '',
    checks,
  ].join('\n');
}
