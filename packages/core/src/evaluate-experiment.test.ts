import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import {
  evaluate,
  evaluateExperiment,
  type AssignableExperiment,
  type EvaluationContext,
  type TargetedExperiment,
} from './index.js';

const spec = JSON.parse(readFileSync(new URL('../spec/growthbook-sdk-cases.json', import.meta.url), 'utf8')) as {
  run: Array<[string, Record<string, any>, Record<string, any>, unknown, boolean, boolean]>;
};
const assignmentTable = JSON.parse(readFileSync(new URL('../spec/assignment-cases.json', import.meta.url), 'utf8')) as {
  cases: Array<{ experiment: AssignableExperiment; user_id: string }>;
};

// The keys of GrowthBook's `run` cases that evaluateExperiment implements; a case using any other key is skipped
// and counted by that key, so an unsupported feature is visible in the output rather than silently ignored.
const CONTEXT_KEYS = new Set(['attributes', 'savedGroups', 'forcedVariations', 'url', 'enabled', 'qaMode']);
const EXPERIMENT_KEYS = new Set([
  ...['key', 'variations', 'weights', 'coverage', 'seed', 'hashVersion', 'condition', 'namespace'],
  ...['hashAttribute', 'fallbackAttribute', 'active', 'force'],
]);

function unsupportedKeys(context: Record<string, any>, experiment: Record<string, any>): string[] {
  return [
    ...Object.keys(context)
      .filter((key) => !CONTEXT_KEYS.has(key))
      .map((key) => `context.${key}`),
    ...Object.keys(experiment)
      .filter((key) => !EXPERIMENT_KEYS.has(key))
      .map((key) => `experiment.${key}`),
  ];
}

/** A GrowthBook experiment in our shape: variants named by index, GrowthBook's default hash version 1. */
function fromGrowthBook(experiment: Record<string, any>): TargetedExperiment {
  const variations = experiment.variations as unknown[];
  const weights = experiment.weights as number[] | undefined;
  return {
    ...experiment,
    key: experiment.key,
    variants: variations.map((_, i) => ({ key: String(i), weight: weights?.[i] ?? 1 / variations.length })),
    hashVersion: experiment.hashVersion ?? 1,
  };
}

test('every GrowthBook run case using only supported features passes; the others are counted by feature', () => {
  let run = 0;
  const skipped = new Map<string, number>();
  const failures: string[] = [];
  for (const [name, context, experiment, value, inExperiment, hashUsed] of spec.run) {
    const unsupported = unsupportedKeys(context, experiment);
    if (unsupported.length > 0) {
      for (const key of unsupported) skipped.set(key, (skipped.get(key) ?? 0) + 1);
      continue;
    }
    run++;
    const result = evaluateExperiment(context as EvaluationContext, fromGrowthBook(experiment));
    const got = [experiment.variations[result.index], result.inExperiment, result.hashUsed];
    if (JSON.stringify(got) !== JSON.stringify([value, inExperiment, hashUsed])) {
      failures.push(`${name}: got ${JSON.stringify(got)}, expected ${JSON.stringify([value, inExperiment, hashUsed])}`);
    }
  }
  const skippedCount = spec.run.length - run;
  const reasons = [...skipped].map(([key, n]) => `${key} ${n}`).join(', ');
  console.log(`run: ${run - failures.length}/${run} run cases pass, ${skippedCount} skipped (${reasons})`);
  assert.equal(failures, []);
  assert.is(spec.run.length, 73);
  assert.is(run, 65);
  assert.equal(Object.fromEntries(skipped), {
    'experiment.filters': 3,
    'experiment.ranges': 3,
    'context.features': 2,
    'experiment.parentConditions': 2,
  });
});

test('without rules it gives the same variant and bucket as evaluate() on every assignment case', () => {
  for (const c of assignmentTable.cases) {
    const plain = evaluate(c.experiment, c.user_id);
    const ruled = evaluateExperiment({ attributes: { id: c.user_id } }, c.experiment);
    assert.is(ruled.variant, plain.variant, `${c.experiment.key}/${c.user_id}`);
    assert.is(ruled.bucket, plain.bucket, `${c.experiment.key}/${c.user_id}`);
    assert.is(ruled.reason, plain.variant === null ? 'outside_coverage' : 'assigned');
  }
});

const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'treatment', weight: 0.5 },
];
const paywall: TargetedExperiment = { key: 'paywall', variants };

test('a user who does not match the condition gets no variant and the reason not_targeted', () => {
  const experiment = { ...paywall, condition: { country: 'CA', 'app.version': { $vgte: '3.2.0' } } };
  const out = evaluateExperiment({ attributes: { id: 'u1', country: 'US', app: { version: '3.4' } } }, experiment);
  assert.equal([out.variant, out.inExperiment, out.reason, out.bucket], [null, false, 'not_targeted', null]);
  const inside = evaluateExperiment({ attributes: { id: 'u1', country: 'CA', app: { version: '3.4' } } }, experiment);
  assert.is(inside.reason, 'assigned');
  assert.ok(inside.variant === 'control' || inside.variant === 'treatment');
});

test('saved groups from the context feed $inGroup', () => {
  const experiment = { ...paywall, condition: { id: { $inGroup: 'qa' } } };
  assert.is(
    evaluateExperiment({ attributes: { id: 'u1' }, savedGroups: { qa: ['u1'] } }, experiment).reason,
    'assigned',
  );
  assert.is(
    evaluateExperiment({ attributes: { id: 'u2' }, savedGroups: { qa: ['u1'] } }, experiment).reason,
    'not_targeted',
  );
});

test('the hash attribute falls back to the fallback attribute and reports which one was used', () => {
  const experiment = { ...paywall, hashAttribute: 'user_id', fallbackAttribute: 'device_id' };
  const loggedOut = evaluateExperiment({ attributes: { user_id: '', device_id: 'd-9' } }, experiment);
  assert.equal([loggedOut.hashAttribute, loggedOut.hashValue, loggedOut.reason], ['device_id', 'd-9', 'assigned']);
  const loggedIn = evaluateExperiment({ attributes: { user_id: 'u-1', device_id: 'd-9' } }, experiment);
  assert.equal([loggedIn.hashAttribute, loggedIn.hashValue], ['user_id', 'u-1']);
  const neither = evaluateExperiment({ attributes: {} }, experiment);
  assert.equal([neither.hashAttribute, neither.reason, neither.variant], ['user_id', 'not_targeted', null]);
  const numeric = evaluateExperiment({ attributes: { user_id: 42 } }, experiment);
  assert.is(numeric.hashValue, '42');
});

test('forced variations may name the variant by key or by index; a bad one is ignored', () => {
  const byKey = evaluateExperiment({ attributes: { id: 'u1' }, forcedVariations: { paywall: 'treatment' } }, paywall);
  assert.equal(
    [byKey.variant, byKey.index, byKey.reason, byKey.inExperiment, byKey.hashUsed],
    ['treatment', 1, 'forced', true, false],
  );
  const byIndex = evaluateExperiment({ attributes: { id: 'u1' }, forcedVariations: { paywall: 0 } }, paywall);
  assert.is(byIndex.variant, 'control');
  const unknown = evaluateExperiment({ attributes: { id: 'u1' }, forcedVariations: { paywall: 'nope' } }, paywall);
  assert.is(unknown.reason, 'assigned');
});

test('the order is override → released → holdout → namespace → condition → coverage → bucket', () => {
  const everyone = { key: 'all', share: 1 };
  const experiment: TargetedExperiment = {
    ...paywall,
    released: 'treatment',
    holdouts: [everyone],
    namespace: ['pay', 0, 0],
    condition: { never: true },
    coverage: 0,
  };
  const reasonFor = (context: EvaluationContext, rules: Partial<TargetedExperiment> = {}) =>
    evaluateExperiment(context, { ...experiment, ...rules }).reason;
  const user = { attributes: { id: 'u1' } };
  assert.is(reasonFor({ ...user, url: 'https://a.example/?paywall=0' }), 'forced');
  assert.is(reasonFor({ ...user, forcedVariations: { paywall: 0 } }), 'forced');
  assert.is(reasonFor(user), 'released');
  assert.is(reasonFor(user, { released: null }), 'holdout');
  assert.is(reasonFor(user, { released: null, holdouts: [] }), 'namespace');
  assert.is(reasonFor(user, { released: null, holdouts: [], namespace: null }), 'not_targeted');
  assert.is(reasonFor(user, { released: null, holdouts: [], namespace: null, condition: null }), 'outside_coverage');
  assert.is(
    reasonFor(user, { released: null, holdouts: [], namespace: null, condition: null, coverage: 1 }),
    'assigned',
  );
});

test('a released experiment gives everyone the chosen variant without bucketing, even when inactive', () => {
  const out = evaluateExperiment({ attributes: {} }, { ...paywall, released: 'treatment', active: false });
  assert.equal(
    [out.variant, out.index, out.inExperiment, out.hashUsed, out.bucket, out.reason],
    ['treatment', 1, false, false, null, 'released'],
  );
});

test('a holdout keeps a stable share of users out, by its own seed', () => {
  const holdout = { key: 'h2-holdout', share: 0.1 };
  let heldOut = 0;
  for (let i = 0; i < 5000; i++) {
    const context = { attributes: { id: `u${i}` } };
    const a = evaluateExperiment(context, { ...paywall, holdouts: [holdout] });
    const b = evaluateExperiment(context, { key: 'onboarding', variants, holdouts: [holdout] });
    assert.is(a.reason === 'holdout', b.reason === 'holdout', 'the same users are held out of both');
    if (a.reason === 'holdout') {
      heldOut++;
      assert.equal([a.variant, a.index, a.inExperiment], [null, 0, false]);
    }
  }
  assert.ok(Math.abs(heldOut / 5000 - 0.1) < 0.015, `held out: ${heldOut / 5000}`);
});

test('inactive, disabled and single-variant experiments bucket nobody', () => {
  const user = { attributes: { id: 'u1' } };
  assert.is(evaluateExperiment(user, { ...paywall, active: false }).reason, 'inactive');
  assert.is(evaluateExperiment({ ...user, enabled: false }, paywall).reason, 'inactive');
  assert.is(evaluateExperiment(user, { ...paywall, variants: variants.slice(0, 1) }).reason, 'inactive');
  assert.is(evaluateExperiment({ ...user, qaMode: true }, paywall).reason, 'inactive');
});

test('malformed rules never throw', () => {
  const bad = {
    ...paywall,
    condition: { $or: 'x' },
    namespace: [null, 'a', {}],
    holdouts: [{ key: 'h', share: NaN }],
    hashVersion: 9,
    force: 'missing',
  } as unknown as TargetedExperiment;
  const out = evaluateExperiment({ attributes: { id: 'u1' } }, { ...bad, condition: null });
  assert.is(out.variant, null);
  assert.is(evaluateExperiment({ attributes: { id: 'u1' } }, bad).reason, 'namespace');
  assert.is(evaluateExperiment({ attributes: null, url: '%%%?' }, paywall).reason, 'not_targeted');
});

test.run();
