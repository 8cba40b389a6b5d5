import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonValueProblem, textProblem } from './storable-text.js';
import { LIMITS } from './limits.js';

const loneHigh = '🐱'.slice(0, 1);
const loneLow = '🐱'.slice(1);

test('textProblem accepts well-formed text, surrogate pairs included', () => {
  for (const text of ['', 'cat', 'ünïcødé', '🐱🐈‍⬛', '\uffff', 'a\u0001b'])
    assert.is(textProblem(text), undefined, text);
});

test('textProblem refuses NUL and unpaired surrogates wherever they are', () => {
  assert.match(textProblem('a\u0000b') ?? '', /NUL character .* index 1/);
  assert.match(textProblem(loneHigh) ?? '', /unpaired UTF-16 surrogate at index 0/);
  assert.match(textProblem(`ab${loneLow}`) ?? '', /unpaired .* index 2/);
  assert.match(textProblem(`${loneHigh}${loneHigh}\udc00`) ?? '', /index 0/);
  assert.match(textProblem(`x${loneLow}${loneHigh}`) ?? '', /index 1/);
  assert.match(textProblem(`🐱${loneHigh}`) ?? '', /index 2/);
});

test('textProblem agrees with String.prototype.isWellFormed on random code units', () => {
  const isWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
  if (!isWellFormed) return;
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let n = 0; n < 5000; n++) {
    const units = Array.from({ length: next() % 6 }, () => [0x41, 0xd83d, 0xdc31, 0xdbff, 0xdc00, 0xe000][next() % 6]!);
    const text = String.fromCharCode(...units);
    assert.is(textProblem(text) === undefined, isWellFormed.call(text), JSON.stringify(units));
  }
});

test('jsonValueProblem names the path of a bad string or key (JSON pointer)', () => {
  assert.equal(jsonValueProblem({ a: [1, { b: `x${loneHigh}` }] })?.path, '/a/1/b');
  assert.equal(jsonValueProblem({ 'a/b~c': 'ok', ['k\u0000']: 1 })?.path, '/k\u0000');
  assert.match(jsonValueProblem({ ['k\u0000']: 1 })?.message ?? '', /^key contains a NUL/);
  assert.equal(jsonValueProblem({ 'a/b~c': { d: '\u0000' } })?.path, '/a~1b~0c/d');
  assert.is(
    jsonValueProblem({ plan: 'pro', price: 9.99, tags: ['a', 'b'], nested: { ok: true, none: null } }),
    undefined,
  );
});

test('jsonValueProblem reports the first problem in document order', () => {
  assert.equal(jsonValueProblem({ a: '\u0000', b: '\u0000' })?.path, '/a');
  assert.equal(jsonValueProblem(['ok', '\u0000', '\u0000'])?.path, '/1');
});

test('jsonValueProblem bounds depth without recursion, even 100,000 deep', () => {
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = { d: deep };
  assert.match(jsonValueProblem(deep)?.message ?? '', new RegExp(`deeper than ${LIMITS.maxPropertiesDepth}`));
  let arrays: unknown = [];
  for (let i = 0; i < 100_000; i++) arrays = [arrays];
  assert.ok(jsonValueProblem(arrays));
  let ok: unknown = 'leaf';
  for (let i = 0; i < LIMITS.maxPropertiesDepth; i++) ok = { d: ok };
  assert.is(jsonValueProblem(ok), undefined);
  assert.ok(jsonValueProblem({ d: ok }));
});

test('jsonValueProblem bounds the number of keys at all levels', () => {
  const wide = Object.fromEntries(Array.from({ length: LIMITS.maxPropertiesKeys }, (_, i) => [`k${i}`, i]));
  assert.is(jsonValueProblem(wide), undefined);
  assert.match(jsonValueProblem({ ...wide, one: 'more' })?.message ?? '', /more than 1000 keys/);
  assert.ok(jsonValueProblem({ a: wide, b: { c: 1 } }));
});

test('jsonValueProblem refuses what JSON cannot carry, and cycles end at the depth limit', () => {
  assert.match(jsonValueProblem({ n: Number.NaN })?.message ?? '', /finite/);
  assert.match(jsonValueProblem({ f: () => 1 })?.message ?? '', /function/);
  assert.match(jsonValueProblem({ b: 1n })?.message ?? '', /bigint/);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.match(jsonValueProblem(cycle)?.message ?? '', /deeper/);
});

test('a __proto__ key from JSON.parse is an ordinary key', () => {
  const parsed = JSON.parse('{"__proto__":{"polluted":"\\u0000"}}');
  assert.equal(jsonValueProblem(parsed)?.path, '/__proto__/polluted');
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test.run();
