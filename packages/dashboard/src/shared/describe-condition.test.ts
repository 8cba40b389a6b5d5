import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeCondition } from './describe-condition.js';

const it = suite('describeCondition');

it('reads null, {} and empty groups as everyone', () => {
  assert.is(describeCondition(null), 'everyone');
  assert.is(describeCondition(undefined), 'everyone');
  assert.is(describeCondition({}), 'everyone');
  assert.is(describeCondition({ $and: [] }), 'everyone');
  assert.is(describeCondition({ $or: [] }), 'everyone');
});

it('reads lists and versions as a sentence joined by "and"', () => {
  assert.is(
    describeCondition({ country: { $in: ['CA', 'US'] }, app_version: { $vgte: '3.2' } }),
    'country is one of CA, US and app_version ≥ 3.2 (version)',
  );
});

it('phrases every comparison and version operator', () => {
  const cases: Array<[object, string]> = [
    [{ plan: 'pro' }, 'plan is pro'],
    [{ plan: { $eq: 'pro' } }, 'plan is pro'],
    [{ plan: { $ne: 'free' } }, 'plan is not free'],
    [{ age: { $gte: 18, $lt: 65 } }, 'age ≥ 18 and age < 65'],
    [{ age: { $gt: 1, $lte: 2 } }, 'age > 1 and age ≤ 2'],
    [{ 'app.version': { $veq: '3.2.0' } }, 'app.version is version 3.2.0'],
    [{ v: { $vne: '1' } }, 'v is not version 1'],
    [{ v: { $vgt: '1', $vlt: '2', $vlte: '3' } }, 'v > 1 (version) and v < 2 (version) and v ≤ 3 (version)'],
    [{ beta: true }, 'beta is true'],
    [{ score: 0 }, 'score is 0'],
  ];
  for (const [condition, words] of cases) assert.is(describeCondition(condition), words, JSON.stringify(condition));
});

it('phrases the list, array, type, pattern and group operators', () => {
  const cases: Array<[object, string]> = [
    [{ country: { $nin: ['CU', 'IR'] } }, 'country is none of CU, IR'],
    [{ country: { $ini: ['ca', 'us'] } }, 'country is one of ca, us (any case)'],
    [{ country: { $nini: ['ca'] } }, 'country is none of ca (any case)'],
    [{ country: { $in: [] } }, 'country is one of nothing (no one)'],
    [{ tags: { $all: ['beta', 'staff'] } }, 'tags has all of beta, staff'],
    [{ tags: { $alli: ['Beta'] } }, 'tags has all of Beta (any case)'],
    [{ orders: { $elemMatch: { total: { $gt: 100 } } } }, 'orders has an item where total > 100'],
    [{ scores: { $elemMatch: { $gt: 10 } } }, 'scores has an item where it > 10'],
    [{ devices: { $size: 2 } }, 'devices has 2 items'],
    [{ devices: { $size: { $gte: 2 } } }, 'the number of items in devices ≥ 2'],
    [{ email: { $exists: true } }, 'email is set'],
    [{ email: { $exists: false } }, 'email is not set'],
    [{ age: { $type: 'number' } }, 'age is a number'],
    [{ ua: { $regex: '(Mobile|Tablet)' } }, 'ua matches /(Mobile|Tablet)/'],
    [{ email: { $regexi: '@example\\.com$' } }, 'email matches /@example\\.com$/i'],
    [{ email: { $not: { $regex: 'x' } } }, 'not (email matches /x/)'],
    [{ id: { $inGroup: 'qa_devices' } }, 'id is in saved group qa_devices'],
    [{ id: { $notInGroup: 'staff' } }, 'id is not in saved group staff'],
  ];
  for (const [condition, words] of cases) assert.is(describeCondition(condition), words, JSON.stringify(condition));
});

it('groups $and, $or, $nor and $not, with parentheses where they matter', () => {
  assert.is(
    describeCondition({ $or: [{ country: 'CA' }, { beta: true }], plan: 'pro' }),
    '(country is CA or beta is true) and plan is pro',
  );
  assert.is(describeCondition({ $and: [{ a: 1 }, { b: 2 }] }), '(a is 1 and b is 2)');
  assert.is(describeCondition({ $nor: [{ plan: 'free' }, { banned: true }] }), 'not (plan is free or banned is true)');
  assert.is(describeCondition({ $nor: [{ plan: 'free' }] }), 'not (plan is free)');
  assert.is(describeCondition({ $not: { country: 'US' } }), 'not (country is US)');
});

it('quotes strings that could be misread and shows what it cannot phrase as compact JSON', () => {
  assert.is(describeCondition({ name: 'Ana María' }), 'name is "Ana María"');
  assert.is(describeCondition({ name: '' }), 'name is ""');
  assert.is(describeCondition({ name: 'a, b' }), 'name is "a, b"');
  assert.is(describeCondition({ meta: { a: 1 } }), 'meta is {"a":1}');
  assert.is(describeCondition({ x: { $inn: ['CA'] } }), 'x {"$inn":["CA"]}');
  assert.is(describeCondition({ tags: { $all: [{ $gt: 1 }] } }), 'tags {"$all":[{"$gt":1}]}');
  assert.is(describeCondition({ $where: 'x' }), '{"$where":"x"}');
  assert.is(describeCondition({ $or: 'x' }), '{"$or":"x"}');
  assert.is(describeCondition({ age: { $type: 'date' } }), 'age {"$type":"date"}');
  assert.is(describeCondition('odd'), '"odd"');
  assert.is(describeCondition([1]), '[1]');
});

it('never throws on deep nesting', () => {
  let condition: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < 100; i += 1) condition = { $not: condition };
  assert.type(describeCondition(condition), 'string');
});

it.run();
