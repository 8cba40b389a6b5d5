/**
 * Local evaluation (`definitions`) decides as core's evaluateExperiment() does: GrowthBook's `run` cases that core
 * runs, through the client; core's assignment table; payloads, saved groups and switching with setDefinitions().
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { evaluateExperiment, type AssignableExperiment, type TargetedExperiment } from '@ab-calicritters/core';
import { EXPOSURE_EVENT } from './client.js';
import { createFakeServer, sentEvents, setup } from './fakes.js';

const require = createRequire(import.meta.url);
const spec = JSON.parse(
  readFileSync(
    new URL('spec/growthbook-sdk-cases.json', `file://${require.resolve('@ab-calicritters/core/package.json')}`),
    'utf8',
  ),
) as { run: Array<[string, Record<string, any>, Record<string, any>, unknown, boolean, boolean]> };
const table = require('@ab-calicritters/core/spec/assignment-cases.json') as {
  cases: Array<{ experiment: AssignableExperiment; user_id: string; variant: string | null }>;
};

// The keys core's own run-case test supports (packages/core/src/evaluate-experiment.test.ts).
const CORE_CONTEXT_KEYS = new Set(['attributes', 'savedGroups', 'forcedVariations', 'url', 'enabled', 'qaMode']);
const CORE_EXPERIMENT_KEYS = new Set([
  ...['key', 'variations', 'weights', 'coverage', 'seed', 'hashVersion', 'condition', 'namespace'],
  ...['hashAttribute', 'fallbackAttribute', 'active', 'force'],
]);
// What the client's options can express: the user id is always the `id` attribute, and there are no
// `forcedVariations`, `enabled` or `qaMode` options (QA overrides are stored on the server, or in the URL).
const CLIENT_CONTEXT_KEYS = new Set(['attributes', 'savedGroups', 'url']);

function fromGrowthBook(experiment: Record<string, any>): TargetedExperiment {
  const variations = experiment.variations as unknown[];
  const weights = experiment.weights as number[] | undefined;
  return {
    ...experiment,
    key: experiment.key,
    variants: variations.map((value, i) => ({ key: String(i), weight: weights?.[i] ?? 1 / variations.length, value })),
    hashVersion: experiment.hashVersion ?? 1,
  } as TargetedExperiment;
}

function userIdOf(attributes: Record<string, unknown> | undefined): string | undefined {
  const id = attributes?.id;
  if (typeof id === 'string' && id !== '') return id;
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
}

test("GrowthBook's run cases that core runs give core's answer through the client, offline", () => {
  let compared = 0;
  const skipped = new Map<string, number>();
  const failures: string[] = [];
  for (const [name, context, experiment, value, inExperiment] of spec.run) {
    const coreRuns =
      Object.keys(context).every((k) => CORE_CONTEXT_KEYS.has(k)) &&
      Object.keys(experiment).every((k) => CORE_EXPERIMENT_KEYS.has(k));
    if (!coreRuns) continue;
    const userId = userIdOf(context.attributes);
    const unsupported = [
      ...Object.keys(context).filter((k) => !CLIENT_CONTEXT_KEYS.has(k)),
      ...(userId === undefined ? ['no id attribute'] : []),
    ];
    if (unsupported.length > 0) {
      for (const reason of unsupported) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      continue;
    }
    compared++;
    const definition = fromGrowthBook(experiment);
    const { client } = setup({
      userId,
      attributes: context.attributes,
      savedGroups: context.savedGroups,
      definitions: [definition],
      enableQueryStringOverride: true,
      location: () => context.url,
      autoExposure: false,
    });
    const got = client.getAssignment(definition.key);
    const core = evaluateExperiment(context, definition);
    // The client's value is the payload of its variant, GrowthBook's the variation shown (the control when excluded).
    const shown = got.variant === null ? experiment.variations[0] : got.value;
    const gotInExperiment = got.reason === 'assigned' || got.reason === 'forced';
    if (
      got.variant !== core.variant ||
      got.reason !== core.reason ||
      JSON.stringify([shown, gotInExperiment]) !== JSON.stringify([value, inExperiment])
    ) {
      failures.push(`${name}: got ${JSON.stringify(got)}, core ${JSON.stringify(core)}, expected ${String(value)}`);
    }
  }
  assert.equal(failures, []);
  assert.is(compared, 56);
  assert.equal(Object.fromEntries(skipped), {
    'no id attribute': 4,
    qaMode: 3,
    enabled: 1,
    forcedVariations: 2,
  });
});

test('with definitions, getVariant agrees with every case of core spec/assignment-cases.json', () => {
  const experiments = [...new Map(table.cases.map((c) => [c.experiment.key, c.experiment])).values()];
  for (const c of table.cases) {
    const { client } = setup({ userId: c.user_id, definitions: experiments, autoExposure: false });
    assert.is(client.getVariant(c.experiment.key), c.variant, `${c.experiment.key} / ${c.user_id}`);
  }
});

const variants = [
  { key: 'control', weight: 0.5, value: { title: 'Go premium' } },
  { key: 'urgency', weight: 0.5, value: { title: 'Last chance' } },
];
const paywall: TargetedExperiment = { key: 'paywall', variants, condition: { country: 'CA' } };

test("local evaluation ignores the server's answers, targets by attributes and returns payloads", async () => {
  const server = createFakeServer({ paywall: 'urgency' });
  const { client } = setup({ definitions: [paywall], attributes: { country: 'US' } }, server);
  await client.refreshAssignments();
  assert.equal(client.getAssignment('paywall'), {
    variant: null,
    reason: 'not_targeted',
    value: null,
    source: 'definitions',
  });
  assert.equal(client.getVariantValue('paywall', { title: 'default' }), { title: 'default' });
  client.setAttributes({ country: 'CA' });
  const expected = evaluateExperiment({ attributes: { id: 'u1', country: 'CA' } }, paywall);
  assert.is(client.getVariant('paywall'), expected.variant);
  assert.equal(client.getVariantValue('paywall', { title: 'default' }), variants[expected.index]!.value);
  assert.is(client.getAssignment('unknown').reason, 'unknown');
});

test('the user id is the id attribute, whatever the attributes say, as on the server', () => {
  const plain: TargetedExperiment = { key: 'plain', variants };
  const { client } = setup({ userId: 'u7', definitions: [plain], attributes: { id: 'someone-else' } });
  assert.is(client.getVariant('plain'), evaluateExperiment({ attributes: { id: 'u7' } }, plain).variant);
});

test('saved groups feed $inGroup, from the option or from setDefinitions', () => {
  const qa: TargetedExperiment = { key: 'qa_only', variants, condition: { id: { $inGroup: 'qa' } } };
  const { client } = setup({ definitions: [qa], savedGroups: { qa: ['u1'] } });
  assert.is(client.getAssignment('qa_only').reason, 'assigned');
  client.setDefinitions([qa], { qa: ['u2'] });
  assert.is(client.getAssignment('qa_only').reason, 'not_targeted');
});

test('setDefinitions switches local evaluation on and off; malformed definitions are refused', async () => {
  const server = createFakeServer({ paywall: { variant: 'urgency', reason: 'assigned', value: { title: 'S' } } });
  const { client, errors } = setup({ attributes: { country: 'US' } }, server);
  await client.refreshAssignments();
  assert.is(client.getAssignment('paywall').source, 'server');
  client.setDefinitions([paywall]);
  assert.equal(client.getAssignment('paywall').reason, 'not_targeted');
  client.setDefinitions([{ key: 'broken', variants: 'no' } as never]);
  client.setDefinitions([paywall], { qa: 'no' } as never);
  assert.equal(
    errors.map((e) => [e.code, e.message]),
    [
      ['invalid_argument', 'setDefinitions: [0].variants: not an array'],
      ['invalid_argument', 'setDefinitions: qa: not an array'],
    ],
  );
  assert.is(client.getAssignment('paywall').source, 'definitions', 'the refused call changed nothing');
  client.setDefinitions(null);
  assert.equal(client.getAssignment('paywall'), {
    variant: 'urgency',
    reason: 'assigned',
    value: { title: 'S' },
    source: 'server',
  });
});

test('refreshAssignments asks for the definitions keys; exposures are logged for bucketed users only', async () => {
  const released: TargetedExperiment = { key: 'shipped', variants, released: 'urgency' };
  const plain: TargetedExperiment = { key: 'plain', variants };
  const server = createFakeServer({});
  const { client } = setup({ definitions: [plain, released] }, server);
  await client.refreshAssignments();
  assert.equal((server.requests[0]!.body as { experiment_keys: string[] }).experiment_keys, ['plain', 'shipped']);
  assert.is(client.getVariant('shipped'), 'urgency');
  assert.equal(client.getVariantValue('shipped', { title: '' }), { title: 'Last chance' });
  client.getVariantValue('plain', { title: '' });
  client.getVariant('plain');
  await client.flush();
  const exposures = sentEvents(server.requests).filter((e) => e.name === EXPOSURE_EVENT);
  assert.equal(
    exposures.map((e) => e.properties),
    [{ experiment_key: 'plain', variant: evaluateExperiment({ attributes: { id: 'u1' } }, plain).variant }],
  );
});

test('createClient refuses malformed definitions and saved groups, naming the option', () => {
  assert.throws(() => setup({ definitions: [{ key: 1 }] as never }), /`definitions` must be an array/);
  assert.throws(() => setup({ savedGroups: [] as never }), /`savedGroups` must be an object of arrays/);
  assert.throws(() => setup({ location: 'https://x' as never }), /`location` must be a function/);
  assert.throws(
    () => setup({ enableQueryStringOverride: 'yes' as never }),
    /`enableQueryStringOverride` must be a boolean/,
  );
});

test.run();
