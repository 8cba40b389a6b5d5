import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cliNodeArgs } from './helpers/cli-bin.js';

test('serve --seed migrates, seeds, listens, prints generated tokens, and exits 0 on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'abc-serve-'));
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: '',
    DASHBOARD_TOKEN: '',
    DATABASE_URL: '',
  };
  const child = spawn(process.execPath, [...cliNodeArgs, 'serve', '--seed'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines: Array<Record<string, unknown>> = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start in 120 s')), 120_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (typeof entry.url === 'string') {
          clearTimeout(timer);
          resolve(entry.url);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      lines.some((l) => typeof l.ADMIN_TOKEN === 'string'),
      'generated admin token printed',
    );
    const adminToken = lines.find((l) => typeof l.ADMIN_TOKEN === 'string')?.ADMIN_TOKEN as string;
    const health = await fetch(`${url}/health`);
    assert.is(health.status, 200);
    const list = await fetch(`${url}/v1/admin/experiments`, { headers: { 'x-admin-token': adminToken } });
    const keys = ((await list.json()) as { experiments: Array<{ key: string }> }).experiments.map((e) => e.key);
    assert.equal(keys, ['onboarding_flow', 'paywall_copy']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.is(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
