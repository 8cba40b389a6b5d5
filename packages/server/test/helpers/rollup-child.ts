/**
 * A daily rollup in a process of its own, for tests that SIGKILL it mid-query.
 * Args: database URL, reference time (ISO). Prints `started` once storage is open.
 */
import { runRollup } from '../../src/rollups/run-rollup.js';
import { createStorage } from '../../src/storage/storage.js';

const [url, now] = process.argv.slice(2);
const storage = await createStorage({ databaseUrl: url });
process.stdout.write('started\n');
await runRollup(storage, 'daily', { windowDays: 1, full: true, now: new Date(now ?? Date.now()) });
await storage.close();
