import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTestStorage, testDatabaseKind, type TestDatabase } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import { serve, type RunningServer } from '../src/commands/serve.js';
import { readServerConfig, type ServerConfig } from '../src/config.js';
import { cliNodeArgs } from './helpers/cli-bin.js';

const quiet = { error() {}, warn() {}, info() {} };

const it = suite<{ db?: TestDatabase }>('serve shutdown');
it.before(async (ctx) => {
  // One PostgreSQL database for every server in this file; on PGlite each server has its own in memory.
  if (testDatabaseKind() === 'postgresql') ctx.db = await createTestStorage();
});
it.after(async (ctx) => ctx.db?.close());

async function start(db: TestDatabase | undefined, shutdownTimeoutMs: number): Promise<RunningServer> {
  const config: ServerConfig = {
    ...(db ? { databaseUrl: db.url } : { dataDir: 'memory://' }),
    port: 0,
    host: '127.0.0.1',
    adminToken: 'shutdown-admin-token',
    dashboardToken: 'shutdown-dashboard-token',
    generatedTokens: [],
    shutdownTimeoutMs,
  };
  return serve(config, { logger: quiet });
}

/** A raw connection, so the test decides exactly when each byte is sent. */
async function open(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
}

/** Milliseconds until `promise` settles, or Infinity when it takes longer than `limitMs`. */
async function timed(promise: Promise<unknown>, limitMs: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Infinity), limitMs)));
  try {
    return await Promise.race([promise.then(() => Date.now() - started), late]);
  } finally {
    clearTimeout(timer);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const health = 'GET /health HTTP/1.1\r\nHost: test\r\n\r\n';
const body = JSON.stringify({
  events: [{ event_id: 'x', user_id: 'u', name: 'n', timestamp: new Date().toISOString() }],
});
const uploadHead = `POST /v1/events HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;

it('idle keep-alive sockets, and sockets that never sent a request, do not delay shutdown', async ({ db }) => {
  const server = await start(db, 30_000);
  const used = await open(server.url);
  used.socket.write(health);
  while (!/\r\n\r\n[\s\S]*\}/.test(used.received())) await pause(10);
  assert.match(used.received(), /keep-alive/i);
  const preconnect = await open(server.url);
  const ms = await timed(server.close(), 5000);
  assert.ok(ms < 3000, `shutdown took ${ms} ms`);
  assert.ok((await timed(used.closed, 1000)) < 1000, 'the idle socket was closed');
  assert.ok((await timed(preconnect.closed, 1000)) < 1000, 'the preconnected socket was closed');
});

it('a client that keeps sending on its keep-alive connection is answered with Connection: close, and shutdown finishes', async ({
  db,
}) => {
  const server = await start(db, 30_000);
  const client = await open(server.url);
  // A request in flight when shutdown starts: its body is only half sent.
  client.socket.write(uploadHead + body.slice(0, 10));
  await pause(100);
  const closing = server.close();
  await pause(100);
  client.socket.write(body.slice(10));
  let responses = 0;
  client.socket.on('data', () => {
    // Every answer is followed at once by the next request on the same connection.
    responses += 1;
    if (!client.socket.destroyed) client.socket.write(health);
  });
  const ms = await timed(closing, 5000);
  assert.ok(ms < 3000, `shutdown took ${ms} ms`);
  assert.ok((await timed(client.closed, 1000)) < 1000, 'the server closed the connection');
  assert.match(client.received(), /^HTTP\/1\.1 \d{3}[^]*\r\nConnection: close\r\n/i);
  assert.is(client.received().match(/HTTP\/1\.1/g)?.length, 1, `one answer, then close (got ${responses} data events)`);
});

it('a request that never finishes is cut at SHUTDOWN_TIMEOUT_MS', async ({ db }) => {
  const server = await start(db, 300);
  const slow = await open(server.url);
  slow.socket.write(uploadHead + body.slice(0, 10));
  await pause(100);
  const ms = await timed(server.close(), 5000);
  assert.ok(ms >= 250 && ms < 3000, `shutdown took ${ms} ms`);
  assert.ok((await timed(slow.closed, 1000)) < 1000, 'the slow upload was cut');
});

it('SHUTDOWN_TIMEOUT_MS defaults to 10 s and is validated by name', () => {
  assert.is(readServerConfig({}).shutdownTimeoutMs, 10_000);
  assert.is(readServerConfig({ SHUTDOWN_TIMEOUT_MS: '0' }).shutdownTimeoutMs, 0);
  assert.is(readServerConfig({ SHUTDOWN_TIMEOUT_MS: ' 2500 ' }).shutdownTimeoutMs, 2500);
  for (const value of ['ten', '-1', '1.5', '3600001']) {
    try {
      readServerConfig({ SHUTDOWN_TIMEOUT_MS: value });
      assert.unreachable(value);
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
      assert.match((error as Error).message, /SHUTDOWN_TIMEOUT_MS/);
    }
  }
});

it('a second signal during shutdown exits at once (SIGINT: code 130)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'abc-shutdown-'));
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dataDir, 'pglite'),
    DATABASE_URL: '',
    ADMIN_TOKEN: 'shutdown-admin-token',
    DASHBOARD_TOKEN: 'shutdown-dashboard-token',
    SHUTDOWN_TIMEOUT_MS: '60000',
  };
  const child = spawn(process.execPath, [...cliNodeArgs, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const messages: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start in 120 s')), 120_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as { url?: unknown; msg?: string };
        messages.push(entry.msg ?? '');
        if (typeof entry.url === 'string') {
          clearTimeout(timer);
          resolve(entry.url);
        }
      });
      void exited.then((code) => reject(new Error(`exited early with ${code}`)));
    });
    // An upload that never ends keeps the first shutdown waiting for its deadline.
    const slow = await open(url);
    slow.socket.write(uploadHead + body.slice(0, 10));
    await pause(100);
    child.kill('SIGTERM');
    while (!messages.some((m) => /shutting down/.test(m))) await pause(20);
    assert.is(await timed(exited, 500), Infinity, 'still draining after the first signal');
    child.kill('SIGINT');
    assert.ok((await timed(exited, 5000)) < 5000, 'exited after the second signal');
    assert.is(await exited, 130);
    assert.not.ok(existsSync(join(dataDir, 'pglite.lock')), 'the data dir lock is released on the way out');
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it.run();
