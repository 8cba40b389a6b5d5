/**
 * `serve` with ROLLUP_INTERVAL rolls up by itself: an event sent after start shows in the daily metrics within an
 * interval, without any CLI command. A fraction of a minute keeps the test short.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cliNodeArgs } from './helpers/cli-bin.js';

const DASHBOARD_TOKEN = 'serve-rollups-dashboard';

test('serve with ROLLUP_INTERVAL picks up new events without a rollup command', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'abc-serve-rollups-'));
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: 'serve-rollups-admin',
    DASHBOARD_TOKEN,
    DATABASE_URL: '',
    ROLLUP_INTERVAL: '0.005', // 300 ms
    RATE_LIMIT: 'off',
  };
  const child = spawn(process.execPath, [...cliNodeArgs, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start in 120 s')), 120_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (typeof entry.url === 'string') {
          clearTimeout(timer);
          resolve(entry.url);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const sent = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [{ event_id: randomUUID(), user_id: 'u-1', name: 'app_open', timestamp: new Date().toISOString() }],
      }),
    });
    assert.is(sent.status, 200, await sent.text());
    let events = 0;
    for (let i = 0; i < 200 && events === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const daily = await fetch(`${url}/v1/metrics/daily?window_days=1`, {
        headers: { 'x-dashboard-token': DASHBOARD_TOKEN },
      });
      const body = (await daily.json()) as { days: Array<{ events: number }> };
      events = body.days.reduce((n, d) => n + d.events, 0);
    }
    assert.is(events, 1, 'the scheduled rollup counted the new event');
    type Status = { interval_ms: number; jobs: Array<{ job: string; last_status: string; last_mode: string }> };
    const readStatus = async () =>
      (await (
        await fetch(`${url}/v1/metrics/rollups/status`, { headers: { 'x-dashboard-token': DASHBOARD_TOKEN } })
      ).json()) as Status;
    let body = await readStatus();
    assert.is(body.interval_ms, 300);
    assert.ok(body.jobs.some((j) => j.job === 'daily' && j.last_status === 'succeeded'));
    // The first round of each job is a full one (no watermark yet); every later round only recomputes what changed.
    // The metrics job (catalog metrics over exposed users) recomputes in full every round.
    const settled = (jobs: Status['jobs']) =>
      jobs.every((j) => j.last_mode === (j.job === 'metrics' ? 'full' : 'incremental'));
    for (let i = 0; i < 100 && !settled(body.jobs); i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = await readStatus();
    }
    assert.equal(
      body.jobs.map((j) => [j.job, j.last_status, j.last_mode]),
      [
        ['daily', 'succeeded', 'incremental'],
        ['experiments', 'succeeded', 'incremental'],
        ['funnels', 'succeeded', 'incremental'],
        ['metrics', 'succeeded', 'full'],
      ],
    );
    // The dashboard page polls the freshness as often as the server rolls up.
    const page = await (await fetch(`${url}/dashboard`)).text();
    assert.match(page, /rollup-interval="0\.005"/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.is(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
