/**
 * The client SDK's two hot paths in process, next to the SDKs they are compared with:
 * - `getVariant()` of a cached server assignment, which logs (dedupes) the exposure, against GrowthBook's
 *   `run(experiment)` on the same experiment and user (one GrowthBook instance with a tracking callback, as one client
 *   of ours, so both compute a variant and check whether the exposure was already tracked);
 * - `track()` amortized: events tracked in bursts of 100 with a turn of the event loop after each (persistence and
 *   delivery run there, to a no-op fetch and memory storage), then a final flush, all timed, against PostHog's Node
 *   SDK `capture()` under the same load (posthog-node, its defaults, the same no-op fetch). The time and CPU per event
 *   are of everything the calls cause, the writes and requests included; the calls alone (the synchronous part, timed
 *   around each burst) are reported next to them.
 * Each pair takes turns over `--rounds` rounds, order swapped every round; ratios are per round (paired), then the
 * median. CPU per call is the process's user + system time, next to wall time.
 * Usage: cd bench && node --import tsx sdk.ts [--rounds 7 --warmup 3 --calls 2000000 --events 20000] [--quick]
 *   [--against DIR]
 *   --quick: 5 rounds after 2 of warm-up, 300000 reads and 10000 events per round.
 *   --against DIR: also time this build's track() against another build of the client (its dist folder, placed where
 *   it resolves @ab-calicritters/core, e.g. packages/client/node_modules/.before), same loop, taking turns (not in
 *   the results file).
 * (needs `npx tsc -b` first: the client is imported from its build)
 */
import {
  createClient,
  createMemoryStorage,
  type AbClient,
  type ClientOptions,
  type FetchLike,
} from '@ab-calicritters/client';
import { GrowthBook, type Experiment } from '@growthbook/growthbook';
import { cpus, loadavg } from 'node:os';
import { PostHog } from 'posthog-node';
import { median, reportRows, type ResultRow } from './bench-helpers.js';

const QUICK = process.argv.includes('--quick');
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const ROUNDS = arg('rounds', QUICK ? 5 : 7);
const CALLS = arg('calls', QUICK ? 300_000 : 2_000_000);
const EVENTS = arg('events', QUICK ? 10_000 : 20_000);
const WARMUP = arg('warmup', QUICK ? 2 : 3);
const BURST = 100;
const AGAINST = process.argv.includes('--against') ? process.argv[process.argv.indexOf('--against') + 1] : undefined;

/** What the track loop needs of a build of the client. */
interface Sdk {
  createClient: typeof createClient;
  createMemoryStorage: typeof createMemoryStorage;
}
const thisBuild: Sdk = { createClient, createMemoryStorage };

const USER = 'user-42';
const KEY = 'paywall_copy';
const VARIANTS: [string, string, ...string[]] = ['control', 'urgency', 'social_proof'];
const WEIGHTS = [0.34, 0.33, 0.33];

interface Sample {
  /** Wall time per call, ns. */
  ns: number;
  /** CPU time (user + system) per call, ns. */
  cpuNs: number;
  /** Wall time per call spent in the calls themselves, without the work they leave for later, ns (track only). */
  syncNs?: number;
}

async function measure(count: number, run: () => unknown): Promise<Sample> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const ns = Number(process.hrtime.bigint() - start);
  const spent = process.cpuUsage(cpu);
  return { ns: ns / count, cpuNs: ((spent.user + spent.system) * 1000) / count };
}

/** Our server's answers: the sticky assignment, and every batch of events acknowledged (no body is parsed). */
const answerFetch: FetchLike = async (url) => {
  const body = url.endsWith('/v1/assignment')
    ? JSON.stringify({ assignments: [{ experiment_key: KEY, variant: 'urgency', reason: 'assigned', value: null }] })
    : '{"accepted":0,"duplicates":0,"rejected":[]}';
  return { status: 200, headers: { get: () => null }, text: async () => body };
};

async function ourClient(options: Partial<ClientOptions> = {}, sdk = thisBuild): Promise<AbClient> {
  const client = sdk.createClient({
    baseUrl: 'https://ab.bench.invalid',
    userId: USER,
    storage: sdk.createMemoryStorage(),
    fetch: answerFetch,
    autoRefresh: false,
    flushAt: 20,
    ...options,
  });
  await client.ready;
  return client;
}

// Separate loops (not one helper taking a callback) so each call site stays monomorphic.
function loopGetVariant(client: AbClient, calls: number): number {
  let hits = 0;
  for (let i = 0; i < calls; i++) if (client.getVariant(KEY) !== null) hits++;
  return hits;
}

function loopRun(gb: GrowthBook, experiment: Experiment<string>, calls: number): number {
  let hits = 0;
  for (let i = 0; i < calls; i++) if (gb.run(experiment).inExperiment) hits++;
  return hits;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function trackOurs(sdk = thisBuild): Promise<Sample> {
  const client = await ourClient({}, sdk);
  let sync = 0n;
  const sample = await measure(EVENTS, async () => {
    for (let i = 0; i < EVENTS; i += BURST) {
      const start = process.hrtime.bigint();
      for (let j = i; j < i + BURST; j++) client.track('paywall_view', { copy: 'urgency', step: j });
      sync += process.hrtime.bigint() - start;
      await turn();
    }
    await client.flush();
  });
  if (client.stats().queued !== 0) throw new Error('our client kept events queued');
  // Shut down in full, outside the timing: nothing of one side may run during the other's turn.
  await client.shutdown(10_000);
  return { ...sample, syncNs: Number(sync) / EVENTS };
}

async function captureReference(): Promise<Sample> {
  let sent = 0;
  const posthog = new PostHog('phc_bench', {
    host: 'https://ph.bench.invalid',
    flushAt: 20,
    flushInterval: 10_000,
    fetch: async () => {
      sent++;
      return { status: 200, text: async () => '{}', json: async () => ({}) };
    },
  });
  let sync = 0n;
  const sample = await measure(EVENTS, async () => {
    for (let i = 0; i < EVENTS; i += BURST) {
      const start = process.hrtime.bigint();
      for (let j = i; j < i + BURST; j++) {
        posthog.capture({ distinctId: USER, event: 'paywall_view', properties: { copy: 'urgency', step: j } });
      }
      sync += process.hrtime.bigint() - start;
      await turn();
    }
    await posthog.flush();
  });
  if (sent === 0) throw new Error('posthog-node sent nothing');
  await posthog.shutdown(10_000);
  return { ...sample, syncNs: Number(sync) / EVENTS };
}

interface Pair {
  name: string;
  reference: string;
  ours: () => Promise<Sample>;
  theirs: () => Promise<Sample>;
  goal: string;
  /** Whether ours meets the goal, given its time per call and its paired ratio to the reference (wall, then CPU). */
  meets: (ns: number, ratio: number) => boolean;
  /** The row `pnpm bench` collects, from the medians (wall time, ns per call) and the paired ratio. */
  row?: (ours: number, reference: number, ratio: number) => ResultRow;
}

const load = loadavg()[0]!.toFixed(1);
const client = await ourClient();
await client.refreshAssignments();
if (client.getVariant(KEY) !== 'urgency') throw new Error('our client has no cached assignment');
// The same read without the exposure path, for scale.
const quiet = await ourClient({ autoExposure: false });
await quiet.refreshAssignments();
const gb = new GrowthBook({ attributes: { id: USER }, trackingCallback: () => undefined });
const experiment: Experiment<string> = { key: KEY, variations: VARIANTS, weights: WEIGHTS };
if (!gb.run(experiment).inExperiment) throw new Error('GrowthBook did not bucket the user');

const pairs: Pair[] = [
  {
    name: 'getVariant(), cached, exposure logged',
    reference: 'GrowthBook 1.8.0 run()',
    ours: () => measure(CALLS, () => loopGetVariant(client, CALLS)),
    theirs: () => measure(CALLS, () => loopRun(gb, experiment, CALLS)),
    goal: '≥ 20× faster',
    meets: (_, ratio) => ratio <= 1 / 20,
    row: (ours, reference, ratio) => ({
      path: 'SDK getVariant(), cached, exposure logged',
      ours,
      reference,
      unit: 'ns',
      referenceLabel: 'GrowthBook 1.8.0 run(), same experiment and user',
      ratio,
      goal: '≤ 0.05',
    }),
  },
  {
    name: 'track(), amortized',
    reference: 'posthog-node 5.70.0 capture()',
    ours: () => trackOurs(),
    theirs: captureReference,
    goal: '≤ 2 µs',
    meets: (ns) => ns <= 2000,
    // The goal is on the time itself: the row compares it with the goal, the reference goes in the note.
    row: (ours, reference) => ({
      path: 'SDK track(), amortized',
      ours,
      reference: 2000,
      unit: 'ns',
      referenceLabel: `the 2 µs goal (posthog-node 5.70.0 capture(): ${fmt(reference)})`,
      goal: '≤ 1',
    }),
  },
];
if (AGAINST) {
  const before = (await import(`${AGAINST}/index.js`)) as Sdk;
  pairs.push({
    name: 'track(), amortized, this build',
    reference: `the build in ${AGAINST}`,
    ours: () => trackOurs(),
    theirs: () => trackOurs(before),
    goal: '< 1',
    meets: (_, ratio) => ratio < 1,
  });
}

// Warm-up outside the rounds (JIT, the exposure already logged): V8 takes a few rounds to settle on its code.
for (let i = 0; i < WARMUP; i++) {
  for (const pair of pairs) {
    await pair.ours();
    await pair.theirs();
  }
}

const results = pairs.map(() => ({ ours: [] as Sample[], theirs: [] as Sample[] }));
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, pair] of pairs.entries()) {
    const r = results[i]!;
    if (round % 2 === 0) {
      r.ours.push(await pair.ours());
      r.theirs.push(await pair.theirs());
    } else {
      r.theirs.push(await pair.theirs());
      r.ours.push(await pair.ours());
    }
  }
}

const fmt = (ns: number) =>
  ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
console.log(
  `\nClient SDK hot paths, in process (median of ${ROUNDS} interleaved rounds; ${CALLS} reads, ${EVENTS} events in bursts of ${BURST} per round)`,
);
console.log(`load average at the start ${load}, at the end ${loadavg()[0]!.toFixed(1)} (${cpus().length} cores)`);
console.log(
  'what'.padEnd(40) +
    'ours'.padStart(11) +
    'ours CPU'.padStart(11) +
    'reference'.padStart(11) +
    'ref CPU'.padStart(11) +
    '  ours/ref  goal',
);
const rows: ResultRow[] = [];
for (const [i, pair] of pairs.entries()) {
  const r = results[i]!;
  const ours = { ns: median(r.ours.map((s) => s.ns)), cpuNs: median(r.ours.map((s) => s.cpuNs)) };
  const theirs = { ns: median(r.theirs.map((s) => s.ns)), cpuNs: median(r.theirs.map((s) => s.cpuNs)) };
  const ratio = median(r.ours.map((s, k) => s.ns / r.theirs[k]!.ns));
  const cpuRatio = median(r.ours.map((s, k) => s.cpuNs / r.theirs[k]!.cpuNs));
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const verdict = `wall ${mark(pair.meets(ours.ns, ratio))} CPU ${mark(pair.meets(ours.cpuNs, cpuRatio))}`;
  console.log(
    `${pair.name.padEnd(40)}${fmt(ours.ns).padStart(11)}${fmt(ours.cpuNs).padStart(11)}${fmt(theirs.ns).padStart(11)}` +
      `${fmt(theirs.cpuNs).padStart(11)}  ${ratio.toFixed(4).padStart(8)}  ${pair.goal}: ${verdict} ` +
      `(${(1 / ratio).toFixed(1)}× faster than ${pair.reference}, CPU ${(1 / cpuRatio).toFixed(1)}×)`,
  );
  console.log(
    `  rounds, ours: ${r.ours.map((s) => fmt(s.ns)).join(', ')}; reference: ${r.theirs.map((s) => fmt(s.ns)).join(', ')}`,
  );
  let cpuNote = `CPU per call ${fmt(ours.cpuNs)} ours, ${fmt(theirs.cpuNs)} reference`;
  if (r.ours[0]?.syncNs !== undefined) {
    const sync = (samples: Sample[]) => fmt(median(samples.map((s) => s.syncNs!)));
    const calls = `the calls alone ${sync(r.ours)} ours, ${sync(r.theirs)} reference`;
    console.log(`  ${calls} (the rest of the time per call is the persistence and delivery they cause)`);
    cpuNote += `; ${calls}`;
  }
  if (pair.row) {
    rows.push({ ...pair.row(ours.ns, theirs.ns, ratio), note: `${cpuNote}; load average ${loadavg()[0]!.toFixed(1)}` });
  }
}
const plain = await measure(CALLS, () => loopGetVariant(quiet, CALLS));
console.log(`for scale: the same getVariant() with autoExposure off ${fmt(plain.ns)} (CPU ${fmt(plain.cpuNs)})`);
reportRows('sdk', rows);
await client.shutdown(10_000);
await quiet.shutdown(10_000);
