import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { variantProblems, funnelStepProblems } from './index.js';

test('valid variants have no problems, floating-point sums included', () => {
  assert.equal(
    variantProblems([
      { key: 'a', weight: 0.1 },
      { key: 'b', weight: 0.2 },
      { key: 'c', weight: 0.7 },
    ]),
    [],
  );
});

test('duplicate variant keys are named by path', () => {
  const problems = variantProblems([
    { key: 'a', weight: 0.5 },
    { key: 'a', weight: 0.5 },
  ]);
  assert.equal(problems, [{ field: '/variants/1/key', message: "duplicate variant key 'a'" }]);
});

test('weights not summing to 1 are reported with the sum', () => {
  const [problem] = variantProblems([
    { key: 'a', weight: 0.5 },
    { key: 'b', weight: 0.4 },
  ]);
  assert.is(problem?.field, '/variants');
  assert.match(problem?.message ?? '', /sum to 1 \(got 0.9\)/);
});

test('a funnel step may not directly repeat', () => {
  assert.equal(funnelStepProblems(['a', 'b', 'a']), []);
  assert.is(funnelStepProblems(['a', 'a'])[0]?.field, '/steps/1');
});

test.run();
