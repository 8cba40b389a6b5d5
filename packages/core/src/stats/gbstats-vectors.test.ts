import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bayesianTest, DEFAULT_PROPER_PRIOR, frequentistTest, type TwoArmSummaries } from '../index.js';

// GrowthBook's stats engine answers for 400 two-arm comparisons (spec/README.md says where they come from).
interface Answer {
  effect: number;
  ci: [number, number];
  p_value?: number;
  chance_to_win?: number;
  risk?: [number, number];
  error: string | null;
}
interface VectorCase {
  type: TwoArmSummaries['kind'];
  control: unknown;
  treatment: unknown;
  gbstats: Record<string, Answer>;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../spec/gbstats-two-arm-vectors.json', import.meta.url), 'utf8'),
) as { settings: { sequential_tuning_parameter: number }; cases: VectorCase[] };

// 1e-6 relative, or 1e-9 absolute for answers near 0: gbstats computes p = 2 (1 − cdf(|t|)), which loses
// everything below ~1e-16 to cancellation, and its risks of exactly 0 are our ~1e-300.
const RELATIVE = 1e-6;
const ABSOLUTE = 1e-9;

function agrees(actual: number | null | undefined, expected: number | undefined): boolean {
  if (expected === undefined) return true;
  if (actual === null || actual === undefined) return false;
  const gap = Math.abs(actual - expected);
  return gap <= ABSOLUTE || gap <= RELATIVE * Math.abs(expected);
}

type Ours = {
  effect: number | null;
  ci: [number, number] | null;
  p_value?: number | null;
  chance_to_win?: number | null;
  risk?: [number, number] | null;
};

/** The fields that disagree, as `name: ours vs gbstats`. */
function disagreements(ours: Ours, answer: Answer): string[] {
  const pairs: [string, number | null | undefined, number | undefined][] = [
    ['effect', ours.effect, answer.effect],
    ['ci[0]', ours.ci?.[0], answer.ci[0]],
    ['ci[1]', ours.ci?.[1], answer.ci[1]],
    ['p_value', ours.p_value, answer.p_value],
    ['chance_to_win', ours.chance_to_win, answer.chance_to_win],
    ['risk[0]', ours.risk?.[0], answer.risk?.[0]],
    ['risk[1]', ours.risk?.[1], answer.risk?.[1]],
  ];
  return pairs.filter(([, a, e]) => !agrees(a, e)).map(([name, a, e]) => `${name}: ${a} vs ${e}`);
}

const tuning = vectors.settings.sequential_tuning_parameter;
const runs: Record<string, (input: TwoArmSummaries) => Ours> = {
  fixed_relative: (input) => frequentistTest(input, { scale: 'relative', method: 'fixed' }),
  fixed_absolute: (input) => frequentistTest(input, { scale: 'absolute', method: 'fixed' }),
  sequential_relative: (input) =>
    frequentistTest(input, { scale: 'relative', method: 'sequential', sequential_tuning: tuning }),
  sequential_absolute: (input) =>
    frequentistTest(input, { scale: 'absolute', method: 'sequential', sequential_tuning: tuning }),
  bayes_relative_flat: (input) => bayesianTest(input, { prior: null }),
  bayes_relative_prior: (input) => bayesianTest(input, { prior: DEFAULT_PROPER_PRIOR }),
};

test('every gbstats two-arm vector agrees to 1e-6 relative (1e-9 absolute near 0)', () => {
  assert.is(vectors.cases.length, 400);
  const passed: Record<string, number> = {};
  const failures: string[] = [];
  vectors.cases.forEach((vector, index) => {
    const input = { kind: vector.type, control: vector.control, treatment: vector.treatment } as TwoArmSummaries;
    for (const [name, run] of Object.entries(runs)) {
      const answer = vector.gbstats[name];
      assert.ok(answer && answer.error === null, `case ${index} has an answer for ${name}`);
      const problems = disagreements(run(input), answer);
      const key = `${vector.type} ${name}`;
      if (problems.length === 0) passed[key] = (passed[key] ?? 0) + 1;
      else failures.push(`case ${index} ${key}: ${problems.join(', ')}`);
    }
  });
  assert.equal(failures, [], failures.slice(0, 5).join('\n'));
  // Each kind (proportion, mean, ratio, cuped) has 100 cases, each checked six ways.
  assert.is(Object.keys(passed).length, 24);
  assert.ok(Object.values(passed).every((count) => count === 100));
});

test.run();
