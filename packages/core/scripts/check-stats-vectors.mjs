// Runs a file of two-arm statistics vectors (the format of spec/gbstats-two-arm-vectors.json) through core's
// frequentistTest and bayesianTest and prints `agree: N/M`; exits 1 on any disagreement. Needs a built core
// (`npx tsc -b`). Usage: node packages/core/scripts/check-stats-vectors.mjs FILE [--verbose]
import { readFileSync } from 'node:fs';
import { bayesianTest, DEFAULT_PROPER_PRIOR, frequentistTest } from '../dist/index.js';

// Same tolerance as src/stats/gbstats-vectors.test.ts: 1e-6 relative, or 1e-9 absolute near 0.
const RELATIVE = 1e-6;
const ABSOLUTE = 1e-9;

function agrees(actual, expected) {
  if (expected === undefined) return true;
  if (actual === null || actual === undefined) return false;
  const gap = Math.abs(actual - expected);
  return gap <= ABSOLUTE || gap <= RELATIVE * Math.abs(expected);
}

function disagreements(ours, answer) {
  const pairs = [
    ['effect', ours.effect, answer.effect],
    ['ci[0]', ours.ci?.[0], answer.ci?.[0]],
    ['ci[1]', ours.ci?.[1], answer.ci?.[1]],
    ['p_value', ours.p_value, answer.p_value],
    ['chance_to_win', ours.chance_to_win, answer.chance_to_win],
    ['risk[0]', ours.risk?.[0], answer.risk?.[0]],
    ['risk[1]', ours.risk?.[1], answer.risk?.[1]],
  ];
  return pairs.filter(([, a, e]) => !agrees(a, e)).map(([name, a, e]) => `${name}: ${a} vs ${e}`);
}

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error('usage: check-stats-vectors.mjs FILE [--verbose]');
  process.exit(2);
}
const vectors = JSON.parse(readFileSync(file, 'utf8'));
const tuning = vectors.settings?.sequential_tuning_parameter;
const prior = vectors.settings?.proper_prior ?? DEFAULT_PROPER_PRIOR;
const runs = {
  fixed_relative: (input) => frequentistTest(input, { scale: 'relative' }),
  fixed_absolute: (input) => frequentistTest(input, { scale: 'absolute' }),
  sequential_relative: (input) =>
    frequentistTest(input, { scale: 'relative', method: 'sequential', sequential_tuning: tuning }),
  sequential_absolute: (input) =>
    frequentistTest(input, { scale: 'absolute', method: 'sequential', sequential_tuning: tuning }),
  bayes_relative_flat: (input) => bayesianTest(input, { prior: null }),
  bayes_relative_prior: (input) => bayesianTest(input, { prior }),
};

let total = 0;
let agreeing = 0;
vectors.cases.forEach((vector, index) => {
  const input = { kind: vector.type, control: vector.control, treatment: vector.treatment };
  for (const [name, answer] of Object.entries(vector.gbstats)) {
    const run = runs[name];
    if (!run || answer.error) continue;
    total++;
    const problems = disagreements(run(input), answer);
    if (problems.length === 0) agreeing++;
    else if (flag === '--verbose') console.log(`case ${index} ${vector.type} ${name}: ${problems.join(', ')}`);
  }
});
console.log(`agree: ${agreeing}/${total}`);
process.exit(agreeing === total && total > 0 ? 0 : 1);
