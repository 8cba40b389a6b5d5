/**
 * Property: the server and the SDK evaluating offline make the same decision. Random (definition, attributes, user)
 * triples — 2 to 4 variants with random weights summing to 1 and optional payloads, any coverage, conditions drawn
 * from a small grammar of GrowthBook operators over a few attributes, namespace ranges, a hash attribute with a
 * fallback, running or released — are decided by the server's assignment service and by a client that loaded the
 * same experiments from `GET /v1/definitions`; variant, reason and payload must be equal.
 *
 * Each run stores a batch of definitions through storage, loads them into the client with `fetchDefinitions()`, and
 * asks for a batch of users, each against every definition of the batch. `AGREEMENT_TRIPLES` (default 10,000) go
 * through the service in process (`assignUser`, the function the route calls, for speed); `AGREEMENT_HTTP_TRIPLES`
 * (default 300) through real `POST /v1/assignment` requests. Both counts are printed.
 *
 * Stickiness: the server stores a row for each bucketed user, and on later requests that row wins over the rules,
 * while the SDK offline keeps none. Every triple therefore uses a fresh user id (a first-time user), for whom both
 * decide by the rules alone. No QA overrides or holdouts are stored: overrides are per user and never reach the SDK,
 * and holdouts are covered by test/targeting-agreement.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import Koa from 'koa';
import { createAbRouter, parseExperimentDefinition } from '@ab-calicritters/server';
import { assignUser, createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { createClient, createMemoryStorage, type AbClient } from '@ab-calicritters/client';
import { chooseDatabase } from './real-server.js';

const TRIPLES = Number(process.env.AGREEMENT_TRIPLES ?? 10_000);
const HTTP_TRIPLES = Number(process.env.AGREEMENT_HTTP_TRIPLES ?? 300);

// ---- attributes -------------------------------------------------------------------------------------------------

const COUNTRIES = ['CA', 'US', 'FR', 'ca', ''] as const;
const VERSIONS = ['3.1.9', '3.2.0', '3.2.0-beta', '3.10.1', 'v4.0.0'] as const;
const TAGS = ['beta', 'staff', 'vip', 'new'] as const;

const attributesArb = fc.record(
  {
    country: fc.constantFrom(...COUNTRIES),
    platform: fc.constantFrom('ios', 'android', 'web'),
    age: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom('17', '42')),
    app: fc.record({ version: fc.constantFrom(...VERSIONS) }, { requiredKeys: [] }),
    tags: fc.subarray([...TAGS]),
    beta: fc.boolean(),
    device_id: fc.oneof(fc.stringMatching(/^[a-f0-9]{1,12}$/), fc.constant(''), fc.integer({ min: 0, max: 1e6 })),
    company: fc.constantFrom('acme', 'globex', 'initech'),
  },
  { requiredKeys: [] },
);

// ---- conditions: a small grammar of GrowthBook operators ---------------------------------------------------------

type Condition = Record<string, unknown>;

const leafArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.constantFrom(...COUNTRIES).map((c) => ({ country: c })),
  fc.subarray([...COUNTRIES], { minLength: 1 }).map((list) => ({ country: { $in: list } })),
  fc.subarray([...COUNTRIES], { minLength: 1 }).map((list) => ({ country: { $nin: list } })),
  fc.subarray(['ca', 'us'], { minLength: 1 }).map((list) => ({ country: { $ini: list } })),
  fc
    .tuple(fc.constantFrom('$eq', '$ne', '$lt', '$lte', '$gt', '$gte'), fc.integer({ min: 0, max: 99 }))
    .map(([op, n]) => ({ age: { [op]: n } })),
  fc
    .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 99 }))
    .map(([low, high]) => ({ age: { $gte: low, $lt: high } })),
  fc
    .tuple(fc.constantFrom('$veq', '$vne', '$vgt', '$vgte', '$vlt', '$vlte'), fc.constantFrom(...VERSIONS))
    .map(([op, v]) => ({ 'app.version': { [op]: v } })),
  fc.constantFrom('^(ios|web)$', 'droid', '^$').map((pattern) => ({ platform: { $regex: pattern } })),
  fc.subarray([...TAGS], { minLength: 1 }).map((list) => ({ tags: { $all: list } })),
  fc.integer({ min: 0, max: 3 }).map((n) => ({ tags: { $size: n } })),
  fc.constantFrom(...TAGS).map((tag) => ({ tags: { $elemMatch: { $eq: tag } } })),
  fc
    .tuple(fc.constantFrom('device_id', 'company', 'app'), fc.boolean())
    .map(([name, exists]) => ({ [name]: { $exists: exists } })),
  fc.constantFrom('number', 'string').map((type) => ({ age: { $type: type } })),
  fc.boolean().map((beta) => ({ beta })),
  fc.subarray([...COUNTRIES], { minLength: 1 }).map((list) => ({ country: { $not: { $in: list } } })),
  fc.constant({}),
);

const { condition: conditionArb } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'condition' },
    leafArb,
    fc
      .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('condition'), { minLength: 1, maxLength: 3 }))
      .map(([op, list]) => ({ [op]: list })),
    tie('condition').map((inner) => ({ $not: inner })),
    fc.tuple(leafArb, leafArb).map(([a, b]) => ({ ...a, ...b })),
  ),
}));

// ---- definitions -------------------------------------------------------------------------------------------------

const payloadArb = fc.oneof(
  fc.record({ title: fc.string({ maxLength: 12 }), limit: fc.integer({ min: -5, max: 500 }) }),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
);

/** Weights from random shares, rounded to 4 decimals, the last one taking the rest, so they sum to 1. */
const weightsArb = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 4 }).map((shares) => {
  const total = shares.reduce((a, b) => a + b, 0);
  const weights = shares.slice(0, -1).map((s) => Math.round((s / total) * 1e4) / 1e4);
  return [...weights, Math.round((1 - weights.reduce((a, b) => a + b, 0)) * 1e4) / 1e4];
});

const namespaceArb = fc
  .tuple(fc.constantFrom('paywalls', 'onboarding'), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 100 }))
  .filter(([, a, b]) => a !== b)
  .map(([name, a, b]) => [name, Math.min(a, b) / 100, Math.max(a, b) / 100] as const);

/** `arbitrary` in `weight` cases of 5, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number) =>
  fc.oneof({ weight: 5 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });

const definitionArb = fc.record(
  {
    weights: weightsArb,
    payloads: fc.array(fc.option(payloadArb, { nil: undefined }), { minLength: 4, maxLength: 4 }),
    seed: fc.option(fc.stringMatching(/^[a-z0-9_-]{1,16}$/), { nil: undefined }),
    coverage: fc.oneof(
      { weight: 3, arbitrary: fc.constant(1) },
      { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
    condition: sometimes(conditionArb, 2),
    namespace: sometimes(namespaceArb, 1),
    hashAttribute: fc.constantFrom(undefined, 'id', 'device_id', 'company'),
    fallbackAttribute: fc.constantFrom(undefined, 'device_id', 'company'),
    released: sometimes(fc.nat(3), 1),
  },
  { requiredKeys: ['weights', 'payloads', 'coverage', 'hashAttribute'] },
);
type Definition = typeof definitionArb extends fc.Arbitrary<infer T> ? T : never;

/** The admin API's body for a generated definition; keys and namespace names are unique per run (never reused). */
function adminBody(d: Definition, key: string): Record<string, unknown> {
  const variants = d.weights.map((weight, i) => ({
    key: `v${i}`,
    weight,
    ...(d.payloads[i] !== undefined && { value: d.payloads[i] }),
  }));
  const released = d.released === undefined ? undefined : variants[d.released % variants.length]!.key;
  return {
    key,
    variants,
    coverage: d.coverage,
    ...(d.seed !== undefined && { seed: d.seed }),
    ...(d.condition !== undefined && { condition: d.condition }),
    // Storage refuses overlapping claims of one namespace; a name per experiment keeps the ranges random.
    ...(d.namespace !== undefined && { namespace: [`${d.namespace[0]}_${key}`, d.namespace[1], d.namespace[2]] }),
    ...(d.hashAttribute !== undefined && { hash_attribute: d.hashAttribute }),
    ...(d.fallbackAttribute !== undefined && { fallback_attribute: d.fallbackAttribute }),
    status: released === undefined ? 'running' : 'released',
    ...(released !== undefined && { released_variant: released }),
  };
}

const userArb = fc.record({
  id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), fc.integer({ min: 0, max: 1e9 }).map(String)),
  attributes: attributesArb,
});

// ---- the comparison ----------------------------------------------------------------------------------------------

interface Decision {
  variant: string | null;
  reason: string;
  value: unknown;
}

type Decide = (userId: string, attributes: Record<string, unknown>, keys: string[]) => Promise<Map<string, Decision>>;

interface World {
  db: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

async function startWorld(): Promise<World> {
  await chooseDatabase();
  const db = await createTestStorage();
  const router = createAbRouter({ storage: db.storage, experimentCacheTtlMs: 0, logger: console });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    db,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}

let runId = 0;
const reasons = new Map<string, number>();

/**
 * Runs the property over `triples` triples, `defsPerRun` × `usersPerRun` per run, deciding the server's side with
 * `decide`. Returns the number of triples compared.
 */
async function agree(
  world: World,
  client: AbClient,
  decide: Decide,
  triples: number,
  defsPerRun: number,
  usersPerRun: number,
): Promise<number> {
  let compared = 0;
  const property = fc.asyncProperty(
    fc.array(definitionArb, { minLength: defsPerRun, maxLength: defsPerRun }),
    fc.array(userArb, { minLength: usersPerRun, maxLength: usersPerRun }),
    async (definitions, users) => {
      const run = ++runId;
      const keys = definitions.map((_, i) => `p${run}_${i}`);
      for (const [i, d] of definitions.entries()) {
        const parsed = parseExperimentDefinition(adminBody(d, keys[i]!));
        if (!parsed.ok) throw new Error(`generated a definition the admin API refuses: ${JSON.stringify(parsed)}`);
        await world.db.storage.experiments.create(parsed.value);
      }
      assert.ok(await client.fetchDefinitions(), 'definitions fetched');
      for (const [j, user] of users.entries()) {
        // A fresh id per run and user: a first-time user, with no sticky row yet.
        const userId = `${user.id}~${run}.${j}`;
        const fromServer = await decide(userId, user.attributes, keys);
        client.identify(userId, user.attributes);
        for (const key of keys) {
          const server = fromServer.get(key);
          const sdk = client.getAssignment(key);
          const label = `${key} / ${userId} / ${JSON.stringify(user.attributes)}`;
          assert.ok(server, `${label}: the server answered`);
          assert.equal([sdk.variant, sdk.reason, sdk.value], [server.variant, server.reason, server.value], label);
          reasons.set(server.reason, (reasons.get(server.reason) ?? 0) + 1);
          compared++;
        }
      }
    },
  );
  const numRuns = Math.max(1, Math.ceil(triples / (defsPerRun * usersPerRun)));
  await fc.assert(property, { numRuns, endOnFailure: true });
  return compared;
}

function sdkClient(baseUrl: string): AbClient {
  return createClient({
    baseUrl,
    userId: 'nobody-yet',
    storage: createMemoryStorage(),
    autoRefresh: false,
    autoExposure: false,
    flushIntervalMs: 0,
  });
}

const toDecisions = (assignments: Array<Decision & { experiment_key: string }>) =>
  new Map(assignments.map((a) => [a.experiment_key, { variant: a.variant, reason: a.reason, value: a.value }]));

test(`the assignment service in process and the offline SDK agree on ${TRIPLES} random triples`, async () => {
  const world = await startWorld();
  const client = sdkClient(world.baseUrl);
  try {
    await client.ready;
    const { storage } = world.db;
    let batch: { keys: string; experiments: Awaited<ReturnType<typeof storage.experiments.listWithIds>> } | undefined;
    const cache = {
      // Only this run's experiments, read once per batch of keys: what the route's cache would hold for them.
      async byKey() {
        return new Map(batch!.experiments.map((e) => [e.key, e]));
      },
      async snapshot() {
        return { experiments: await this.byKey(), savedGroups: {} };
      },
      // Never fresh: each batch reads its experiments through snapshot().
      peek: () => undefined,
      invalidate: () => undefined,
    };
    const decide: Decide = async (userId, attributes, keys) => {
      if (batch?.keys !== keys.join()) {
        const wanted = new Set(keys);
        batch = {
          keys: keys.join(),
          experiments: (await storage.experiments.listWithIds()).filter((e) => wanted.has(e.key)),
        };
      }
      const response = await assignUser(storage, cache, { user_id: userId, attributes, experiment_keys: keys });
      return toDecisions(response.assignments);
    };
    const started = Date.now();
    const compared = await agree(world, client, decide, TRIPLES, 10, 10);
    console.log(
      `server (in process) and offline SDK agree on ${compared} triples in ${Date.now() - started} ms; reasons ${JSON.stringify(Object.fromEntries(reasons))}`,
    );
    assert.ok(compared >= TRIPLES);
    if (TRIPLES >= 1000) {
      for (const reason of ['assigned', 'not_targeted', 'outside_coverage', 'namespace', 'released']) {
        assert.ok((reasons.get(reason) ?? 0) > 0, `some triples end ${reason}`);
      }
    }
  } finally {
    await client.shutdown(10);
    await world.close();
  }
});

test(`POST /v1/assignment and the offline SDK agree on ${HTTP_TRIPLES} random triples`, async () => {
  const world = await startWorld();
  const client = sdkClient(world.baseUrl);
  try {
    await client.ready;
    const decide: Decide = async (userId, attributes, keys) => {
      const res = await fetch(`${world.baseUrl}/v1/assignment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: userId, attributes, experiment_keys: keys }),
      });
      assert.is(res.status, 200);
      return toDecisions(
        ((await res.json()) as { assignments: Array<Decision & { experiment_key: string }> }).assignments,
      );
    };
    const started = Date.now();
    const compared = await agree(world, client, decide, HTTP_TRIPLES, 5, 6);
    console.log(`POST /v1/assignment and offline SDK agree on ${compared} triples in ${Date.now() - started} ms`);
    assert.ok(compared >= HTTP_TRIPLES);
  } finally {
    await client.shutdown(10);
    await world.close();
  }
});

test.run();
