/**
 * Property-based fuzzing of every public and admin endpoint over real HTTP: random and hostile JSON, well-typed
 * bodies with one field broken, lone surrogates, NUL, huge strings, deep nesting, `__proto__` keys, odd content types
 * and encodings, bytes that are not UTF-8, junk in paths and query strings, wrong tokens.
 * For every case: no 5xx and nothing logged as an error; every 4xx carries `{ error: { code, message } }`; the
 * server still answers /health; nothing is stored from a refused request or a rejected event, accepted events are
 * stored once; definitions change only with the admin token; no prototype gains a key. A write answered 2xx must
 * store what it was sent: those differences are collected and asserted by the last test, so the run goes on.
 * Environment: FUZZ_RUNS (cases in all, split by endpoint weight; default 3000), FUZZ_SEED (default printed),
 * FUZZ_ONLY (a part of the endpoint names to run), FUZZ_VERBOSE=1 (print every case and its answer).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import Koa from 'koa';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAbRouter, createMetricAdmin } from '../src/index.js';
import { parseActorHeader } from '../src/http/admin-actor.js';
import { createTestStorage, testDatabaseKind, testSql, type TestDatabase } from '../src/testing.js';
import {
  assertNoPollution,
  count,
  definitionMismatches,
  observeEvents,
  parseJson,
  ruleMismatches,
} from './helpers/fuzz-invariants.js';
import {
  bodyBytes,
  closeSender,
  endpointName,
  ENDPOINTS,
  isCompressed,
  readsBody,
  requestsTo,
  seededRunIds,
  sendRequest,
  type Endpoint,
  type FuzzRequest,
} from './helpers/fuzz-requests.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN } from './helpers/test-server.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_511);
const ONLY = process.env.FUZZ_ONLY;
const VERBOSE = process.env.FUZZ_VERBOSE === '1';

interface Fuzz {
  db: TestDatabase;
  server: Server;
  port: number;
  /** What the router's logger and the app's error event saw. */
  errors: unknown[];
  /** Definitions as last written with the admin token. */
  definitions: string;
}

const stats = {
  cases: new Map<string, number>(),
  statuses: new Map<string, number>(),
  serverErrors: 0,
  resets: 0,
  eventsAccepted: 0,
  eventsRejected: 0,
  started: 0,
};
/** Writes answered 2xx that stored something other than what was sent. */
const mismatches: Array<{ request: FuzzRequest; problems: string[] }> = [];
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

const json = (method: string, target: string, body: unknown, headers: Record<string, string> = {}): FuzzRequest => ({
  method,
  target,
  oddSpelling: false,
  authorized: true,
  headers: { 'content-type': 'application/json', ...headers },
  body: { json: body },
  chunked: false,
});
const admin = { 'x-admin-token': ADMIN_TOKEN };
const twoVariants = [
  { key: 'a', weight: 0.5 },
  { key: 'b', weight: 0.5 },
];

/** Minimal counterexamples of bugs found by earlier runs, replayed first on every run (fast-check `examples`). */
const REGRESSIONS: Record<string, FuzzRequest[]> = {
  // A lone surrogate passes the schema; PostgreSQL stores U+FFFD, the answer echoes the surrogate.
  'POST /v1/admin/experiments': [
    json(
      'POST',
      '/v1/admin/experiments',
      { key: 'fuzz-lone-name', name: '\udc31', seed: 's\ud83d', variants: twoVariants },
      admin,
    ),
  ],
  'PATCH /v1/admin/experiments/:key': [json('PATCH', '/v1/admin/experiments/fuzz-draft', { name: '\ud83d ' }, admin)],
  // PGlite reads a text value that starts with U+FEFF without it (a decoder that strips a byte-order mark).
  'POST /v1/events': [
    json('POST', '/v1/events', {
      events: [
        {
          event_id: '0f0e0d0c-0b0a-4908-8706-050403020100',
          user_id: '\ufeffu-bom',
          name: '\ufeffopened',
          timestamp: new Date().toISOString(),
        },
      ],
    }),
  ],
};

const it = suite<Fuzz>('fuzz every endpoint');

it.before(async (ctx) => {
  stats.started = performance.now();
  ctx.errors = [];
  ctx.db = await createTestStorage();
  const router = createAbRouter({
    storage: ctx.db.storage,
    adminToken: ADMIN_TOKEN,
    dashboardToken: DASHBOARD_TOKEN,
    logger: { error: (obj: unknown) => ctx.errors.push(obj) },
    summaryCacheTtlMs: 0,
    rateLimit: false,
    loadTests: true,
  });
  const app = new Koa();
  app.on('error', (error: unknown) => ctx.errors.push(error));
  app.use(router.routes()).use(router.allowedMethods());
  ctx.server = createServer(app.callback());
  await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
  ctx.port = (ctx.server.address() as AddressInfo).port;
  await seed(ctx.db);
  ctx.definitions = await definitions(ctx.db);
  console.log(`fuzz: seed ${SEED} (FUZZ_SEED), ${RUNS} cases (FUZZ_RUNS) on ${testDatabaseKind()}`);
});

it.after(async (ctx) => {
  closeSender();
  ctx.server?.closeAllConnections();
  if (ctx.server) await new Promise((resolve) => ctx.server.close(resolve));
  await ctx.db?.close();
  const seconds = ((performance.now() - stats.started) / 1000).toFixed(1);
  const cases = [...stats.cases.values()].reduce((a, b) => a + b, 0);
  const perEndpoint = [...stats.cases].map(([name, n]) => `${name} ${n}`).join(', ');
  const statuses = [...stats.statuses]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
  console.log(
    `fuzz summary: ${cases} cases on ${testDatabaseKind()}, seed ${SEED}, ${seconds} s | ${perEndpoint} | status ${statuses}` +
      ` | 5xx ${stats.serverErrors} | resets ${stats.resets} | events accepted ${stats.eventsAccepted}, rejected ${stats.eventsRejected}` +
      ` | stored-as-sent mismatches ${mismatches.length}`,
  );
});

async function seed(db: TestDatabase) {
  const { experiments, funnels, loadTests } = db.storage;
  await experiments.create({ key: 'fuzz_exp', status: 'running', variants: twoVariants });
  await experiments.create({
    key: 'fuzz-draft',
    status: 'draft',
    variants: [
      { key: 'a', weight: 0.2 },
      { key: 'b', weight: 0.8 },
    ],
  });
  await funnels.create({ name: 'fuzz_funnel', steps: ['opened', 'purchase'], conversion_window_hours: 24 });
  await db.storage.holdouts.create({
    key: 'fuzz_holdout',
    name: null,
    seed: 'fuzz_holdout',
    share: 0.05,
    experiment_keys: [],
    all_experiments: true,
  });
  await db.storage.savedGroups.create({ key: 'fuzz_group', name: null, values: ['qa-1', 42] });
  await createMetricAdmin(db.storage).create({ key: 'fuzz_count', kind: 'count', event: 'opened' });
  await createMetricAdmin(db.storage).create({ key: 'fuzz_sum', kind: 'sum', event: 'purchase' });
  await createMetricAdmin(db.storage).create({
    key: 'fuzz_ratio',
    kind: 'ratio',
    numerator: 'fuzz_sum',
    denominator: 'fuzz_count',
  });
  await db.storage.overrides.set('fuzz_exp', 'qa-1', { variant: 'b' });
  for (const phase of ['baseline', 'post_mitigation'] as const) {
    const run = await loadTests.createRun({
      name: `fuzz-${phase}`,
      scenario: 'assignment',
      phase,
      target: 'http://127.0.0.1:3000',
    });
    await loadTests.finishRun(run.id, { status: 'completed', ended_at: new Date(), duration_ms: 1000 });
    seededRunIds.push(run.id);
  }
}

const definitions = async (db: TestDatabase) =>
  JSON.stringify({
    experiments: await db.storage.experiments.list({ includeArchived: true }),
    funnels: await db.storage.funnels.list({ includeArchived: true }),
    holdouts: await db.storage.holdouts.list({ includeArchived: true }),
    metrics: await db.storage.metrics.list({ includeArchived: true }),
    overrides: await testSql(db.storage, 'select * from experiment_overrides order by experiment_id, user_id'),
  });

/** The status and body rules every answer follows. */
function checkAnswer(
  endpoint: Endpoint,
  req: FuzzRequest,
  reply: Awaited<ReturnType<typeof sendRequest>>,
  what: string,
) {
  if (reply.reset) {
    // Only an upload over the limit may be cut off (the server closes instead of reading it).
    const size = bodyBytes(req)?.length ?? 0;
    assert.ok(
      endpoint.limit !== undefined && size > endpoint.limit,
      `${what}: connection ${reply.reset} for a ${size}-byte body`,
    );
    return;
  }
  assert.ok(reply.status >= 200 && reply.status < 500, `${what} → ${reply.status} ${reply.text.slice(0, 500)}`);
  const body = parseJson(reply);
  if (reply.status >= 400) {
    // A spelling that misses our case-sensitive routes falls through to the host app, whose 404 is Koa's.
    const hostNotFound = req.oddSpelling && reply.status === 404 && reply.text === 'Not Found';
    if (!hostNotFound) {
      assert.match(reply.contentType, /^application\/json/, `${what} → ${reply.status} with ${reply.contentType}`);
      assert.type(body?.error?.code, 'string', `${what} → ${reply.status} ${reply.text.slice(0, 300)}`);
      assert.type(body?.error?.message, 'string', `${what} → ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  } else {
    assert.ok(body !== null && typeof body === 'object', `${what} → ${reply.status} without a JSON body`);
  }
  if (!req.authorized) assert.ok(reply.status >= 400, `${what}: ${reply.status} without a valid token`);
  if (!req.authorized && !req.oddSpelling)
    assert.is(reply.status, 401, `${what}: the route's guard answers 401 to a bad token`);
  // An admin change with an x-admin-actor the audit log cannot store is refused first, naming the header.
  const actor = req.headers['x-admin-actor'];
  const badActor =
    endpoint.guard === 'admin' &&
    endpoint.method !== 'GET' &&
    typeof actor === 'string' &&
    // The HTTP parser drops the spaces around a header value before the server sees it.
    'problem' in parseActorHeader(actor.replace(/^[ \t]+|[ \t]+$/g, ''));
  if (req.authorized && !req.oddSpelling && badActor) {
    assert.is(reply.status, 400, `${what}: a bad x-admin-actor must be refused`);
    assert.is(body?.error?.code, 'invalid_header', what);
  }
  const encoding = req.headers['content-encoding'];
  if (
    !badActor &&
    req.authorized &&
    !req.oddSpelling &&
    readsBody(endpoint) &&
    req.body &&
    isCompressed(typeof encoding === 'string' ? encoding : undefined)
  ) {
    assert.is(reply.status, 415, `${what}: a compressed body (${String(encoding)}) must be refused`);
  }
}

async function checkCase(ctx: Fuzz, endpoint: Endpoint, req: FuzzRequest) {
  bump(stats.cases, endpointName(endpoint));
  const what = `${req.method} ${req.target.slice(0, 200)}`;
  const errorsBefore = ctx.errors.length;
  const eventsCheck = endpoint.path === '/v1/events' ? await observeEvents(ctx.db, req) : undefined;
  const assignments = endpoint.path === '/v1/assignment' ? await count(ctx.db, 'assignments') : undefined;

  const reply = await sendRequest(ctx.port, req);
  if (VERBOSE) console.log(reply.reset ?? reply.status, fc.stringify(req).slice(0, 2000), reply.text.slice(0, 300));
  bump(stats.statuses, reply.reset ? 'reset' : String(reply.status));
  if (reply.status >= 500) stats.serverErrors++;
  if (reply.reset) stats.resets++;
  checkAnswer(endpoint, req, reply, what);
  assert.equal(ctx.errors.slice(errorsBefore), [], `${what}: the server logged an error`);

  const events = await eventsCheck?.(reply, what);
  if (events) {
    stats.eventsAccepted += events.accepted;
    stats.eventsRejected += events.rejected;
    if (events.mismatches.length > 0) mismatches.push({ request: req, problems: events.mismatches });
  }
  if (assignments !== undefined && reply.status !== 200) {
    assert.is(await count(ctx.db, 'assignments'), assignments, `${what}: a refused assignment stored rows`);
  }
  const now = await definitions(ctx.db);
  if (endpoint.guard === 'admin' && req.authorized) {
    if (reply.status >= 200 && reply.status < 300 && endpoint.method !== 'GET') {
      const rules = ['/holdouts', '/overrides', '/saved-groups', '/admin/metrics'].some((part) =>
        endpoint.path.includes(part),
      );
      const problems = rules
        ? await ruleMismatches(ctx.db, req, reply)
        : await definitionMismatches(ctx.db, endpoint.path.includes('/funnels'), req, reply);
      if (problems.length > 0) mismatches.push({ request: req, problems });
    }
    ctx.definitions = now;
  } else {
    assert.is(now, ctx.definitions, `${what}: definitions changed without the admin token`);
  }

  const health = await sendRequest(ctx.port, {
    method: 'GET',
    target: '/health',
    oddSpelling: false,
    authorized: true,
    headers: {},
    chunked: false,
  });
  assert.is(health.status, 200, `${what}: /health answers ${health.status} afterwards`);
  assertNoPollution(what);
}

// ── one property per endpoint ──────────────────────────────────────────────────────────────────────────────────

const totalWeight = ENDPOINTS.reduce((sum, e) => sum + e.weight, 0);

for (const endpoint of ENDPOINTS) {
  const name = endpointName(endpoint);
  if (ONLY && !name.includes(ONLY)) continue;
  const numRuns = Math.max(1, Math.round((RUNS * endpoint.weight) / totalWeight));
  it(`${name}: no 5xx, JSON errors, nothing stored or changed that should not be, no pollution (${numRuns} cases)`, async (ctx) => {
    await fc.assert(
      fc.asyncProperty(requestsTo(endpoint), (req) => checkCase(ctx, endpoint, req)),
      {
        numRuns,
        seed: SEED,
        includeErrorInReport: true,
        examples: (REGRESSIONS[name] ?? []).map((req) => [req] as [FuzzRequest]),
      },
    );
  });
}

it('writes answered 2xx stored exactly what they were sent (and answered)', () => {
  const shown = mismatches
    .slice(0, 5)
    .map(({ request, problems }) => `${fc.stringify(request).slice(0, 1500)}\n    → ${problems.join('; ')}`);
  assert.ok(
    mismatches.length === 0,
    `${mismatches.length} writes stored something else than was sent:\n  ${shown.join('\n  ')}`,
  );
});

it.run();
