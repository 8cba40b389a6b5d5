import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { integrateUnit } from './tanh-sinh.js';

function close(actual: number, expected: number, tolerance = 1e-10): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

test('integrateUnit integrates polynomials and exponentials to their antiderivatives', () => {
  close(
    integrateUnit((x) => x * x, 0, 1),
    1 / 3,
  );
  close(
    integrateUnit((x) => Math.exp(x), 0.2, 0.7),
    Math.exp(0.7) - Math.exp(0.2),
  );
});

test('integrateUnit handles integrable singularities at both ends: ∫ x^-1/2 = 2, ∫ (1-x)^-0.9 = 10', () => {
  close(
    integrateUnit((x) => 1 / Math.sqrt(x), 0, 1),
    2,
    1e-9,
  );
  close(
    integrateUnit((_, y) => y ** -0.9, 0, 1),
    10,
    1e-8,
  );
});

test('integrateUnit is 0 on an empty interval', () => {
  assert.is(
    integrateUnit(() => 1, 0.5, 0.5),
    0,
  );
});

test.run();
