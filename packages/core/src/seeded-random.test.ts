import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seededRandom } from './seeded-random.js';

test('the same seed gives the same sequence, another seed another one, all in [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const first = Array.from({ length: 1000 }, () => a());
  assert.equal(
    Array.from({ length: 1000 }, () => b()),
    first,
  );
  assert.not.equal(
    Array.from({ length: 1000 }, () => c()),
    first,
  );
  assert.ok(first.every((x) => x >= 0 && x < 1));
  const mean = first.reduce((s, x) => s + x, 0) / first.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test.run();
