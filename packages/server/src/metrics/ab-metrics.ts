/**
 * Prometheus metrics of one router, in a registry of its own (never prom-client's global one), so two routers in one
 * process never collide. Labels are bounded: a route is its path template (`/v1/admin/experiments/:key`), never the
 * raw URL, and paths no route matched are not counted at all.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ROLLUP_JOBS, type RollupJob } from '../rollups/rollup-window.js';
import type { Storage } from '../storage/storage-types.js';

export interface MetricsOptions {
  /** Registry to register in (a host's own, to expose ours with its metrics). Default: a new one. */
  registry?: Registry;
  /** Also collect prom-client's default process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  /** Prefix of every metric name. Default `ab_`. */
  prefix?: string;
}

/** How a rollup run ended, as the `outcome` label of `ab_rollup_duration_seconds`. */
export type RollupOutcome = 'succeeded' | 'failed' | 'busy' | 'cancelled';

/** The metrics of a router, from {@link createMetrics}; pass it as `createAbRouter({ metrics })`. */
export interface AbMetrics {
  /** The registry every metric is in; `registry.metrics()` is the Prometheus text. */
  readonly registry: Registry;
  /** Records one rollup run (the rollup jobs call it when given `metrics`). */
  observeRollup(job: RollupJob, outcome: RollupOutcome, seconds: number): void;
}

/** The instruments behind {@link AbMetrics}, for the routers. */
export interface MetricsInstruments extends AbMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly events: Counter<'result'>;
  readonly assignments: Counter<'kind'>;
  /** Reads the gauges that come from storage (last rollup, pool) at each scrape. */
  watch(storage: Storage): void;
}

const instruments = new WeakMap<AbMetrics, MetricsInstruments>();

/** The instruments of metrics made by {@link createMetrics}; throws for anything else. */
export function metricsInstruments(metrics: AbMetrics): MetricsInstruments {
  const found = instruments.get(metrics);
  if (!found) throw new Error('metrics must come from createMetrics()');
  return found;
}

/**
 * Creates the metrics of one router: requests per route and status, events, assignments, rollup runs and freshness,
 * database pool usage, and the default process metrics.
 * @example const metrics = createMetrics(); const ab = createAbRouter({ storage, metrics });
 * app.use(metricsMiddleware(metrics, { token: process.env.METRICS_TOKEN }));
 */
export function createMetrics(options: MetricsOptions = {}): AbMetrics {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'ab_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(`${prefix}x`)) throw new Error(`metrics prefix '${prefix}' is not valid`);
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  let storage: Storage | undefined;

  const rollupSeconds = new Histogram({
    name: `${prefix}rollup_duration_seconds`,
    help: 'Duration of rollup runs, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers,
  });
  const metrics: MetricsInstruments = {
    registry,
    requests: new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    requestSeconds: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request latency, by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    events: new Counter({
      name: `${prefix}events_total`,
      help: 'Events received by POST /v1/events, by result (accepted, duplicate, rejected)',
      labelNames: ['result'] as const,
      registers,
    }),
    assignments: new Counter({
      name: `${prefix}assignments_total`,
      help: 'Assignments answered by POST /v1/assignment, by kind (new: stored now, returning: stored before)',
      labelNames: ['kind'] as const,
      registers,
    }),
    observeRollup(job, outcome, seconds) {
      rollupSeconds.observe({ job, outcome }, seconds);
    },
    watch(watched) {
      storage = watched;
    },
  };
  new Gauge({
    name: `${prefix}rollup_last_success_age_seconds`,
    help: 'Seconds since the last successful run of each rollup job (any instance), from rollup_runs',
    labelNames: ['job'] as const,
    registers,
    async collect() {
      this.reset();
      if (!storage) return;
      const now = Date.now();
      // A database that does not answer must not fail the whole scrape; the gauge is then absent.
      const runs = await storage.lastRollupSuccesses(ROLLUP_JOBS).catch(() => []);
      for (const { job, ended_at } of runs) this.set({ job }, Math.max(0, (now - Date.parse(ended_at)) / 1000));
    },
  });
  const pool = (name: string, help: string, read: (usage: PoolUsage) => number) =>
    new Gauge({
      name: `${prefix}db_pool_${name}`,
      help,
      registers,
      collect() {
        const usage = storage?.poolUsage();
        if (usage) this.set(read(usage));
      },
    });
  pool('connections_used', 'Database pool connections in use', (u) => u.used);
  pool('connections_free', 'Database pool connections idle', (u) => u.free);
  pool('pending_acquires', 'Requests waiting for a database pool connection', (u) => u.pending);
  pool('connections_max', 'Largest size of the database pool', (u) => u.max);

  instruments.set(metrics, metrics);
  return metrics;
}

/** Usage of the database connection pool. */
interface PoolUsage {
  used: number;
  free: number;
  pending: number;
  max: number;
}
