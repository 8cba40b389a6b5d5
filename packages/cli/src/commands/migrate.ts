/**
 * `calicritters migrate`: apply pending migrations, then maintain the event log's day partitions (the days ahead, and
 * EVENT_RETENTION_DAYS): run daily, it does for a host app what `serve` does on its own.
 */
import { createStorage, type EventPartitionResult } from '@ab-calicritters/server';
import { readEventRetentionDays, type DatabaseConfig } from '../config.js';

export interface MigrateResult {
  applied: string[];
  database: 'postgresql' | 'pglite';
  /** What partition maintenance did. */
  partitions: EventPartitionResult;
}

/** `retentionDays`: days of events kept (default: EVENT_RETENTION_DAYS; 0 keeps everything). */
export async function migrate(db: DatabaseConfig, options: { retentionDays?: number } = {}): Promise<MigrateResult> {
  const retentionDays = options.retentionDays ?? readEventRetentionDays();
  // The one command that may create the database: every other one refuses a missing one (a misspelt DATABASE_URL).
  const storage = await createStorage({ ...db, createDatabase: true });
  try {
    const applied = await storage.migrate();
    const partitions = await storage.eventPartitions.maintain({ retentionDays });
    return { applied, database: storage.kind, partitions };
  } finally {
    await storage.close();
  }
}
