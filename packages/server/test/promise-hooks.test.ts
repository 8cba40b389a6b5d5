/**
 * A running server keeps Node's promise hooks off: none of its writes enters an AsyncLocalStorage (MikroORM's
 * `transactional()` and `flush()` do), which on Node 20 would keep a hook on every promise of the process, every
 * request's included. In a child process: the test runner's other files may have entered one in this process.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const CHILD = fileURLToPath(new URL('./helpers/server-writes-child.ts', import.meta.url));

test('after admin writes of every kind, partition maintenance and a rollup, promise continuations run untracked', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD], {
    env: process.env,
    timeout: 120_000,
  });
  const { before, after } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { before: number; after: number };
  assert.is(before, 0, 'the child starts with promise hooks off');
  assert.is(after, 0, 'promise hooks are still off after the writes');
});

test.run();
