import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { assign, evaluate, variantProblems, WEIGHT_SUM_EPSILON, type AssignableExperiment } from './index.js';
import { bucketRanges, chooseBucket, hasUsableWeights } from './bucket-ranges.js';
import { fnv1a32 } from './fnv1a32.js';
import { hash } from './hash.js';

interface AssignmentCase {
  experiment: AssignableExperiment;
  user_id: string;
  hash: number | null;
  variant: string | null;
}
const table = JSON.parse(readFileSync(new URL('../spec/assignment-cases.json', import.meta.url), 'utf8')) as {
  cases: AssignmentCase[];
};

/** Textbook FNV-1a with a real multiply by the FNV prime, independent of the shift-add form under test. */
function referenceFnv1a32(input: string): number {
  let h = 0x811c9dc5n;
  for (let i = 0; i < input.length; i++) {
    h ^= BigInt(input.charCodeAt(i));
    h = (h * 16777619n) % 2n ** 32n;
  }
  return Number(h);
}

test('fnv1a32 matches published FNV-1a test vectors', () => {
  assert.is(fnv1a32(''), 0x811c9dc5);
  assert.is(fnv1a32('a'), 0xe40c292c);
  assert.is(fnv1a32('foobar'), 0xbf9cf968);
});

test('fnv1a32 agrees with an independent BigInt implementation on every spec input', () => {
  for (const c of table.cases) {
    const seed = c.experiment.seed || c.experiment.key;
    for (const s of [seed + c.user_id, String(fnv1a32(seed + c.user_id))]) {
      assert.is(fnv1a32(s), referenceFnv1a32(s), s);
    }
  }
});

test('hash v2 reproduces GrowthBook reference buckets', () => {
  assert.is(hash('experiment', '1', 2), 0.4413);
  assert.is(hash('holdout', '1', 2), 0.8043);
});

test('hash returns null for an unknown version instead of throwing', () => {
  assert.is(hash('a', 'b', 3 as never), null);
});

test('every case of spec/assignment-cases.json gives the tabled hash and variant', () => {
  assert.ok(table.cases.length >= 50);
  for (const c of table.cases) {
    const result = evaluate(c.experiment, c.user_id);
    assert.is(result.bucket, c.hash, `${c.experiment.key}/${c.user_id} hash`);
    assert.is(assign(c.experiment, c.user_id), c.variant, `${c.experiment.key}/${c.user_id} variant`);
  }
});

test('bucketRanges applies coverage inside each weight and falls back to equal weights', () => {
  assert.equal(bucketRanges(2, 0.5, [0.5, 0.5]), [
    [0, 0.25],
    [0.5, 0.75],
  ]);
  assert.equal(bucketRanges(2, 1, [0.2, 0.2]), [
    [0, 0.5],
    [0.5, 1],
  ]);
  assert.equal(bucketRanges(2, 1, [1]), [
    [0, 0.5],
    [0.5, 1],
  ]);
  assert.equal(bucketRanges(2, 7), [
    [0, 0.5],
    [0.5, 1],
  ]);
});

test('bucketRanges uses weights within WEIGHT_SUM_EPSILON of 1, the tolerance definitions are validated with', () => {
  assert.ok(hasUsableWeights([0.3, 0.7 - WEIGHT_SUM_EPSILON / 2], 2));
  assert.not.ok(
    hasUsableWeights([0.3, 0.695], 2),
    'a sum of 0.995 is refused on write, so it is not used for bucketing',
  );
  assert.equal(
    variantProblems([
      { key: 'a', weight: 0.3 },
      { key: 'b', weight: 0.695 },
    ]).length,
    1,
  );
  assert.equal(bucketRanges(2, 1, [0.3, 0.695]), [
    [0, 0.5],
    [0.5, 1],
  ]);
});

test('chooseBucket: lower bound inclusive, upper exclusive, gaps are outside the experiment', () => {
  const ranges = bucketRanges(2, 0.5);
  assert.is(chooseBucket(0, ranges), 0);
  assert.is(chooseBucket(0.25, ranges), -1);
  assert.is(chooseBucket(0.5, ranges), 1);
  assert.is(chooseBucket(0.9, ranges), -1);
});

test('assignment is roughly proportional to weights over many users', () => {
  const experiment = {
    key: 'split',
    variants: [
      { key: 'a', weight: 0.2 },
      { key: 'b', weight: 0.8 },
    ],
  };
  let a = 0;
  for (let i = 0; i < 20000; i++) if (assign(experiment, `u${i}`) === 'a') a++;
  assert.ok(Math.abs(a / 20000 - 0.2) < 0.015, `share of a: ${a / 20000}`);
});

test('empty user id or no variants means not in the experiment', () => {
  const experiment = {
    key: 'x',
    variants: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  };
  assert.is(assign(experiment, ''), null);
  assert.is(assign({ key: 'x', variants: [] }, 'u'), null);
});

test.run();
