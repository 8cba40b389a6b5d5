/**
 * A seeded, realistic event history for the rollup benches: users in sessions over the last days, each of whom can
 * walk the whole funnel; a heavy fifth of the users making most of the events; five metric event names (sessions,
 * two conversions, revenue with refunds, a latency); assignments to four experiments made at a session start, so
 * some of a user's events fall before it; `$exposure` events of those assignments (most at once, some days later,
 * some never, a few naming the wrong variant, a few of users with no sticky row) and a catalog of five metrics the
 * experiments are analysed on. The same seed and `now` give the same rows; the exposures draw from a generator of
 * their own, so every other event is the same as without them (but for its id). Loaded in `now`-ordered chunks through `unnest` into
 * day partitions, as ingestion would leave them.
 */
import type pg from 'pg';
import { seededRandom } from '@ab-calicritters/core';
import { defineBenchExperiments, type BenchStorage } from './bench-helpers.js';

type MetricInput = Parameters<BenchStorage['metrics']['create']>[0];

/** What to generate. */
export interface GenerateOptions {
  /** About how many events (each user's count is drawn: 987 585 for 1M with the default seed). */
  events: number;
  /** Reference time: the history ends an hour before it. */
  now: Date;
  /** Users (default events / 10). */
  users?: number;
  /** Days of history before `now` (default 16: some users and assignments fall before a 14-day window). */
  days?: number;
  /** Default 20261130; the same seed and `now` give the same rows. */
  seed?: number;
}

/** What was generated, and how long loading it took. */
export interface GeneratedHistory {
  /** Every event written, `$exposure` events included. */
  events: number;
  /** The `$exposure` events among them. */
  exposures: number;
  users: number;
  assignments: number;
  seconds: number;
}

const NAMES = [
  'app_open',
  'load_time',
  'tutorial_complete',
  'first_catch',
  'purchase',
  'level_up',
  'share',
  '$exposure',
] as const;
const [APP_OPEN, LOAD_TIME, TUTORIAL, FIRST_CATCH, PURCHASE, LEVEL_UP, SHARE, EXPOSURE] = [
  0, 1, 2, 3, 4, 5, 6, 7,
] as const;
const PRICES = [0.99, 4.99, 9.99, 19.99];
const SPECIES = ['tabby', 'calico', 'siamese', 'sphynx'];

/** Experiments with the share of users each one buckets. The first two come from defineBenchExperiments. */
const EXPERIMENTS = [
  { key: 'onboarding_flow', share: 1, weights: [0.5, 0.5], variants: ['control', 'guided'] },
  { key: 'paywall_copy', share: 0.6, weights: [0.34, 0.33, 0.33], variants: ['control', 'urgency', 'social_proof'] },
  { key: 'catch_animation', share: 0.8, weights: [0.5, 0.5], variants: ['control', 'sparkle'] },
  {
    key: 'store_layout',
    share: 0.4,
    weights: [0.25, 0.25, 0.25, 0.25],
    variants: ['control', 'grid', 'carousel', 'list'],
  },
];

/**
 * The metric catalog, one metric of each kind: a conversion with a property filter and a window, a count, a sum with
 * refunds and a percentile cap, a ratio of the two, a latency whose lower values are better (capped at an absolute
 * value); CUPED lookbacks of 7 and 14 days on the non-ratio ones.
 */
const CATALOG: MetricInput[] = [
  metric({
    key: 'tabby_catch',
    kind: 'conversion',
    event: 'first_catch',
    filter: { property: 'species', equals: 'tabby' },
    window_hours: 72,
    cuped_lookback_days: 7,
  }),
  metric({ key: 'sessions', kind: 'count', event: 'app_open' }),
  metric({
    key: 'revenue',
    kind: 'sum',
    event: 'purchase',
    property: 'value',
    capping: { type: 'percentile', value: 0.99 },
  }),
  metric({
    key: 'revenue_per_session',
    kind: 'ratio',
    numerator: 'revenue',
    denominator: 'sessions',
    cuped_lookback_days: 0,
  }),
  metric({
    key: 'load_time_ms',
    kind: 'sum',
    event: 'load_time',
    property: 'value',
    window_hours: 24,
    capping: { type: 'absolute', value: 5000 },
    direction: 'lower',
    cuped_lookback_days: 7,
  }),
];

/** Which catalog metrics each experiment is analysed on (ratio parts are computed too, as the job does). */
const EXPERIMENT_METRICS: Record<string, Array<{ key: string; role: 'goal' | 'guardrail' }>> = {
  onboarding_flow: [
    { key: 'tabby_catch', role: 'goal' },
    { key: 'sessions', role: 'goal' },
    { key: 'load_time_ms', role: 'guardrail' },
    { key: 'revenue', role: 'guardrail' },
  ],
  paywall_copy: [
    { key: 'revenue', role: 'goal' },
    { key: 'revenue_per_session', role: 'goal' },
    { key: 'load_time_ms', role: 'guardrail' },
  ],
  catch_animation: [
    { key: 'tabby_catch', role: 'goal' },
    { key: 'load_time_ms', role: 'guardrail' },
  ],
  store_layout: [
    { key: 'revenue_per_session', role: 'goal' },
    { key: 'sessions', role: 'guardrail' },
  ],
};

function metric(def: Partial<MetricInput> & Pick<MetricInput, 'key' | 'kind'>): MetricInput {
  return {
    name: null,
    description: null,
    event: null,
    filter: null,
    property: null,
    numerator: null,
    denominator: null,
    window_hours: null,
    capping: null,
    direction: 'higher',
    cuped_lookback_days: 14,
    ...def,
  };
}

/** A v4-shaped UUID from the generator, so event ids repeat with the seed. */
function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] as string, 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The experiments, funnels and metric catalog of the generated history: defineBenchExperiments' plus two more
 * experiments and a funnel, the catalog, and each experiment's goal and guardrail metrics.
 */
export async function defineGeneratedDefinitions(storage: BenchStorage): Promise<void> {
  await defineBenchExperiments(storage);
  await storage.funnels.create({ name: 'first_load', steps: ['app_open', 'load_time'], conversion_window_hours: 1 });
  for (const e of EXPERIMENTS.slice(2))
    await storage.experiments.create({
      key: e.key,
      status: 'running',
      variants: e.variants.map((key, i) => ({ key, weight: e.weights[i] as number })),
    });
  for (const m of CATALOG) await storage.metrics.create(m);
  for (const [key, metrics] of Object.entries(EXPERIMENT_METRICS)) await storage.experiments.update(key, { metrics });
}

interface Columns {
  at: Float64Array;
  user: Int32Array;
  name: Uint8Array;
  value: Float64Array;
  /** `$exposure` events: the experiment's index in EXPERIMENTS × 16 + the variant's index. */
  exposed: Uint8Array;
}

const HOUR = 3_600_000;

/** A user's events: sessions of an app_open (and its load time), then catches, level-ups, shares and purchases. */
function userEvents(
  rand: () => number,
  heavy: boolean,
  first: number,
  end: number,
  push: (...e: [number, number, number]) => void,
) {
  const count = heavy
    ? Math.min(400, Math.max(8, Math.round(-40 * Math.log(1 - rand()))))
    : 1 + Math.floor(-1.5 * Math.log(1 - rand()));
  // Light users come back for a day or two; heavy ones over up to two weeks.
  const span = Math.min(end - first, (heavy ? 14 * 24 : 48) * HOUR * (0.3 + 0.7 * rand()));
  const perSession = heavy ? 5 + Math.floor(rand() * 6) : 4;
  const sessions = Math.max(1, Math.round(count / perSession));
  const starts = Array.from({ length: sessions }, (_, i) => (i === 0 ? first : first + rand() * span)).sort(
    (a, b) => a - b,
  );
  let tutorialDone = false;
  let made = 0;
  for (const [s, start] of starts.entries()) {
    let t = start;
    const left = s === sessions - 1 ? count - made : Math.min(count - made, perSession);
    for (let k = 0; k < left; k++, made++) {
      if (k === 0) push(t, APP_OPEN, NaN);
      else if (k === 1 && rand() < 0.85) push(t, LOAD_TIME, Math.round(Math.exp(6.5 + 0.6 * gaussian(rand))));
      else if (!tutorialDone && rand() < 0.8) {
        tutorialDone = true;
        push(t, TUTORIAL, NaN);
      } else {
        const r = rand();
        if (r < (heavy ? 0.12 : 0.2)) {
          // A refund now and then: the revenue metric's value goes negative.
          const price = PRICES[Math.floor(rand() * PRICES.length)] as number;
          push(t, PURCHASE, rand() < 0.07 ? -price : price);
        } else if (r < 0.6) push(t, FIRST_CATCH, NaN);
        else if (r < 0.85) push(t, LEVEL_UP, NaN);
        else push(t, SHARE, NaN);
      }
      t += 5_000 + rand() * 240_000;
    }
  }
}

/**
 * A user's `$exposure` events of one experiment, with `rand` of their own: most users are exposed a second after
 * their assignment, some at a session a day or more later (or never, when none comes), 8 % never; exposed users are
 * exposed again at half of their later sessions on another UTC day (the SDK logs one per user, experiment and day).
 * One in a hundred sees another variant first (a QA override): the job must match the sticky one. `variant` -1: a
 * user with no sticky row (forced), exposed once to the first variant.
 */
function exposures(
  rand: () => number,
  assignedAt: number,
  variant: number,
  variants: number,
  sessionStarts: number[],
  end: number,
  push: (at: number, variant: number) => void,
) {
  if (variant < 0) {
    push(assignedAt + 2000, 0);
    return;
  }
  if (rand() < 0.01) push(assignedAt + 1000, (variant + 1) % variants);
  const r = rand();
  if (r < 0.08) return;
  let first = assignedAt + 2000;
  if (r >= 0.8) {
    const later = sessionStarts.find((s) => s >= assignedAt + 24 * HOUR);
    first = later !== undefined ? later + 2000 : assignedAt + (1 + 4 * rand()) * 24 * HOUR;
    if (first >= end) return;
  }
  push(first, variant);
  let day = Math.floor(first / (24 * HOUR));
  for (const s of sessionStarts) {
    const d = Math.floor(s / (24 * HOUR));
    if (s <= first || d === day || rand() >= 0.5) continue;
    day = d;
    push(s + 2000, variant);
  }
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * Defines the experiments and funnels, then writes assignments and events into the given database.
 * @example await generateEvents(client, storage, { events: 1_000_000, now: new Date() })
 */
export async function generateEvents(
  client: pg.Client,
  storage: BenchStorage,
  options: GenerateOptions,
): Promise<GeneratedHistory> {
  const started = performance.now();
  const rand = seededRandom(options.seed ?? 20261130);
  const exposureRand = seededRandom((options.seed ?? 20261130) ^ 0xe7b05e);
  const users = options.users ?? Math.max(1000, Math.round(options.events / 10));
  const end = options.now.getTime() - HOUR;
  const from = end - (options.days ?? 16) * 24 * HOUR;
  await defineGeneratedDefinitions(storage);
  const ids = new Map(
    (await client.query<{ id: string; key: string }>('select id, key from experiments')).rows.map((r) => [r.key, r.id]),
  );

  // Columnar, so 3M events stay small; sorted by time before loading. Room for the exposures too: the cap bounds
  // the other events (as before the exposures), never the exposures.
  const cap = Math.ceil(options.events * 1.2) + 1000;
  const room = cap * 2;
  const cols: Columns = {
    at: new Float64Array(room),
    user: new Int32Array(room),
    name: new Uint8Array(room),
    value: new Float64Array(room),
    exposed: new Uint8Array(room),
  };
  let exposureCount = 0;
  let n = 0;
  let activity = 0;
  const assignments: Array<[string, string, string, string]> = [];
  // Per user: which experiments they were in and when, to stamp events with the assignments of their moment.
  const userAssignments: Array<Array<[number, string, string]>> = [];
  // Heavy users draw about 40 events, light ones about 2: some 10 per user, so events / 10 users make about `events`.
  for (let u = 0; u < users && activity < cap - 500; u++) {
    const heavy = rand() < 0.2;
    const first = from + rand() * (end - from);
    const userStart = n;
    userEvents(rand, heavy, first, end, (at, name, value) => {
      if (activity >= cap) return;
      cols.at[n] = at;
      cols.user[n] = u;
      cols.name[n] = name;
      // A catch's species and level follow the count of events before it, exposures left out.
      cols.value[n] = name === FIRST_CATCH ? activity : value;
      n++;
      activity++;
    });
    const userEnd = n;
    const sessionStarts: number[] = [];
    for (let i = userStart; i < userEnd; i++) if (cols.name[i] === APP_OPEN) sessionStarts.push(cols.at[i] as number);
    const mine: Array<[number, string, string]> = [];
    const expose = (e: number) => (at: number, variant: number) => {
      cols.at[n] = at;
      cols.user[n] = u;
      cols.name[n] = EXPOSURE;
      cols.value[n] = NaN;
      cols.exposed[n] = e * 16 + variant;
      n++;
      exposureCount++;
    };
    for (const [x, e] of EXPERIMENTS.entries()) {
      if (rand() >= e.share) {
        // Now and then a user outside the experiment is forced into it (no sticky row) and exposed.
        if (exposureRand() < 0.005)
          exposures(exposureRand, sessionStarts[0] as number, -1, e.variants.length, [], end, expose(x));
        continue;
      }
      // Bucketed at a session start (onboarding at the first one), a second before the app_open.
      const at =
        (e.key === 'onboarding_flow'
          ? (sessionStarts[0] as number)
          : (sessionStarts[Math.floor(rand() * sessionStarts.length)] as number)) - 1000;
      let r = rand();
      let v = 0;
      while (v < e.weights.length - 1 && r >= (e.weights[v] as number)) r -= e.weights[v++] as number;
      const variant = e.variants[v] as string;
      mine.push([at, e.key, variant]);
      exposures(exposureRand, at, v, e.variants.length, sessionStarts, end, expose(x));
      assignments.push([ids.get(e.key) as string, `u${u}`, variant, new Date(at).toISOString()]);
    }
    userAssignments.push(mine);
  }

  for (let i = 0; i < assignments.length; i += 20_000) {
    const chunk = assignments.slice(i, i + 20_000);
    await client.query(
      `insert into assignments (experiment_id, user_id, variant, assigned_at)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])`,
      [chunk.map((a) => a[0]), chunk.map((a) => a[1]), chunk.map((a) => a[2]), chunk.map((a) => a[3])],
    );
  }

  // One partition per day, as the server's maintenance makes them, so the rows do not pile up in DEFAULT.
  for (let day = Math.floor(from / (24 * HOUR)) * 24 * HOUR; day <= end + 24 * HOUR; day += 24 * HOUR) {
    const d = new Date(day).toISOString().slice(0, 10);
    await client.query(
      `create table if not exists event_logs_p${d.replaceAll('-', '')} partition of event_logs
       for values from ('${d}') to ('${new Date(day + 24 * HOUR).toISOString().slice(0, 10)}')`,
    );
  }

  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (cols.at[a] as number) - (cols.at[b] as number),
  );
  const idRand = seededRandom((options.seed ?? 20261130) ^ 0x5eed);
  const CHUNK = 10_000;
  for (let c = 0; c < n; c += CHUNK) {
    const eventIds: string[] = [];
    const userIds: string[] = [];
    const names: string[] = [];
    const times: string[] = [];
    const properties: string[] = [];
    const stamped: string[] = [];
    for (let k = c; k < Math.min(n, c + CHUNK); k++) {
      const i = order[k] as number;
      const at = cols.at[i] as number;
      const name = cols.name[i] as number;
      const value = cols.value[i] as number;
      eventIds.push(uuid(idRand));
      userIds.push(`u${cols.user[i]}`);
      names.push(NAMES[name] as string);
      times.push(new Date(at).toISOString());
      const tag = cols.exposed[i] as number;
      const experiment = EXPERIMENTS[tag >> 4];
      properties.push(
        JSON.stringify(
          name === EXPOSURE
            ? { experiment_key: experiment?.key, variant: experiment?.variants[tag & 15] }
            : name === PURCHASE
              ? { value, currency: 'USD', sku: `gems_${Math.abs(value)}` }
              : name === LOAD_TIME
                ? { value, screen: 'home' }
                : name === FIRST_CATCH
                  ? { species: SPECIES[value % SPECIES.length], level: 1 + (value % 30) }
                  : {},
        ),
      );
      const held: Record<string, string> = {};
      for (const [t, key, variant] of userAssignments[cols.user[i] as number] ?? []) if (t <= at) held[key] = variant;
      stamped.push(JSON.stringify(held));
    }
    // Received half a minute after it happened: every event is settled for the jobs' watermark.
    await client.query(
      `insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, received_at,
                               properties, assignments)
       select e, u, (t at time zone 'UTC')::date, n, t, t, t + interval '30 seconds', p, a
         from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::jsonb[]) as x(e, u, n, t, p, a)`,
      [eventIds, userIds, names, times, properties, stamped],
    );
  }
  await client.query('vacuum analyze');
  return {
    events: n,
    exposures: exposureCount,
    users,
    assignments: assignments.length,
    seconds: (performance.now() - started) / 1000,
  };
}
