/**
 * GrowthBook's `run` spec cases through POST /v1/assignment, the table packages/client/src/local-evaluation.test.ts
 * runs through the client offline: each case's experiment is created through the admin API (variations as variant
 * payloads, `active: false` as a stopped experiment, the context's `forcedVariations` as stored QA overrides) and the
 * answer must show GrowthBook's value with its `inExperiment`.
 *
 * Skipped, with a reason: cases that need what the server does not take (a page address, `enabled`, `qaMode`, saved
 * groups, an experiment-level `force`, `filters`, `ranges`, prerequisites), cases without a user id, and cases whose
 * bucket hash version 1 decides: the server always hashes with version 2, so only cases where both versions agree
 * can be compared.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { evaluateExperiment, type TargetedExperiment } from '@ab-calicritters/core';
import { admin, startTestServer, type TestServer } from './helpers/test-server.js';

type RunCase = [string, Record<string, any>, Record<string, any>, unknown, boolean, boolean];
const corePackage = createRequire(import.meta.url).resolve('@ab-calicritters/core/package.json');
const spec = JSON.parse(readFileSync(new URL('spec/growthbook-sdk-cases.json', `file://${corePackage}`), 'utf8')) as {
  run: RunCase[];
};

const SERVER_CONTEXT_KEYS = new Set(['attributes', 'forcedVariations']);
const SERVER_EXPERIMENT_KEYS = new Set([
  ...['key', 'variations', 'weights', 'coverage', 'seed', 'hashVersion', 'condition', 'namespace'],
  ...['hashAttribute', 'fallbackAttribute', 'active'],
]);

const it = suite<{ server: TestServer }>('GrowthBook run cases through POST /v1/assignment');
it.before(async (ctx) => {
  ctx.server = await startTestServer({ experimentCacheTtlMs: 60_000 });
});
it.after(async (ctx) => ctx.server.close());

function userIdOf(attributes: Record<string, unknown> | undefined): string | undefined {
  const id = attributes?.id;
  if (typeof id === 'string' && id !== '') return id;
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
}

/** Core's decision with the given hash version, to tell the cases whose bucket the version decides. */
function decided(context: Record<string, any>, experiment: Record<string, any>, hashVersion: 1 | 2) {
  const variations = experiment.variations as unknown[];
  const definition = {
    ...experiment,
    key: experiment.key as string,
    variants: variations.map((_, i) => ({ key: `v${i}`, weight: experiment.weights?.[i] ?? 1 / variations.length })),
    hashVersion,
  } as TargetedExperiment;
  const { variant, inExperiment } = evaluateExperiment(context, definition);
  return JSON.stringify([variant, inExperiment]);
}

it('every run case the server can express shows GrowthBook value and inExperiment', async ({ server }) => {
  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const failures: string[] = [];
  let compared = 0;
  for (const [index, [name, context, experiment, value, inExperiment]] of spec.run.entries()) {
    const unsupported = [
      ...Object.keys(context).filter((k) => !SERVER_CONTEXT_KEYS.has(k)),
      ...Object.keys(experiment).filter((k) => !SERVER_EXPERIMENT_KEYS.has(k)),
    ];
    if (unsupported.length > 0) {
      skip(unsupported.join('+'));
      continue;
    }
    const userId = userIdOf(context.attributes);
    if (userId === undefined) {
      skip('no id attribute');
      continue;
    }
    const variations = experiment.variations as unknown[];
    if (variations.length < 2) {
      skip('one variation (a definition needs two)');
      continue;
    }
    if (decided(context, experiment, experiment.hashVersion ?? 1) !== decided(context, experiment, 2)) {
      skip('bucket decided by hash version 1');
      continue;
    }
    const key = `run_${index}`;
    const created = await server.post(
      '/v1/admin/experiments',
      {
        key,
        // GrowthBook hashes by `seed || key`; our key differs, so the seed carries theirs.
        seed: experiment.seed || experiment.key,
        variants: variations.map((v, i) => ({
          key: `v${i}`,
          weight: experiment.weights?.[i] ?? 1 / variations.length,
          value: v,
        })),
        status: experiment.active === false ? 'stopped' : 'running',
        ...(experiment.coverage !== undefined && { coverage: experiment.coverage }),
        ...(experiment.condition !== undefined && { condition: experiment.condition }),
        ...(experiment.namespace !== undefined && { namespace: experiment.namespace }),
        ...(experiment.hashAttribute !== undefined && { hash_attribute: experiment.hashAttribute }),
        ...(experiment.fallbackAttribute !== undefined && { fallback_attribute: experiment.fallbackAttribute }),
      },
      admin,
    );
    assert.is(created.status, 201, `${name}: ${JSON.stringify(created.body)}`);
    const forced = (context.forcedVariations as Record<string, number> | undefined)?.[experiment.key];
    if (forced !== undefined) {
      const path = `/v1/admin/experiments/${key}/overrides/${encodeURIComponent(userId)}`;
      const res = await server.send('PUT', path, JSON.stringify({ variant: `v${forced}` }), {
        ...admin,
        'content-type': 'application/json',
      });
      assert.is(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
    }
    const res = await server.post('/v1/assignment', {
      user_id: userId,
      attributes: context.attributes ?? {},
      experiment_keys: [key],
    });
    assert.is(res.status, 200, name);
    const got = res.body.assignments[0] as { variant: string | null; reason: string; value: unknown };
    const shown = got.variant === null ? variations[0] : got.value;
    const gotInExperiment = got.reason === 'assigned' || got.reason === 'forced';
    if (JSON.stringify([shown, gotInExperiment]) !== JSON.stringify([value, inExperiment])) {
      failures.push(`${name}: got ${JSON.stringify(got)}, expected ${JSON.stringify([value, inExperiment])}`);
    }
    compared++;
    // Archived, so a later case may claim an overlapping range of the same namespace.
    assert.is((await server.send('DELETE', `/v1/admin/experiments/${key}`, undefined, admin)).status, 200);
  }
  assert.equal(failures, []);
  console.log(`run cases through HTTP: ${compared} compared, skipped ${JSON.stringify(Object.fromEntries(skipped))}`);
  assert.is(compared + [...skipped.values()].reduce((a, b) => a + b, 0), spec.run.length);
  assert.is(compared, 24);
});

it.run();
