/**
 * The "app": one launch of the mobile app on one phone, run as its own process so the simulated OS can kill it
 * with SIGKILL at any moment, exactly like a phone does. Its storage directory is the app's sandbox and survives.
 *
 * argv: <stateDir> <device> <launch>   env: BASE_URL
 */
import { createClient } from '@ab-calicritters/client';
import { createFileStorage } from '@ab-calicritters/client/node';
import { join } from 'node:path';
import { EXPERIMENTS } from './experiments.js';
import { createNetwork } from './offline-fetch.js';

const [stateDir = '.mobile-sim-state', device = 'phone-1', launch = '1'] = process.argv.slice(2);
const baseUrl = process.env.BASE_URL ?? 'http://localhost:3000';
const say = (line: string) => process.send?.({ line: `${device}#${launch}: ${line}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const network = createNetwork();
const client = createClient({
  baseUrl,
  storage: createFileStorage(join(stateDir, device)),
  fetch: network.fetch,
  bootstrap: EXPERIMENTS,
  flushAt: 10,
  flushIntervalMs: 2000,
  retryBaseMs: 500,
  retryMaxMs: 5000,
});
client.on('error', (error) => say(`${error.code}: ${error.message}`));
client.on('flush', (r) => say(`delivered ${r.accepted} new + ${r.duplicates} duplicates, ${r.remaining} left`));

/** What a user does in one visit: onboarding, some browsing, the paywall, maybe a purchase. */
async function session(): Promise<void> {
  const onboarding = client.getVariant('onboarding_flow');
  client.track('app_open', { onboarding });
  for (const step of onboarding === 'guided' ? ['welcome', 'tour', 'profile'] : ['welcome', 'profile']) {
    client.track('onboarding_step', { step });
    await sleep(20);
  }
  for (let i = 0; i < 5; i++) client.track('screen_view', { screen: ['home', 'feed', 'detail'][i % 3] });
  const paywall = client.getVariant('paywall_copy');
  client.track('paywall_view', { copy: paywall });
  if (Math.random() < (paywall === 'urgency' ? 0.4 : 0.25))
    client.track('purchase', { amount_cents: 499, copy: paywall });
}

await client.ready;
say(`launched as ${client.userId} with ${client.stats().queued} events left from before`);
await client.refreshAssignments();
say(`paywall_copy = ${client.getVariant('paywall_copy')}, onboarding_flow = ${client.getVariant('onboarding_flow')}`);
await session();
await client.onBackground(); // what an AppState 'background' listener calls

if (launch === '1') {
  // Airplane mode: events keep being tracked and persisted; delivery backs off. Then the OS kills the app.
  network.online = false;
  await session();
  await sleep(100);
  say(`offline, ${client.stats().queued} events queued on disk; waiting to be killed`);
  process.send?.({ killMe: true });
  await sleep(60_000);
}

await client.shutdown(5000);
const stats = client.stats();
say(`shut down: accepted ${stats.accepted}, duplicates ${stats.duplicates}, still queued ${stats.queued}`);
