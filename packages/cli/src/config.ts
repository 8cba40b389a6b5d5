/** Environment configuration, validated once with messages that name the variable. */
import { randomBytes } from 'node:crypto';
import { CliError } from './cli-error.js';

export interface ServerConfig {
  databaseUrl?: string;
  dataDir?: string;
  port: number;
  host: string;
  adminToken: string;
  dashboardToken: string;
  /** CORS for our paths: `'*'`, a list of origins, or undefined for none. */
  corsOrigins?: '*' | string[];
  /** Which tokens were generated because the environment had none. */
  generatedTokens: Array<'ADMIN_TOKEN' | 'DASHBOARD_TOKEN'>;
}

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir?: string;
}

/** DATABASE_URL (PostgreSQL) or, when unset, the embedded database in DATA_DIR (default ./.data/pglite). */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new CliError('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded database)', 2);
  }
  return { databaseUrl, dataDir: env.DATA_DIR?.trim() || undefined };
}

function token(env: NodeJS.ProcessEnv, name: 'ADMIN_TOKEN' | 'DASHBOARD_TOKEN', generated: ServerConfig['generatedTokens']): string {
  const value = env[name]?.trim();
  if (value) {
    if (value.length < 8) throw new CliError(`${name} must be at least 8 characters`, 2);
    return value;
  }
  generated.push(name);
  return randomBytes(18).toString('base64url');
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
    ...readDatabaseConfig(env),
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    adminToken: token(env, 'ADMIN_TOKEN', generatedTokens),
    dashboardToken: token(env, 'DASHBOARD_TOKEN', generatedTokens),
    generatedTokens,
  };
}

/** CORS_ORIGINS: `*` (default: the client SDK in browsers needs it), `none`, or a comma-separated list of origins. */
function readCorsOrigins(raw: string | undefined): '*' | string[] | undefined {
  const value = raw?.trim() ?? '*';
  if (value === '' || value === '*') return '*';
  if (value === 'none') return undefined;
  const origins = value.split(',').map((o) => o.trim()).filter(Boolean);
  const bad = origins.find((o) => !/^https?:\/\/[^/]+$/.test(o));
  if (bad) throw new CliError(`CORS_ORIGINS must be '*', 'none' or origins like https://tools.example.com (got '${bad}')`, 2);
  return origins;
}
