/** Helpers of the integration tests that run the client against the real server. */
import { connect } from 'node:net';

/** PostgreSQL when reachable (or TEST_DB says so), else embedded PGlite, so the tests run on a bare machine too. */
export async function chooseDatabase(): Promise<void> {
  if (process.env.TEST_DB || process.env.REQUIRE_POSTGRES === '1') return;
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 5432), url.hostname);
    socket.setTimeout(1500, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
  if (!reachable) process.env.TEST_DB = 'pglite';
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `condition` every 25 ms; throws naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
