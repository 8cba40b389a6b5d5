/**
 * What the CLI tests that go through a running server share: `serve` on an embedded database in a temporary folder
 * (whatever TEST_DB says: the point is a CLI next to a server), and the CLI run as a user types it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { CliError } from '../../src/cli-error.js';
import { serve, type RunningServer } from '../../src/commands/serve.js';
import { cliNodeArgs } from './cli-bin.js';

export const ADMIN_TOKEN = 'cli-admin-token';
export const DASHBOARD_TOKEN = 'cli-dashboard-token';

const quiet = { error() {}, warn() {}, info() {} };

export interface CliServer {
  root: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** A server on a fresh embedded database, with the test tokens; `close()` stops it and removes its folder. */
export async function startCliServer(prefix: string): Promise<CliServer> {
  const root = mkdtempSync(join(tmpdir(), `abc-${prefix}-`));
  const server = await serve(
    {
      dataDir: join(root, 'pglite'),
      port: 0,
      host: '127.0.0.1',
      adminToken: ADMIN_TOKEN,
      dashboardToken: DASHBOARD_TOKEN,
      generatedTokens: [],
      shutdownTimeoutMs: 1000,
    },
    { logger: quiet },
  );
  return {
    root,
    server,
    async close() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs `calicritters <args>` in a child process with only PATH, HOME and `env`; resolves its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [...cliNodeArgs, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The CliError a command function fails with; the test fails when it succeeds or throws anything else. */
export async function cliFailure(run: () => unknown): Promise<CliError> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, CliError);
    return error as CliError;
  }
  throw new Error('expected a failure');
}
