/** `calicritters serve`: migrate, optionally seed, and listen. Resolves once listening; close() drains and exits. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEventPartitionScheduler,
  createMetrics,
  createRollupScheduler,
  DEFAULT_SCHEDULED_WINDOW_DAYS,
  createStorage,
  type Logger,
} from '@ab-calicritters/server';
import { readRollupStatementTimeout, storageOptions, type ServerConfig } from '../config.js';
import { isLoopbackHost } from '../loopback-host.js';
import { createStandaloneApp } from '../standalone-app.js';
import { enableGracefulClose } from '../graceful-close.js';
import { seedDemoEvents } from '../demo-events.js';
import { rollup } from './rollup.js';
import { seed } from './seed.js';

export interface RunningServer {
  url: string;
  /**
   * Stops accepting, answers in-flight requests with `Connection: close`, closes idle connections at once and the
   * rest at `config.shutdownTimeoutMs`, then closes storage.
   */
  close(): Promise<void>;
}

export interface ServeOptions {
  seed?: boolean;
  logger: Logger & { info(obj: unknown, msg?: string): void };
}

export async function serve(config: ServerConfig, options: ServeOptions): Promise<RunningServer> {
  const { logger } = options;
  const storage = await createStorage({ ...storageOptions(config), migrate: true });
  if (options.seed) {
    const result = await seed(storage);
    if (result.created.length > 0) logger.info({ created: result.created }, 'seeded demo definitions');
    const demo = await seedDemoEvents(storage);
    if (demo.generated) {
      const runs = await rollup(storage, { job: 'all', windowDays: DEFAULT_SCHEDULED_WINDOW_DAYS });
      logger.info(
        { users: demo.users, events: demo.events, rollup_rows: runs.reduce((n, r) => n + r.rows_written, 0) },
        'generated demo events and rolled them up',
      );
    }
  }
  // The dashboard page carries the token only when we made it up ourselves and nobody else can reach us.
  const injectDashboardToken = config.generatedTokens.includes('DASHBOARD_TOKEN') && isLoopbackHost(config.host);
  // Every ROLLUP_INTERVAL the trailing windows are recomputed; across servers one runs each job (advisory lock).
  const metrics = createMetrics();
  const rollups = createRollupScheduler(storage, {
    intervalMs: config.rollupIntervalMs ?? 0,
    logger,
    statementTimeoutMs: readRollupStatementTimeout(),
    metrics,
  });
  // At start and daily: the event log's day partitions ahead, and EVENT_RETENTION_DAYS (one server does each run).
  const eventPartitions = createEventPartitionScheduler(storage, {
    retentionDays: config.eventRetentionDays ?? 0,
    logger,
  });
  const app = createStandaloneApp({
    storage,
    rollups,
    adminToken: config.adminToken,
    dashboardToken: config.dashboardToken,
    previousTokens: config.previousTokens,
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit,
    logger,
    injectDashboardToken,
    metricsToken: config.metricsToken,
    metrics,
  });
  const server = createServer(app.callback());
  // Keep-alive longer than typical load balancer idle timeouts, so they never reuse a socket we closed.
  server.keepAliveTimeout = 65_000;
  const closeServer = enableGracefulClose(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  rollups.start();
  eventPartitions.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  logger.info(
    { url, database: storage.kind },
    `AB Calicritters listening on ${url} (${storage.kind === 'pglite' ? 'embedded database' : 'PostgreSQL'})`,
  );
  logger.info(
    { dashboard: `${url}/dashboard` },
    `Dashboard: ${url}/dashboard${injectDashboardToken ? '' : ' (asks for DASHBOARD_TOKEN)'}`,
  );
  for (const name of config.generatedTokens) {
    const value = name === 'ADMIN_TOKEN' ? config.adminToken : config.dashboardToken;
    logger.info({ [name]: value }, `${name} was not set; generated one for this run: ${value}`);
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        const { forced } = await closeServer(config.shutdownTimeoutMs);
        if (forced > 0)
          logger.warn?.({ connections: forced }, `closed ${forced} connection(s) still busy after SHUTDOWN_TIMEOUT_MS`);
        // A running rollup is cancelled (rolled back, recorded as failed) before its storage goes away.
        await rollups.stop();
        await eventPartitions.stop();
        await storage.close();
      })();
      return closing;
    },
  };
}
