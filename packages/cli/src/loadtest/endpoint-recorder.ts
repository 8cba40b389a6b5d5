/**
 * Per-endpoint counters and latency histograms. Latencies go into an HDR histogram in microseconds (3 significant
 * digits), which gives any percentile, p95 included, with bounded memory however long the run.
 */
import * as hdr from 'hdr-histogram-js';
import type { LoadTestEndpointMetrics } from '@ab-calicritters/core';

interface EndpointStats {
  histogram: hdr.Histogram;
  status_2xx: number;
  status_4xx: number;
  status_5xx: number;
  /** 1xx and 3xx: neither success nor an error of ours. */
  status_other: number;
  timeouts: number;
  transport_errors: number;
}

/** Percentiles kept in artifacts beside the stored p50/p95/p99. */
const REPORTED_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export interface EndpointSnapshot {
  endpoint: string;
  metrics: LoadTestEndpointMetrics;
  /** Latency in ms at each of {@link REPORTED_PERCENTILES}, keyed `p50`, `p99.9`, … */
  percentiles_ms: Record<string, number>;
  /** The histogram (µs), compressed, for merging or replotting later. */
  histogram_base64: string;
}

export interface EndpointRecorder {
  response(endpoint: string, status: number, latencyMs: number): void;
  timeout(endpoint: string): void;
  transportError(endpoint: string): void;
  /** Requests attempted so far and how many of them were errors, over every endpoint (progress display). */
  totals(): { requests: number; errors: number };
  /** Final metrics; `durationMs` is the measured length of the run. */
  snapshot(durationMs: number): EndpointSnapshot[];
  destroy(): void;
}

const ms = (micros: number) => Math.round(micros) / 1000;

/** A recorder with a (possibly empty) row for each of `endpoints`; other endpoints are added when seen. */
export function createEndpointRecorder(endpoints: readonly string[]): EndpointRecorder {
  const stats = new Map<string, EndpointStats>();
  const of = (endpoint: string): EndpointStats => {
    let entry = stats.get(endpoint);
    if (!entry) {
      entry = {
        histogram: hdr.build({
          lowestDiscernibleValue: 1,
          highestTrackableValue: 3_600_000_000,
          numberOfSignificantValueDigits: 3,
        }),
        status_2xx: 0,
        status_4xx: 0,
        status_5xx: 0,
        status_other: 0,
        timeouts: 0,
        transport_errors: 0,
      };
      stats.set(endpoint, entry);
    }
    return entry;
  };
  for (const endpoint of endpoints) of(endpoint);

  const requestsOf = (s: EndpointStats) =>
    s.status_2xx + s.status_4xx + s.status_5xx + s.status_other + s.timeouts + s.transport_errors;
  const errorsOf = (s: EndpointStats) => s.status_5xx + s.timeouts + s.transport_errors;

  return {
    response(endpoint, status, latencyMs) {
      const s = of(endpoint);
      if (status >= 200 && status < 300) s.status_2xx++;
      else if (status >= 400 && status < 500) s.status_4xx++;
      else if (status >= 500) s.status_5xx++;
      else s.status_other++;
      s.histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    },
    timeout(endpoint) {
      of(endpoint).timeouts++;
    },
    transportError(endpoint) {
      of(endpoint).transport_errors++;
    },
    totals() {
      let requests = 0;
      let errors = 0;
      for (const s of stats.values()) {
        requests += requestsOf(s);
        errors += errorsOf(s);
      }
      return { requests, errors };
    },
    snapshot(durationMs) {
      const seconds = Math.max(durationMs, 1) / 1000;
      return [...stats].map(([endpoint, s]) => {
        const requests = requestsOf(s);
        const h = s.histogram;
        const at = (p: number) => (h.totalCount === 0 ? 0 : ms(h.getValueAtPercentile(p)));
        const metrics: LoadTestEndpointMetrics = {
          endpoint,
          requests,
          rps: Math.round((requests / seconds) * 100) / 100,
          status_2xx: s.status_2xx,
          status_4xx: s.status_4xx,
          status_5xx: s.status_5xx,
          timeouts: s.timeouts,
          transport_errors: s.transport_errors,
          error_rate: requests === 0 ? 0 : Math.round((errorsOf(s) / requests) * 1e6) / 1e6,
          latency_p50_ms: at(50),
          latency_p95_ms: at(95),
          latency_p99_ms: at(99),
          latency_max_ms: h.totalCount === 0 ? 0 : ms(h.maxValue),
          latency_mean_ms: h.totalCount === 0 ? 0 : ms(h.mean),
        };
        const percentiles_ms = Object.fromEntries(REPORTED_PERCENTILES.map((p) => [`p${p}`, at(p)]));
        return { endpoint, metrics, percentiles_ms, histogram_base64: hdr.encodeIntoCompressedBase64(h) };
      });
    },
    destroy() {
      for (const s of stats.values()) s.histogram.destroy();
    },
  };
}
