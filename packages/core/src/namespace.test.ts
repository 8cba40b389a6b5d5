import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import {
  freeNamespaceRanges,
  inNamespace,
  namespaceOverlaps,
  namespaceProblems,
  type NamespaceRange,
} from './index.js';

const spec = JSON.parse(readFileSync(new URL('../spec/growthbook-sdk-cases.json', import.meta.url), 'utf8')) as {
  inNamespace: Array<[string, string, NamespaceRange, boolean]>;
};

test('all 16 inNamespace cases of the GrowthBook spec pass', () => {
  assert.is(spec.inNamespace.length, 16);
  const failures = spec.inNamespace.filter(([, id, ns, expected]) => inNamespace(id, ns) !== expected).map(([n]) => n);
  assert.equal(failures, []);
  console.log(`inNamespace: ${spec.inNamespace.length - failures.length}/${spec.inNamespace.length} spec cases pass`);
});

test('disjoint ranges of one namespace never share a user', () => {
  for (let i = 0; i < 2000; i++) {
    const id = `user-${i}`;
    const a = inNamespace(id, ['paywall', 0, 0.3]);
    const b = inNamespace(id, ['paywall', 0.3, 0.6]);
    assert.not.ok(a && b, id);
  }
});

test('namespaceOverlaps finds pairs sharing part of the same namespace', () => {
  const overlaps = namespaceOverlaps([
    { key: 'a', namespace: ['pay', 0, 0.5] },
    { key: 'b', namespace: ['pay', 0.4, 1] },
    { key: 'c', namespace: ['pay', 0.5, 0.6] },
    { key: 'd', namespace: ['other', 0, 1] },
    { key: 'e', namespace: ['pay', 0.2, 0.2] },
  ]);
  assert.equal(overlaps, [
    { namespace: 'pay', keys: ['a', 'b'], range: [0.4, 0.5] },
    { namespace: 'pay', keys: ['b', 'c'], range: [0.5, 0.6] },
  ]);
});

test('ranges that only touch do not overlap', () => {
  assert.equal(
    namespaceOverlaps([
      { key: 'a', namespace: ['pay', 0, 0.5] },
      { key: 'b', namespace: ['pay', 0.5, 1] },
    ]),
    [],
  );
});

test('freeNamespaceRanges lists the unclaimed parts in order', () => {
  const claims = [
    { key: 'a', namespace: ['pay', 0.6, 0.8] as const },
    { key: 'b', namespace: ['pay', 0.1, 0.3] as const },
    { key: 'c', namespace: ['pay', 0.2, 0.4] as const },
    { key: 'd', namespace: ['other', 0, 1] as const },
  ];
  assert.equal(freeNamespaceRanges('pay', claims), [
    [0, 0.1],
    [0.4, 0.6],
    [0.8, 1],
  ]);
  assert.equal(freeNamespaceRanges('other', claims), []);
  assert.equal(freeNamespaceRanges('new', claims), [[0, 1]]);
});

test('namespaceProblems checks the name and that 0 <= start < end <= 1', () => {
  assert.equal(namespaceProblems(['pay', 0, 0.5]), []);
  assert.equal(namespaceProblems(['pay', 0.5, 0.2]), [{ field: '/namespace', message: 'start must be below end' }]);
  assert.equal(
    namespaceProblems(['', -1, 2]).map((p) => p.field),
    ['/namespace/0', '/namespace/1', '/namespace/2'],
  );
  assert.equal(namespaceProblems('pay'), [{ field: '/namespace', message: 'namespace must be [name, start, end]' }]);
});

test.run();
