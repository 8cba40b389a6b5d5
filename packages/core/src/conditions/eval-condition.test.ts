import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { evalCondition } from '../index.js';

type EvalConditionCase = [name: string, condition: unknown, attributes: unknown, expected: boolean, groups?: any];
const spec = JSON.parse(readFileSync(new URL('../../spec/growthbook-sdk-cases.json', import.meta.url), 'utf8')) as {
  evalCondition: EvalConditionCase[];
};

test('all 248 evalCondition cases of the GrowthBook spec pass', () => {
  assert.is(spec.evalCondition.length, 248);
  const failures = spec.evalCondition
    .filter(([, condition, attributes, expected, groups]) => evalCondition(attributes, condition, groups) !== expected)
    .map(([name]) => name);
  assert.equal(failures, []);
  console.log(
    `evalCondition: ${spec.evalCondition.length - failures.length}/${spec.evalCondition.length} spec cases pass`,
  );
});

test('targets an app version, a country and a platform together', () => {
  const condition = { platform: 'ios', country: { $in: ['CA', 'US'] }, 'app.version': { $vgte: '3.2.0' } };
  assert.ok(evalCondition({ platform: 'ios', country: 'CA', app: { version: '3.10.1' } }, condition));
  assert.not.ok(evalCondition({ platform: 'ios', country: 'CA', app: { version: '3.1.9' } }, condition));
  assert.not.ok(evalCondition({ platform: 'android', country: 'CA', app: { version: '3.2.0' } }, condition));
});

test('malformed conditions match no one instead of throwing', () => {
  const odd: unknown[] = [
    null,
    'country',
    42,
    [],
    { $or: 'x' },
    { $and: { a: 1 } },
    { $nor: null },
    { $not: 'x' },
    { a: { $in: null } },
    { a: { $regex: 5 } },
    { a: { $regex: '(' } },
    { a: { $elemMatch: 'x' } },
    { a: { $inGroup: { id: 1 } } },
  ];
  for (const condition of odd) {
    assert.not.ok(evalCondition({ a: [1], x: 1 }, condition), JSON.stringify(condition));
  }
});

test('attributes that defeat JavaScript coercion do not throw', () => {
  const tricky = { toString: 1, valueOf: 2 };
  assert.not.ok(evalCondition({ a: tricky }, { a: 'x' }));
  assert.not.ok(evalCondition({ a: tricky }, { a: { $gt: 1 } }));
  assert.not.ok(evalCondition({ a: tricky }, { a: { $regex: 'x' } }));
  const cyclic: any[] = [];
  cyclic.push(cyclic);
  assert.not.ok(evalCondition({ a: cyclic }, { a: ['x'] }));
  assert.not.ok(evalCondition({ a: cyclic }, { a: 'x' }));
});

test('attribute paths read own properties only, never the prototype', () => {
  assert.not.ok(evalCondition({}, { constructor: { $exists: true } }));
  assert.not.ok(evalCondition({ a: {} }, { 'a.toString': { $exists: true } }));
  assert.ok(evalCondition({ a: { b: 1 } }, { 'a.b': 1 }));
});

test('$inGroup ignores group ids inherited from Object.prototype', () => {
  assert.not.ok(evalCondition({ id: 1 }, { id: { $inGroup: 'constructor' } }, { g: [1] }));
  assert.ok(evalCondition({ id: 1 }, { id: { $notInGroup: 'toString' } }, { g: [1] }));
});

test('a condition nested past the evaluation depth limit is false, not a stack overflow', () => {
  let condition: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < 10000; i++) condition = { $and: [condition] };
  assert.not.ok(evalCondition({ a: 1 }, condition));
});

test('$exists, $type and comparisons follow GrowthBook for missing attributes', () => {
  assert.ok(evalCondition({}, { a: { $exists: false } }));
  assert.ok(evalCondition({}, { a: { $type: 'null' } }));
  assert.ok(evalCondition({}, { a: { $lt: 1 } }), 'a missing attribute compares as null, which is 0');
  assert.not.ok(evalCondition({}, { a: { $vgte: '1.0.0' } }));
});

test.run();
