/** `calicritters migrate`: apply pending migrations. */
import { createStorage } from '@ab-calicritters/server';
import type { DatabaseConfig } from '../config.js';

export interface MigrateResult {
  applied: string[];
  database: 'postgresql' | 'pglite';
}

export async function migrate(db: DatabaseConfig): Promise<MigrateResult> {
  const storage = await createStorage(db);
  try {
    return { applied: await storage.migrate(), database: storage.kind };
  } finally {
    await storage.close();
  }
}
