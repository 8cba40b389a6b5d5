/** Environment configuration, validated once with messages that name the variable. */
import { randomBytes } from 'node:crypto';
import {
  RateLimitOptionError,
  resolveRateLimit,
  type RateLimitBudgets,
  type RateLimitOptions,
  type StorageOptions,
} from '@ab-calicritters/server';
import { CliError } from './cli-error.js';

export interface ServerConfig extends DatabaseConfig {
  databaseUrl?: string;
  dataDir?: string;
  port: number;
  host: string;
  adminToken: string;
  dashboardToken: string;
  /** Tokens still accepted during a rotation (ADMIN_TOKEN_PREVIOUS, DASHBOARD_TOKEN_PREVIOUS); see docs/SECURITY.md. */
  previousTokens?: { admin?: string; dashboard?: string };
  /** CORS for our paths: `'*'`, a list of origins, or undefined for none. */
  corsOrigins?: '*' | string[];
  /** Rate limits of the public write endpoints (RATE_LIMIT_*, REDIS_URL, TRUST_PROXY), or false (RATE_LIMIT=off). */
  rateLimit?: false | RateLimitOptions;
  /** Which tokens were generated because the environment had none. */
  generatedTokens: Array<'ADMIN_TOKEN' | 'DASHBOARD_TOKEN'>;
  /** How long shutdown waits for in-flight requests before closing their connections (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** Pause between scheduled rollup rounds, ms (ROLLUP_INTERVAL, in minutes); 0 or unset: no schedule. */
  rollupIntervalMs?: number;
  /** Bearer token of `GET /metrics` (METRICS_TOKEN); without it the endpoint is disabled. */
  metricsToken?: string;
  /** Days of events kept (EVENT_RETENTION_DAYS); 0: keep everything. */
  eventRetentionDays?: number;
}

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL session limits in ms (DB_*_MS); unset: the storage defaults. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  connectionCheckIntervalMs?: number;
}

const MAX_MS = 2_147_483_647;

/** An optional millisecond setting: an integer from 0 to PostgreSQL's 32-bit limit. */
function readMs(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > MAX_MS) {
    throw new CliError(`${name} must be an integer number of milliseconds from 0 to ${MAX_MS} (got '${raw}')`, 2);
  }
  return value;
}

/**
 * DATABASE_URL (PostgreSQL) or, when unset, the embedded database in DATA_DIR (default ./.data/pglite); the
 * PostgreSQL timeouts DB_STATEMENT_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS and
 * DB_CONNECTION_CHECK_INTERVAL_MS.
 */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new CliError(
      'DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded database)',
      2,
    );
  }
  return {
    databaseUrl,
    dataDir: env.DATA_DIR?.trim() || undefined,
    statementTimeoutMs: readMs(env, 'DB_STATEMENT_TIMEOUT_MS'),
    lockTimeoutMs: readMs(env, 'DB_LOCK_TIMEOUT_MS'),
    idleInTransactionTimeoutMs: readMs(env, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
    connectionCheckIntervalMs: readMs(env, 'DB_CONNECTION_CHECK_INTERVAL_MS'),
  };
}

/** The createStorage options a database configuration stands for. */
export function storageOptions(db: DatabaseConfig): StorageOptions {
  const {
    databaseUrl,
    dataDir,
    statementTimeoutMs,
    lockTimeoutMs,
    idleInTransactionTimeoutMs,
    connectionCheckIntervalMs,
  } = db;
  return {
    databaseUrl,
    dataDir,
    statementTimeoutMs,
    lockTimeoutMs,
    idleInTransactionTimeoutMs,
    connectionCheckIntervalMs,
  };
}

const MAX_RETENTION_DAYS = 36_600;

/**
 * EVENT_RETENTION_DAYS: days of events kept, today included; older day partitions are dropped (PGlite: old rows
 * deleted) by `serve` daily and by `migrate`. 0 or unset: keep everything. See docs/OPERATIONS.md#partitioned-event-log.
 */
export function readEventRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.EVENT_RETENTION_DAYS?.trim() || '0';
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_RETENTION_DAYS) {
    throw new CliError(
      `EVENT_RETENTION_DAYS must be a whole number of days from 0 (keep everything) to ${MAX_RETENTION_DAYS} (got '${raw}')`,
      2,
    );
  }
  return Number(raw);
}

/** ROLLUP_STATEMENT_TIMEOUT_MS: per-statement limit of rollup runs (unset: runRollup's default, 30 minutes). */
export function readRollupStatementTimeout(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return readMs(env, 'ROLLUP_STATEMENT_TIMEOUT_MS');
}

function token(
  env: NodeJS.ProcessEnv,
  name: 'ADMIN_TOKEN' | 'DASHBOARD_TOKEN',
  generated: ServerConfig['generatedTokens'],
): string {
  const value = env[name]?.trim();
  if (value) {
    if (value.length < 8) throw new CliError(`${name} must be at least 8 characters`, 2);
    return value;
  }
  generated.push(name);
  // base64url may start with '-': `--admin-token $TOKEN` would then read the token as a flag. A letter instead costs
  // under one bit of the 144.
  const random = randomBytes(18).toString('base64url');
  return random.startsWith('-') ? `t${random.slice(1)}` : random;
}

/** An optional token, at least 8 characters: one still accepted during a rotation, or METRICS_TOKEN. */
function previousToken(
  env: NodeJS.ProcessEnv,
  name: 'ADMIN_TOKEN_PREVIOUS' | 'DASHBOARD_TOKEN_PREVIOUS' | 'METRICS_TOKEN',
): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (value.length < 8) throw new CliError(`${name} must be at least 8 characters`, 2);
  return value;
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const rawPort = env.PORT?.trim() || '3000';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`PORT must be an integer from 0 to 65535 (got '${rawPort}')`, 2);
  }
  const generatedTokens: ServerConfig['generatedTokens'] = [];
  return {
    corsOrigins: readCorsOrigins(env.CORS_ORIGINS),
    rateLimit: readRateLimit(env),
    ...readDatabaseConfig(env),
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    adminToken: token(env, 'ADMIN_TOKEN', generatedTokens),
    dashboardToken: token(env, 'DASHBOARD_TOKEN', generatedTokens),
    previousTokens: {
      admin: previousToken(env, 'ADMIN_TOKEN_PREVIOUS'),
      dashboard: previousToken(env, 'DASHBOARD_TOKEN_PREVIOUS'),
    },
    generatedTokens,
    shutdownTimeoutMs: readShutdownTimeout(env.SHUTDOWN_TIMEOUT_MS),
    rollupIntervalMs: readRollupInterval(env.ROLLUP_INTERVAL),
    metricsToken: previousToken(env, 'METRICS_TOKEN'),
    eventRetentionDays: readEventRetentionDays(env),
  };
}

const MAX_SHUTDOWN_MS = 3_600_000;

/** SHUTDOWN_TIMEOUT_MS: default 10 s, below the 30 s after which orchestrators usually send SIGKILL. */
function readShutdownTimeout(raw: string | undefined): number {
  const value = raw?.trim() || '10000';
  if (!/^\d+$/.test(value) || Number(value) > MAX_SHUTDOWN_MS) {
    throw new CliError(
      `SHUTDOWN_TIMEOUT_MS must be an integer number of milliseconds from 0 to ${MAX_SHUTDOWN_MS} (got '${value}')`,
      2,
    );
  }
  return Number(value);
}

const MAX_ROLLUP_INTERVAL_MINUTES = 1440;

/** ROLLUP_INTERVAL: minutes between scheduled rollup rounds (default 5; 0 turns the schedule off; fractions allowed). */
function readRollupInterval(raw: string | undefined): number {
  const value = raw?.trim() || '5';
  const minutes = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || minutes > MAX_ROLLUP_INTERVAL_MINUTES) {
    throw new CliError(
      `ROLLUP_INTERVAL must be a number of minutes from 0 (off) to ${MAX_ROLLUP_INTERVAL_MINUTES} (got '${value}')`,
      2,
    );
  }
  return Math.round(minutes * 60_000);
}

/** CORS_ORIGINS: `*` (default: the client SDK in browsers needs it), `none`, or a comma-separated list of origins. */
function readCorsOrigins(raw: string | undefined): '*' | string[] | undefined {
  const value = raw?.trim() ?? '*';
  if (value === '' || value === '*') return '*';
  if (value === 'none') return undefined;
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const bad = origins.find((o) => !/^https?:\/\/[^/]+$/.test(o));
  if (bad)
    throw new CliError(`CORS_ORIGINS must be '*', 'none' or origins like https://tools.example.com (got '${bad}')`, 2);
  return origins;
}

/** The variable of each rate-limit budget. */
const RATE_LIMIT_ENV: Record<keyof RateLimitBudgets, string> = {
  windowSeconds: 'RATE_LIMIT_WINDOW_SECONDS',
  assignmentsPerIp: 'RATE_LIMIT_ASSIGNMENTS_PER_IP',
  eventRequestsPerIp: 'RATE_LIMIT_EVENT_REQUESTS_PER_IP',
  eventsPerIp: 'RATE_LIMIT_EVENTS_PER_IP',
  eventBytesPerIp: 'RATE_LIMIT_EVENT_BYTES_PER_IP',
  assignmentsPerUser: 'RATE_LIMIT_ASSIGNMENTS_PER_USER',
  eventsPerUser: 'RATE_LIMIT_EVENTS_PER_USER',
};

/**
 * RATE_LIMIT (`on`, the default, or `off`); the budgets RATE_LIMIT_* (defaults and reasoning in
 * docs/OPERATIONS.md#rate-limits); REDIS_URL to share the counts between instances; TRUST_PROXY (`false`, the
 * default, `true`, or the number of proxies in front) to read the client address from X-Forwarded-For.
 */
export function readRateLimit(env: NodeJS.ProcessEnv = process.env): false | RateLimitOptions {
  const onOff = env.RATE_LIMIT?.trim().toLowerCase() || 'on';
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(onOff)) {
    throw new CliError(`RATE_LIMIT must be 'on' or 'off' (got '${env.RATE_LIMIT}')`, 2);
  }
  if (['off', 'false', '0'].includes(onOff)) return false;
  const options: RateLimitOptions = { trustProxy: readTrustProxy(env.TRUST_PROXY) };
  for (const [option, name] of Object.entries(RATE_LIMIT_ENV) as [keyof RateLimitBudgets, string][]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (!/^\d+$/.test(raw)) throw new CliError(`${name} must be a whole number (got '${raw}')`, 2);
    options[option] = Number(raw);
  }
  const redis = env.REDIS_URL?.trim();
  if (redis) options.redis = redis;
  try {
    resolveRateLimit(options);
  } catch (error) {
    if (!(error instanceof RateLimitOptionError)) throw error;
    const names: Record<string, string> = { ...RATE_LIMIT_ENV, redis: 'REDIS_URL', trustProxy: 'TRUST_PROXY' };
    throw new CliError(`${names[error.option] ?? 'RATE_LIMIT'} ${error.requirement}`, 2);
  }
  return options;
}

/** TRUST_PROXY: `false`/`0` (unset), `true` (one proxy) or the number of proxies whose X-Forwarded-For entries count. */
function readTrustProxy(raw: string | undefined): boolean | number {
  const value = raw?.trim().toLowerCase() || 'false';
  if (value === 'false' || value === 'off') return false;
  if (value === 'true' || value === 'on') return true;
  if (/^\d+$/.test(value)) return Number(value);
  throw new CliError(
    `TRUST_PROXY must be false, true or the number of proxies in front of the server (got '${raw}')`,
    2,
  );
}

/** A running server to send admin commands to, instead of opening the database. */
export interface AdminApiConfig {
  url: string;
  token: string;
}

/**
 * `--url` (or CALICRITTERS_URL) and the admin token from `--admin-token` (or ADMIN_TOKEN); undefined when no URL
 * is given, which means: open the database directly.
 */
export function readAdminApiConfig(
  flags: { url?: string; adminToken?: string },
  env: NodeJS.ProcessEnv = process.env,
): AdminApiConfig | undefined {
  const fromFlag = flags.url?.trim();
  const raw = fromFlag || env.CALICRITTERS_URL?.trim();
  if (!raw) return undefined;
  const name = fromFlag ? '--url' : 'CALICRITTERS_URL';
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new CliError(
      `${name} must be the http:// or https:// base URL of a running server, e.g. http://localhost:3000 (got '${raw}')`,
      2,
    );
  }
  const token = flags.adminToken?.trim() || env.ADMIN_TOKEN?.trim();
  if (!token) throw new CliError(`${name} needs the server's admin token: set ADMIN_TOKEN (or pass --admin-token)`, 2);
  return { url: raw.replace(/\/+$/, ''), token };
}
