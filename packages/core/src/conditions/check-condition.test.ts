import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { checkCondition, CONDITION_LIMITS } from '../index.js';

const spec = JSON.parse(readFileSync(new URL('../../spec/growthbook-sdk-cases.json', import.meta.url), 'utf8')) as {
  evalCondition: Array<[string, unknown, unknown, boolean]>;
};

const fields = (condition: unknown) => checkCondition(condition).map((p) => `${p.field}: ${p.message}`);

test('a valid targeting condition has no problems', () => {
  const condition = {
    platform: 'ios',
    country: { $in: ['CA', 'US'] },
    'app.version': { $vgte: '3.2.0', $vlt: '4' },
    $or: [{ plan: { $ne: 'free' } }, { tags: { $elemMatch: { $regex: '^beta' } } }],
    $not: { email: { $regexi: '@example\\.com$' } },
    orders: { $size: { $gt: 2 } },
    id: { $notInGroup: 'staff' },
  };
  assert.equal(checkCondition(condition), []);
});

test('an unknown operator is reported at its JSON path', () => {
  assert.equal(fields({ country: { $inn: ['CA'] } }), ['/country/$inn: unknown operator']);
  assert.equal(fields({ $and: [{ a: 1 }, { b: { $gtt: 1 } }] }), ['/$and/1/b/$gtt: unknown operator']);
});

test('operands of the wrong type are reported', () => {
  assert.equal(fields({ country: { $in: 'CA' } }), ['/country/$in: $in needs an array']);
  assert.equal(fields({ a: { $exists: 'yes' } }), ['/a/$exists: $exists needs true or false']);
  assert.equal(fields({ a: { $regex: '(' } }), ['/a/$regex: $regex does not compile as a regular expression']);
  assert.equal(fields({ a: { $type: 'int' } }), [
    '/a/$type: $type needs one of string, number, boolean, object, array, null, undefined',
  ]);
  assert.equal(fields({ a: { $vgt: 3 } }), ['/a/$vgt: $vgt needs a version string such as "3.2.0"']);
  assert.equal(fields({ a: { $gt: [1] } }), ['/a/$gt: $gt needs a number or a string']);
  assert.equal(fields({ a: { $eq: { b: 1 } } }), ['/a/$eq: $eq needs a string, number, boolean or null']);
  assert.equal(fields({ a: { $size: -1 } }), [
    '/a/$size: $size needs a non-negative integer or a condition on the length',
  ]);
  assert.equal(fields({ a: { $elemMatch: [1] } }), ['/a/$elemMatch: $elemMatch needs an object']);
  assert.equal(fields({ a: { $in: [1, { b: 2 }] } }), ['/a/$in/1: list items must be scalars']);
  assert.equal(fields({ $or: { a: 1 } }), ['/$or: $or needs an array of conditions']);
  assert.equal(fields({ $nor: [] }), ['/$nor: $nor needs at least one condition']);
  assert.equal(fields({ $not: [{ a: 1 }] }), ['/$not: a condition must be an object']);
  assert.equal(fields('country = CA'), [': a condition must be an object']);
});

test('operators nested in $not, $elemMatch, $all and $size are checked too', () => {
  assert.equal(fields({ a: { $not: { $regx: 'x' } } }), ['/a/$not/$regx: unknown operator']);
  assert.equal(fields({ a: { $elemMatch: { b: { $inn: [1] } } } }), ['/a/$elemMatch/b/$inn: unknown operator']);
  assert.equal(fields({ a: { $all: [{ $regex: '[' }] } }), [
    '/a/$all/0/$regex: $regex does not compile as a regular expression',
  ]);
  assert.equal(fields({ a: { $size: { $gtt: 1 } } }), ['/a/$size/$gtt: unknown operator']);
});

test('a value operator at the condition level and a mixed object are refused', () => {
  assert.equal(fields({ $in: ['CA'] }), ['/$in: $in applies to an attribute: write { "<attribute>": { "$in": … } }']);
  assert.equal(fields({ a: { $gt: 1, b: 2 } }), [
    '/a: mixes operators ($…) with plain keys; an object is either all operators or a literal',
  ]);
});

test('attribute paths must be dot-separated names; pointer characters are escaped', () => {
  assert.equal(fields({ 'a..b': 1 }), ['/a..b: attribute path must be non-empty names separated by single dots']);
  assert.equal(fields({ 'a/b~c': { $inn: 1 } }), ['/a~1b~0c/$inn: unknown operator']);
});

test('saved groups must exist when the known ids are given', () => {
  const problems = checkCondition({ id: { $inGroup: 'beta' } }, { savedGroupIds: ['staff'], path: '/condition' });
  assert.equal(problems, [{ field: '/condition/id/$inGroup', message: "unknown saved group 'beta'" }]);
  assert.equal(checkCondition({ id: { $inGroup: 'staff' } }, { savedGroupIds: ['staff'] }), []);
});

test('depth, list and size limits are enforced', () => {
  let deep: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < 50; i++) deep = { $and: [deep] };
  const deepProblems = checkCondition(deep);
  assert.is(deepProblems.length, 1);
  assert.match(deepProblems[0]!.message, `nested deeper than ${CONDITION_LIMITS.maxDepth} levels`);

  const long = Array.from({ length: CONDITION_LIMITS.maxListItems + 1 }, (_, i) => i);
  assert.equal(fields({ a: { $in: long } }), [`/a/$in: $in has more than ${CONDITION_LIMITS.maxListItems} items`]);

  const wide = Object.fromEntries(Array.from({ length: CONDITION_LIMITS.maxNodes + 1 }, (_, i) => [`k${i}`, i]));
  assert.equal(fields(wide), [`: condition has more than ${CONDITION_LIMITS.maxNodes} keys and items`]);

  assert.equal(fields({ a: { $regex: 'x'.repeat(CONDITION_LIMITS.maxStringLength + 1) } }), [
    `/a/$regex: string is longer than ${CONDITION_LIMITS.maxStringLength} characters`,
  ]);
});

test('the spec conditions are accepted except those that are deliberately malformed', () => {
  const refused = spec.evalCondition.filter(([, condition]) => checkCondition(condition).length > 0).map(([n]) => n);
  assert.equal(
    refused.sort(),
    [
      '$in - not array',
      '$nin - not array',
      '$ini - not array',
      '$nini - not array',
      '$regex invalid - fail',
      '$regex invalid - pass',
      'unknown operator - pass',
    ].sort(),
  );
});

test.run();
