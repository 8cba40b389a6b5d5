/**
 * Run as a child process: opens the embedded database in a data dir and writes until it is killed, printing a line
 * after each write the storage acknowledged: `assigned <user>` (a first-time user's sticky rows) and
 * `events <user>` (a batch of that user's events), after `ready <experiment id>`.
 */
import { randomUUID } from 'node:crypto';
import { createStorage } from '../../src/storage/storage.js';

const [dataDir = ''] = process.argv.slice(2);
const storage = await createStorage({ dataDir, migrate: true });
await storage.experiments.create({
  key: 'crash_probe',
  status: 'running',
  variants: [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5 },
  ],
});
const { id } = (await storage.experiments.listWithIds())[0]!;
console.log(`ready ${id}`);
for (let n = 0; ; n++) {
  const user = `crash-user-${n}`;
  await storage.assignments.upsertSticky(user, [{ experiment_id: id, variant: 'control' }]);
  console.log(`assigned ${user}`);
  const at = new Date().toISOString();
  const events = [1, 2, 3].map((i) => ({
    event_id: randomUUID(),
    user_id: user,
    name: `step_${i}`,
    client_timestamp: at,
    occurred_at: at,
    properties: { i },
  }));
  await storage.events.insertBatch(events);
  console.log(`events ${user}`);
}
