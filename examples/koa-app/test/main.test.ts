/**
 * The example as a person runs it: `pnpm start` (its own process, on the embedded database), then Ctrl-C, which a
 * terminal sends to the whole process group. The tokens it prints are the ones it uses, none is fixed in the code,
 * and Ctrl-C ends it cleanly: exit code 0, no "pnpm recursive run failed". The process always opens an embedded
 * database of its own, so this runs in one pass of the suite (not again with TEST_DB=postgresql).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
// The pnpm running the tests (also when started through npx); a plain `pnpm` otherwise.
const execPath = process.env.npm_execpath;
const pnpm = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath || 'pnpm'];
const it = process.env.TEST_DB === 'postgresql' ? test.skip : test;

interface Started {
  child: ChildProcess;
  url: string;
  tokens: Record<string, string>;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const { DATABASE_URL: _db, ADMIN_TOKEN: _admin, DASHBOARD_TOKEN: _dashboard, ...inherited } = process.env;
  const [command, ...args] = pnpm;
  // detached: a process group of its own, as a terminal's foreground job.
  const child = spawn(command!, [...args, 'run', 'start'], {
    cwd: exampleDir,
    detached: true,
    env: { ...inherited, PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', () => {
      if (/^shop on /m.test(output) && (env.DASHBOARD_TOKEN || /DASHBOARD_TOKEN .*: \S+/.test(output))) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before listening:\n${output}`));
    });
  });
  await ready;
  const url = /^shop on (\S+)/m.exec(output)![1]!;
  const tokens = Object.fromEntries(
    [...output.matchAll(/^(\w+_TOKEN) was not set; [^:]*: (\S+)$/gm)].map((m) => [m[1], m[2]]),
  );
  return { child, url, tokens, output: () => output, exit };
}

it('without tokens in the environment it prints generated ones, the dashboard one opens the metrics, and Ctrl-C exits 0', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'koa-app-'));
  try {
    const app = await start(dataDir);
    const { ADMIN_TOKEN: admin, DASHBOARD_TOKEN: dashboard } = app.tokens;
    assert.ok(admin && admin.length >= 16, `an admin token is printed:\n${app.output()}`);
    assert.ok(dashboard && dashboard.length >= 16 && dashboard !== admin, 'a separate dashboard token is printed');
    assert.not.match(admin, /^-/);
    const metrics = `${app.url}/ab/v1/metrics/daily`;
    assert.is((await fetch(metrics)).status, 401);
    assert.is((await fetch(metrics, { headers: { 'x-dashboard-token': dashboard } })).status, 200);
    const list = await fetch(`${app.url}/ab/v1/admin/experiments`, { headers: { 'x-admin-token': admin } });
    assert.is(list.status, 200);
    assert.is(
      (await fetch(`${app.url}/ab/v1/admin/experiments`, { headers: { 'x-admin-token': 'change-me-admin-token' } }))
        .status,
      401,
    );

    process.kill(-app.child.pid!, 'SIGINT');
    const { code, signal } = await app.exit;
    assert.equal({ code, signal }, { code: 0, signal: null }, app.output());
    assert.match(app.output(), /SIGINT: closing/);
    assert.not.match(app.output(), /failed/i);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('tokens from the environment are used and not printed; SIGTERM exits 0 too', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'koa-app-'));
  try {
    const env = { ADMIN_TOKEN: 'admin-token-from-env', DASHBOARD_TOKEN: 'dashboard-token-from-env' };
    const app = await start(dataDir, env);
    assert.equal(app.tokens, {});
    const daily = await fetch(`${app.url}/ab/v1/metrics/daily`, {
      headers: { 'x-dashboard-token': env.DASHBOARD_TOKEN },
    });
    assert.is(daily.status, 200);
    process.kill(-app.child.pid!, 'SIGTERM');
    assert.equal(await app.exit, { code: 0, signal: null }, app.output());
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('no token is written into the sources', async () => {
  for (const file of ['src/main.ts', 'src/app.ts', 'src/tokens.ts']) {
    const source = await readFile(join(exampleDir, file), 'utf8');
    assert.not.match(source, /change-me|\?\? '[^']{8,}'/, file);
  }
});

test.run();
