/** `calicritters migrate`: apply pending migrations. */
import { createStorage } from '@ab-calicritters/server';
import type { DatabaseConfig } from '../config.js';

export interface MigrateResult {
  applied: string[];
  database: 'postgresql' | 'pglite';
}

export async function migrate(db: DatabaseConfig): Promise<MigrateResult> {
  // The one command that may create the database: every other one refuses a missing one (a misspelt DATABASE_URL).
  const storage = await createStorage({ ...db, createDatabase: true });
  try {
    return { applied: await storage.migrate(), database: storage.kind };
  } finally {
    await storage.close();
  }
}
