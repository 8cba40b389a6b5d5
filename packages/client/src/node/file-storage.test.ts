import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStorage } from './file-storage.js';

test('file storage creates its directory, round-trips values and survives a new instance', async () => {
  const root = await mkdtemp(join(tmpdir(), 'abcc-file-'));
  try {
    const dir = join(root, 'nested', 'state');
    const storage = createFileStorage(dir);
    assert.is(await storage.getItem('abcc:queue'), null);
    await storage.setItem('abcc:queue', '{"head":3}');
    await storage.setItem('abcc:assignments:a/b\\c..', 'x');
    assert.is(await createFileStorage(dir).getItem('abcc:queue'), '{"head":3}');
    assert.is(await storage.getItem('abcc:assignments:a/b\\c..'), 'x');
    await storage.removeItem('abcc:queue');
    await storage.removeItem('abcc:queue');
    assert.is(await storage.getItem('abcc:queue'), null);
    const files = await readdir(dir);
    assert.is(files.length, 1, 'one flat file per key, no temp files left');
    assert.not.ok(files.some((f) => f.endsWith('.tmp')));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('concurrent writes of one key leave one of the values, never a torn file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'abcc-file-'));
  try {
    const storage = createFileStorage(root);
    const values = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(10_000) }));
    await Promise.all(values.map((v) => storage.setItem('k', v)));
    assert.ok(values.includes((await storage.getItem('k'))!));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('an empty directory is a configuration error', () => {
  assert.throws(() => createFileStorage(''), /directory/);
});

test.run();
