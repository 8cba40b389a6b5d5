/** The data columns of a job's rollup rows (no run ids or timestamps), in a stable order, for idempotency checks. */
import type { Storage } from '../storage/storage-types.js';
import { SNAPSHOTS } from './rollup-sql.js';
import type { RollupJob } from './rollup-window.js';

/** One line per row, so two snapshots can be diffed as sets of lines. */
export async function rollupSnapshot(storage: Storage, job: RollupJob): Promise<string[]> {
  const rows = await storage.rollups.execute(SNAPSHOTS[job]);
  return rows.map((r) => JSON.stringify(r));
}
