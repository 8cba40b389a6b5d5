/** The `Storage` interface: what the routers, the rollup jobs and the CLI may ask of the database, and nothing more. */
import type { createAssignmentStore } from './assignment-store.js';
import type { AuditStore } from './audit-store.js';
import type { createEventStore } from './event-store.js';
import type { createEventPartitionStore } from './event-partitions.js';
import type { createExperimentStore } from './experiment-store.js';
import type { createFunnelStore } from './funnel-store.js';
import type { createHoldoutStore } from './holdout-store.js';
import type { LoadTestStore } from './load-test-store.js';
import type { createOverrideStore } from './override-store.js';
import type { createRollupStore } from './rollup-store.js';
import type { createSavedGroupStore } from './saved-group-store.js';
import type { createMetricStore } from './metric-store.js';

/** Which database is behind a {@link Storage}. */
export type StorageKind = 'postgresql' | 'pglite';

/**
 * Opened storage, from `createStorage()`: one object over the database, on PostgreSQL or embedded PGlite. The ORM
 * behind it is not part of it: SQL lives in the stores (and the rollup jobs' statements in rollups/rollup-sql.ts).
 */
export interface Storage {
  /** Which database is behind it: PGlite has one connection and no server-side session limits. */
  readonly kind: StorageKind;
  /** Experiment definitions: create, update, archive, read by key, list. */
  readonly experiments: ReturnType<typeof createExperimentStore>;
  /** Funnel definitions: create, update, archive, read by name, list. */
  readonly funnels: ReturnType<typeof createFunnelStore>;
  /** Sticky assignments: the first variant a user got in an experiment, kept for good. */
  readonly assignments: ReturnType<typeof createAssignmentStore>;
  /** The raw event log: batched, idempotent inserts by event id. */
  readonly events: ReturnType<typeof createEventStore>;
  /** Day partitions of the event log: the days ahead, and the retention (docs/OPERATIONS.md#partitioned-event-log). */
  readonly eventPartitions: ReturnType<typeof createEventPartitionStore>;
  /** Load-test runs, their endpoint metrics and data checks, and the queries behind those checks. */
  readonly loadTests: LoadTestStore;
  /** Reads of the rollup tables, and the transaction the rollup jobs run their statements in. */
  readonly rollups: ReturnType<typeof createRollupStore>;
  /** QA overrides: a forced variant per experiment and user, optionally expiring. */
  readonly overrides: ReturnType<typeof createOverrideStore>;
  /** Holdouts: stable shares of users kept out of some experiments or all; archived, never deleted. */
  readonly holdouts: ReturnType<typeof createHoldoutStore>;
  /** Saved groups: lists of attribute values that `$inGroup` / `$notInGroup` conditions name by key. */
  readonly savedGroups: ReturnType<typeof createSavedGroupStore>;
  /** The metric catalog: metrics experiments are analysed on; archived, never deleted. */
  readonly metrics: ReturnType<typeof createMetricStore>;
  /** The admin audit log: appended after each admin change, read newest first. */
  readonly audit: AuditStore;
  /** Applies pending migrations; resolves the names applied. */
  migrate(): Promise<string[]>;
  /** End of the newest successful run of each of `jobs` that ever succeeded (one index lookup per job). */
  lastRollupSuccesses(jobs: readonly string[]): Promise<Array<{ job: string; ended_at: string }>>;
  /** Connections of the pool in use, idle, waited for, and its size (PGlite: its one connection). */
  poolUsage(): { used: number; free: number; pending: number; max: number };
  /** Resolves true when a trivial query succeeds within `timeoutMs` (default 2000). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes what this storage opened (pool, embedded database, data-dir lock); a borrowed ORM is left to its owner. */
  close(): Promise<void>;
}
