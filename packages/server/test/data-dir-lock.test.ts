import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { acquireDataDirLock, createStorage, DataDirLockedError, type Storage } from '../src/index.js';

// Temp directories on PGlite whatever TEST_DB says: the lock is about the embedded database on disk.
const helper = new URL('./helpers/hold-data-dir.ts', import.meta.url).pathname;
const it = suite<{ root: string; children: ChildProcess[] }>('embedded data dir lock');
it.before((ctx) => {
  ctx.root = mkdtempSync(join(tmpdir(), 'abc-lock-'));
  ctx.children = [];
});
it.after(({ root, children }) => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Starts a child that takes the lock; resolves with the child and its first line ('held' or 'refused <code>'). */
function holdInChild(
  ctx: { children: ChildProcess[] },
  dataDir: string,
  goAt = 0,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', helper, dataDir, String(goAt)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  ctx.children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, line }));
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

/** Every file under a directory with its size and modification time. */
function snapshot(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const stat = statSync(join(dir, name));
      return `${name} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

async function refusal(open: () => Promise<unknown>): Promise<DataDirLockedError> {
  try {
    await open();
  } catch (error) {
    assert.instance(error, DataDirLockedError);
    assert.is((error as DataDirLockedError).code, 'data_dir_locked');
    return error as DataDirLockedError;
  }
  assert.unreachable('expected DataDirLockedError');
  throw new Error('unreachable');
}

it('a second open of the same data dir in this process is refused; after close it opens again', async ({ root }) => {
  const dataDir = join(root, 'same-process');
  let first: Storage | undefined = await createStorage({ dataDir });
  try {
    assert.ok(existsSync(`${dataDir}.lock`), 'the lock file sits beside the data dir');
    const before = snapshot(dataDir);
    // Another spelling of the same directory meets the same lock.
    const error = await refusal(() => createStorage({ dataDir: `${join(root, '.', 'x', '..', 'same-process')}/` }));
    assert.match(error.message, /already open in this process/);
    assert.is(error.holder.pid, process.pid);
    assert.equal(snapshot(dataDir), before, 'nothing written when refused');
    await first.close();
    first = undefined;
    assert.not.ok(existsSync(`${dataDir}.lock`), 'close removes the lock file');
    first = await createStorage({ dataDir });
  } finally {
    await first?.close();
  }
});

it('a data dir held by another process is refused with its pid and command, and nothing is written', async (ctx) => {
  const fresh = join(ctx.root, 'never-created');
  const existing = join(ctx.root, 'same-process');
  for (const dataDir of [fresh, existing]) {
    const { child, line } = await holdInChild(ctx, dataDir);
    assert.is(line, 'held');
    const before = snapshot(dataDir);
    const error = await refusal(() => createStorage({ dataDir, migrate: true }));
    assert.is(error.holder.pid, child.pid);
    assert.ok(error.message.includes(`pid ${child.pid}`), error.message);
    assert.match(error.message, /hold-data-dir\.ts/);
    assert.match(error.message, /--url/);
    assert.match(error.message, /DATABASE_URL/);
    assert.equal(snapshot(dataDir), before, 'nothing written when refused');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  assert.not.ok(existsSync(fresh), 'a refused open does not even create the data dir');
});

it('a lock left by a dead process, or an unreadable one, is taken over', async ({ root }) => {
  // The SIGKILLed holders of the previous test left their lock files behind.
  const dataDir = join(root, 'never-created');
  const stale = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')) as { pid: number };
  assert.is.not(stale.pid, process.pid);
  const lock = acquireDataDirLock(dataDir);
  assert.is((JSON.parse(readFileSync(lock.file, 'utf8')) as { pid: number }).pid, process.pid);
  lock.release();

  writeFileSync(`${dataDir}.lock`, 'not json');
  acquireDataDirLock(dataDir).release();
  assert.not.ok(existsSync(`${dataDir}.lock`));
});

it('of several processes taking over one stale lock at once, exactly one wins', async (ctx) => {
  const dataDir = join(ctx.root, 'race');
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 1, command: 'gone', started_at: 'long ago' }));
  const goAt = Date.now() + 2500;
  const results = await Promise.all([1, 2, 3].map(() => holdInChild(ctx, dataDir, goAt)));
  assert.equal(results.map((r) => r.line).sort(), ['held', 'refused data_dir_locked', 'refused data_dir_locked']);
  const winner = results.find((r) => r.line === 'held')?.child;
  assert.is((JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')) as { pid: number }).pid, winner?.pid);
});

it.run();
