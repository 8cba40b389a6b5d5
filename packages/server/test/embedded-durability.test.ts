/**
 * The embedded database keeps every write it acknowledged when its process dies without closing it (`kill -9`, a
 * crash, the OOM killer): a commit has reached the data directory's files (the kernel's cache) before the store's
 * promise resolves. Temp directories on PGlite whatever TEST_DB says: this is about the embedded database on disk.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createStorage } from '../src/index.js';
import { testSql } from '../src/testing.js';

const writer = new URL('./helpers/embedded-writer.ts', import.meta.url).pathname;
/** Event batches the writer must have acknowledged before it is killed, mid-stream. */
const ACKNOWLEDGED_BATCHES = 25;

test('every assignment and event batch acknowledged before a kill -9 is there after reopening', async () => {
  const root = mkdtempSync(join(tmpdir(), 'abc-durability-'));
  const dataDir = join(root, 'pglite');
  const assigned: string[] = [];
  const withEvents: string[] = [];
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [what, user = ''] = line.split(' ');
      if (what === 'assigned') assigned.push(user);
      if (what === 'events') withEvents.push(user);
      // Killed at once, in the middle of its next write.
      if (withEvents.length === ACKNOWLEDGED_BATCHES) child.kill('SIGKILL');
    });
    assert.is(await exited, 'SIGKILL', 'the writer was killed, not closed');
    assert.ok(withEvents.length >= ACKNOWLEDGED_BATCHES, `acknowledged ${withEvents.length} batches`);

    // The dead writer's lock is stale: this open takes it over.
    const storage = await createStorage({ dataDir });
    try {
      const users = await testSql<{ user_id: string }>(
        storage,
        'select distinct user_id from assignments where user_id = any(?::text[])',
        [`{${assigned.join(',')}}`],
      );
      assert.equal(users.map((r) => r.user_id).sort(), [...assigned].sort(), 'every acknowledged assignment');
      const counts = await testSql<{ user_id: string; n: number }>(
        storage,
        'select user_id, count(*)::int as n from event_logs where user_id = any(?::text[]) group by user_id',
        [`{${withEvents.join(',')}}`],
      );
      assert.equal(
        counts.map((r) => `${r.user_id} ${r.n}`).sort(),
        withEvents.map((user) => `${user} 3`).sort(),
        'every acknowledged event batch, whole',
      );
    } finally {
      await storage.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
