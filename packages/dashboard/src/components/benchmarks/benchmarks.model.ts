/**
 * What `<abc-benchmarks>` shows: per endpoint the baseline and post-mitigation figures with their change (and
 * whether the change is good: more throughput, fewer errors, lower latency), and a one-line summary per run.
 */
import type { LoadTestComparison, LoadTestEndpointMetrics, LoadTestRunDetail } from '@ab-calicritters/core';

/** Whether a change helps (`better`), hurts (`worse`) or is too small to matter (`same`). */
type Tone = 'better' | 'worse' | 'same';

export interface MetricCell {
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline. */
  delta: number | null;
  /** Relative change (0.25 = +25%); null without a positive baseline. */
  change: number | null;
  tone: Tone;
}

export interface EndpointRow {
  endpoint: string;
  rps: MetricCell;
  errorRate: MetricCell;
  p50: MetricCell;
  p95: MetricCell;
  p99: MetricCell;
}

/** Changes smaller than this share (2%) read as noise. */
const NOISE = 0.02;

function cell(b: number | undefined, c: number | undefined, higherIsBetter: boolean, absoluteNoise = 0): MetricCell {
  const baseline = b ?? null;
  const candidate = c ?? null;
  const delta = baseline != null && candidate != null ? candidate - baseline : null;
  const change = delta != null && baseline != null && baseline > 0 ? delta / baseline : null;
  let tone: Tone = 'same';
  if (delta != null && Math.abs(delta) > absoluteNoise && (change == null || Math.abs(change) >= NOISE)) {
    tone = delta > 0 === higherIsBetter ? 'better' : 'worse';
  }
  return { baseline, candidate, delta, change, tone };
}

/** One row per endpoint of the comparison (endpoints missing on one side have nulls there). */
export function endpointRows(comparison: LoadTestComparison): EndpointRow[] {
  return comparison.endpoints.map((e) => {
    const b: Partial<LoadTestEndpointMetrics> = e.baseline ?? {};
    const c: Partial<LoadTestEndpointMetrics> = e.candidate ?? {};
    return {
      endpoint: e.endpoint,
      rps: cell(b.rps, c.rps, true),
      // Error rates are compared in absolute terms: 0 → 0.0001 is not "infinitely worse".
      errorRate: cell(b.error_rate, c.error_rate, false, 0.0005),
      p50: cell(b.latency_p50_ms, c.latency_p50_ms, false),
      p95: cell(b.latency_p95_ms, c.latency_p95_ms, false),
      p99: cell(b.latency_p99_ms, c.latency_p99_ms, false),
    };
  });
}

export interface RunSummary {
  totalRps: number;
  worstP99: number | null;
  errorRate: number | null;
  checksPassed: number;
  checksTotal: number;
}

/** Throughput summed over endpoints, the worst p99, the request-weighted error rate, and data checks passed. */
export function runSummary(run: LoadTestRunDetail): RunSummary {
  const requests = run.endpoints.reduce((sum, e) => sum + e.requests, 0);
  return {
    totalRps: run.endpoints.reduce((sum, e) => sum + e.rps, 0),
    worstP99: run.endpoints.length > 0 ? Math.max(...run.endpoints.map((e) => e.latency_p99_ms)) : null,
    errorRate: requests > 0 ? run.endpoints.reduce((sum, e) => sum + e.error_rate * e.requests, 0) / requests : null,
    checksPassed: run.data_checks.filter((c) => c.passed).length,
    checksTotal: run.data_checks.length,
  };
}
