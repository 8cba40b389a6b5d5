/**
 * The "OS": launches the app (src/app.ts) on a few simulated phones against a running server, kills each first
 * launch with SIGKILL while it is offline with events queued, and launches it again; the second launch delivers
 * what the first one could not. Run: BASE_URL=http://localhost:3000 pnpm --filter mobile-sim-example start
 */
import { fork } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const baseUrl = process.env.BASE_URL ?? 'http://localhost:3000';
const devices = Number(process.env.DEVICES ?? 3);
const stateDir = process.env.STATE_DIR ?? join(process.cwd(), '.mobile-sim-state');
const app = new URL('./app.ts', import.meta.url).pathname;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${line}`);

/** Run one launch of the app until it exits, or SIGKILL it when it asks (it plays a user leaving it offline). */
function launch(device: string, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(app, [stateDir, device, String(n)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BASE_URL: baseUrl },
    });
    child.on('message', (message: { line?: string; killMe?: boolean }) => {
      if (message.line) log(message.line);
      if (message.killMe) {
        log(`${device}#${n}: killed by the OS (SIGKILL)`);
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

if (process.env.FRESH === '1') await rm(stateDir, { recursive: true, force: true });
await mkdir(stateDir, { recursive: true });
log(`server ${baseUrl}, ${devices} phones, state in ${stateDir} (FRESH=1 starts over with new users)`);

await Promise.all(
  Array.from({ length: devices }, async (_, i) => {
    const device = `phone-${i + 1}`;
    await launch(device, 1);
    await launch(device, 2);
  }),
);

const summary = await fetch(`${baseUrl}/v1/metrics/summary`).then(
  (r) => r.json(),
  () => undefined,
);
if (summary) log(`server /v1/metrics/summary: ${JSON.stringify(summary)}`);
