/**
 * The servers the HTTP benches load, each in a process of its own so the load generator does not steal its CPU:
 * - {@link startServe}: the real `calicritters serve` (the CLI's own entry, its defaults, the env it documents);
 * - {@link startBare}: a bare Koa + @koa/router route that reads the JSON body and answers a body of the same shape
 *   and size as an assignment answer (the ceiling any Koa endpoint reaches here);
 * - {@link startRouter}: our routers on a plain Koa app with a given `assignmentCacheSize` (`serve` has no setting
 *   for it), for bench/assignment-cache.ts;
 * - {@link startFloor}: the bare route that also runs a first-time user's statements on a raw `pg` pool before it
 *   answers (HTTP + driver + statement: what serve's first-time path cannot go below).
 * Run as a script, this file is the bare server (`bare`), the plain app (`ab <databaseUrl> [cacheSize]`) or the floor
 * (`floor <databaseUrl> <statements JSON>`).
 */
import Router from '@koa/router';
import Koa from 'koa';
import pg from 'pg';
import getRawBody from 'raw-body';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAbRouter, createStorage } from '@ab-calicritters/server';

/** A server process the bench loads. */
export interface Target {
  url: string;
  /** The server's process, whose CPU time the bench reads. */
  pid: number;
  stop(): Promise<void>;
}

const TARGET_SCRIPT = fileURLToPath(import.meta.url);
const CLI_BIN = fileURLToPath(new URL('../packages/cli/src/bin.ts', import.meta.url));

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** Starts this file as a script; it prints its port on the first line. */
async function startScript(args: string[]): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGET_SCRIPT, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(Number(l))),
  );
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child) };
}

export const startBare = () => startScript(['bare']);
export const startRouter = (databaseUrl: string, cacheSize: number) =>
  startScript(['ab', databaseUrl, String(cacheSize)]);

/** A statement as a first-time user's request sends it; `sample` in its values stands for the request's user id. */
export interface FloorStatement {
  name?: string;
  text: string;
  values: unknown[];
}

/**
 * The floor of the first-time rows: the bare route, plus `statements` (prepared, as named) for the body's user on a
 * raw `pg` pool of `pool` connections (application name `bench-floor`) before the same answer.
 */
export const startFloor = (databaseUrl: string, statements: { sample: string; list: FloorStatement[]; pool: number }) =>
  startScript(['floor', databaseUrl, JSON.stringify(statements)]);

export interface ServeOptions {
  /** PostgreSQL URL; absent: the embedded database in `dataDir`. */
  databaseUrl?: string;
  /** Embedded database directory (default `memory://`). */
  dataDir?: string;
  adminToken: string;
  /** Extra Node options for the server process (`--cpu-prof`, …). */
  nodeOptions?: string[];
  /**
   * Another checkout of this repository (built with `npx tsc -b`) whose `serve` runs instead of this one's: the
   * before side of a before/after comparison in one run.
   */
  checkout?: string;
}

/**
 * Starts `calicritters serve` from the CLI's source (tsx only compiles it at start), on an ephemeral loopback port,
 * with rate limits off (one client sends everything here) and no rollup schedule. Resolves once it listens.
 */
export async function startServe(options: ServeOptions): Promise<Target> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    RATE_LIMIT: 'off',
    ROLLUP_INTERVAL: '0',
    ADMIN_TOKEN: options.adminToken,
    DASHBOARD_TOKEN: `${options.adminToken}-dashboard`,
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else env.DATA_DIR = options.dataDir ?? 'memory://';
  const bin = options.checkout ? join(options.checkout, 'packages/cli/src/bin.ts') : CLI_BIN;
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', bin, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // pino writes one JSON object per line; the listening line carries the URL.
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { url?: string; level?: number; msg?: string };
        if (entry.url) resolve(entry.url);
        else if ((entry.level ?? 0) >= 40) process.stderr.write(`serve: ${line.slice(0, 1500)}\n`);
      } catch {
        process.stderr.write(`serve: ${line}\n`);
      }
    });
  });
  return { url, pid: child.pid!, stop: stopper(child) };
}

/** An answer the size and shape of ours for two experiments, for the bare route. */
function assignmentLike(userId: string | null) {
  const assigned_at = '2026-11-30T12:00:00.000Z';
  return {
    user_id: userId,
    assignments: [
      {
        experiment_key: 'onboarding_flow',
        variant: 'guided',
        reason: 'assigned',
        value: null,
        assigned_at,
        new: false,
      },
      { experiment_key: 'paywall_copy', variant: 'urgency', reason: 'assigned', value: null, assigned_at, new: false },
    ],
    unknown_experiments: [],
  };
}

async function runScript(mode: string | undefined, databaseUrl: string | undefined, cacheSize: string | undefined) {
  const app = new Koa();
  app.silent = true;
  if (mode === 'ab') {
    const storage = await createStorage({ databaseUrl, poolMax: 10 });
    const router = createAbRouter({
      storage,
      experimentCacheTtlMs: 1000,
      ...(cacheSize === undefined ? {} : { assignmentCacheSize: Number(cacheSize) }),
    });
    app.use(router.routes()).use(router.allowedMethods());
  } else {
    const router = new Router();
    router.post('/v1/:any', async (ctx) => {
      const body = JSON.parse(await getRawBody(ctx.req, { limit: 64 * 1024, encoding: 'utf8' })) as {
        user_id?: string;
      };
      ctx.set('Cache-Control', 'no-store');
      ctx.body = assignmentLike(body.user_id ?? null);
    });
    app.use(router.routes());
  }
  process.once('SIGTERM', () => process.exit(0));
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(typeof address === 'object' && address ? address.port : 0);
  });
}

async function runFloor(databaseUrl: string, statements: string) {
  const { sample, list, pool: max } = JSON.parse(statements) as Parameters<typeof startFloor>[1];
  const pool = new pg.Pool({ connectionString: databaseUrl, max, application_name: 'bench-floor' });
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  router.post('/v1/:any', async (ctx) => {
    const body = JSON.parse(await getRawBody(ctx.req, { limit: 64 * 1024, encoding: 'utf8' })) as { user_id: string };
    for (const s of list)
      await pool.query({ ...s, values: s.values.map((v) => (v === sample ? body.user_id : v)) } as pg.QueryConfig);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = assignmentLike(body.user_id);
  });
  app.use(router.routes());
  process.once('SIGTERM', () => process.exit(0));
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(typeof address === 'object' && address ? address.port : 0);
  });
}

if (process.argv[1] === TARGET_SCRIPT) {
  const [mode, databaseUrl, cacheSizeOrStatements] = process.argv.slice(2);
  if (mode === 'floor') await runFloor(databaseUrl!, cacheSizeOrStatements!);
  else await runScript(mode, databaseUrl, cacheSizeOrStatements);
}
