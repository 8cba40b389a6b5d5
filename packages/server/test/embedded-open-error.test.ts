/** A damaged embedded data dir fails to open with a message naming the directory and what to do, not a bare wasm abort. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../src/index.js';

test('a damaged data dir: the error names the directory and the way out, with the original as cause', async () => {
  const root = mkdtempSync(join(tmpdir(), 'abc-damaged-'));
  const dataDir = join(root, 'pglite');
  try {
    const storage = await createStorage({ dataDir, migrate: true });
    await storage.close();
    writeFileSync(join(dataDir, 'global', 'pg_control'), 'not a control file');
    const error = await createStorage({ dataDir }).then(
      (): Error => assert.unreachable('opened a damaged data dir') as never,
      (e: unknown) => e as Error,
    );
    assert.match(
      error.message,
      new RegExp(`embedded database in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be opened`),
    );
    assert.match(error.message, /Restore it from a backup, or move the directory aside/);
    assert.is((error.cause as Error).name, 'RuntimeError');
    // The lock was released: a healthy directory in the same place opens again.
    rmSync(dataDir, { recursive: true, force: true });
    const fresh = await createStorage({ dataDir, migrate: true });
    await fresh.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
