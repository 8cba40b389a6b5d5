/** The advisory lock each rollup job takes, and who holds it when a run finds it taken. */
import type { SqlQuery } from '../storage/raw-query.js';
import { LOCK_HOLDER } from './rollup-sql.js';
import type { RollupJob } from './rollup-window.js';

/** Stable advisory-lock keys, one per job (arbitrary constants in our own namespace). */
export const ROLLUP_LOCK_KEYS: Readonly<Record<RollupJob, number>> = {
  daily: 720_001,
  experiments: 720_002,
  funnels: 720_003,
  metrics: 720_004,
};

/** The session holding a job's lock, as pg_stat_activity shows it. Times are ISO strings. */
export interface RollupLockHolder {
  pid: number;
  application_name: string;
  client_addr: string | null;
  /** `active`, `idle in transaction`, … */
  state: string | null;
  /** When the holder's transaction began: a transaction-level lock is held since then at the latest. */
  xact_start: string | null;
  query_start: string | null;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

/**
 * Looks the holder of `key` up in pg_locks × pg_stat_activity, through `query` (inside the run's transaction, whose
 * connection is the only one PGlite has). Undefined when nobody holds it any more, or the database cannot say.
 */
export async function findLockHolder(query: SqlQuery, key: number): Promise<RollupLockHolder | undefined> {
  const rows = await query(LOCK_HOLDER, [key]).catch(() => []);
  const row = rows[0];
  if (!row) return undefined;
  return {
    pid: Number(row.pid),
    application_name: String(row.application_name ?? ''),
    client_addr: row.client_addr === null || row.client_addr === undefined ? null : String(row.client_addr),
    state: row.state === null || row.state === undefined ? null : String(row.state),
    xact_start: iso(row.xact_start),
    query_start: iso(row.query_start),
  };
}

const seconds = (fromIso: string, now: Date) => Math.max(0, Math.round((now.getTime() - Date.parse(fromIso)) / 1000));

/** Who holds the lock, from where, since when and doing what: `'name' (pid 4242, from 10.0.0.5, since …, active)`. */
export function describeLockHolder(holder: RollupLockHolder, now = new Date()): string {
  const who = holder.application_name ? `'${holder.application_name}'` : 'a session without application_name';
  const details = [
    `pid ${holder.pid}`,
    holder.client_addr ? `from ${holder.client_addr}` : 'local socket',
    holder.xact_start ? `since ${holder.xact_start} (${seconds(holder.xact_start, now)} s)` : undefined,
    holder.state ?? undefined,
  ].filter(Boolean);
  return `${who} (${details.join(', ')})`;
}
