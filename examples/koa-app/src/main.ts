/**
 * Runs the example shop on PORT (default 4000) with DATABASE_URL or the embedded database in DATA_DIR. Prints the
 * tokens it generated; SIGINT (Ctrl-C) or SIGTERM closes the server and the database, then exits 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStorage } from '@ab-calicritters/server';
import { createShopApp } from './app.js';
import { readTokens } from './tokens.js';

// Requests still running after this are cut off, so a stuck client cannot hold the shutdown forever.
const SHUTDOWN_TIMEOUT_MS = 5000;

let server: Server | undefined;
let stopping = false;
// Listening before the database opens: a Ctrl-C during the migrations also ends cleanly.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const tokens = readTokens(process.env);
const opening = createStorage({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.DATA_DIR || './.data/koa-app',
  migrate: true,
});
const storage = await opening;
if (!stopping) {
  server = createShopApp(storage, tokens).listen(Number(process.env.PORT ?? 4000));
  await new Promise<void>((resolve) => server!.once('listening', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(`shop on ${url} — try GET ${url}/products, POST ${url}/ab/v1/assignment, GET ${url}/ab/v1/metrics/daily`);
  for (const name of tokens.generated) {
    const value = name === 'ADMIN_TOKEN' ? tokens.adminToken : tokens.dashboardToken;
    console.log(`${name} was not set; generated one for this run: ${value}`);
  }
}

function stop(signal: NodeJS.Signals): void {
  // A second Ctrl-C means "now": 128 + the signal's number, as shells report it.
  if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
  stopping = true;
  console.log(`${signal}: closing the server and the database`);
  closeAll().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('shutdown failed', error);
      process.exit(1);
    },
  );
}

async function closeAll(): Promise<void> {
  if (server) {
    const listening = server;
    const deadline = setTimeout(() => listening.closeAllConnections(), SHUTDOWN_TIMEOUT_MS);
    const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
    // Keep-alive sockets with no request in flight would otherwise hold close() until they time out.
    listening.closeIdleConnections();
    await closed;
    clearTimeout(deadline);
  }
  await (await opening).close();
}
