import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { getQueryStringOverride } from './index.js';

const spec = JSON.parse(readFileSync(new URL('../spec/growthbook-sdk-cases.json', import.meta.url), 'utf8')) as {
  getQueryStringOverride: Array<[string, string, string, number, number | null]>;
};

test('all 16 getQueryStringOverride cases of the GrowthBook spec pass', () => {
  const cases = spec.getQueryStringOverride;
  assert.is(cases.length, 16);
  const failures = cases.filter(([, key, url, n, expected]) => getQueryStringOverride(key, url, n) !== expected);
  assert.equal(
    failures.map(([name]) => name),
    [],
  );
  console.log(`getQueryStringOverride: ${cases.length - failures.length}/${cases.length} spec cases pass`);
});

test('keys are percent-decoded and malformed escapes do not throw', () => {
  assert.is(getQueryStringOverride('new paywall', 'https://a.example/?new%20paywall=1', 2), 1);
  assert.is(getQueryStringOverride('x', 'https://a.example/?%zz=1&x=1', 2), 1);
  assert.is(getQueryStringOverride('x', 'https://a.example/?x=%zz', 2), null);
});

test('only the first occurrence counts and a question mark in the fragment is not a query', () => {
  assert.is(getQueryStringOverride('x', '/p?x=1&x=0', 2), 1);
  assert.is(getQueryStringOverride('x', '/p#section?x=1', 2), null);
  assert.is(getQueryStringOverride('x', '/p?x', 2), null);
});

test.run();
