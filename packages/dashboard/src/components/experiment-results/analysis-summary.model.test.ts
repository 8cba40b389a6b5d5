import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExperimentResults, PowerEstimate } from '@ab-calicritters/core';
import { methodLine, powerSentence, priorLine } from './analysis-summary.model.js';

const power = (over: Partial<PowerEstimate>): PowerEstimate => ({
  method: 'sequential',
  mde_relative: 0.25,
  days_to_power: 1,
  target_effect: -0.1,
  target_source: 'observed',
  reason: null,
  ...over,
});

const results = (variants: number, analysis?: ExperimentResults['analysis']) =>
  ({
    experiment: { variants: Array.from({ length: variants }, (_, i) => ({ key: `v${i}`, weight: 1 / variants })) },
    ...(analysis ? { analysis } : {}),
  }) as unknown as ExperimentResults;

test('method line: sequential with its tuning and the Holm adjustment across the treatments', () => {
  const data = results(3, { method: 'sequential', alpha: 0.05, sequential_tuning: 20000, source: 'experiment' });
  assert.is(
    methodLine(data, 'fixed'),
    'Sequential testing (always-valid, tuning 20,000); p-values Holm-adjusted across 2 variants.',
  );
});

test('method line: a fixed test names a non-default alpha; older servers fall back to the comparison method', () => {
  const fixed = results(2, { method: 'fixed', alpha: 0.01, sequential_tuning: 5000, source: 'experiment' });
  assert.is(
    methodLine(fixed, 'sequential'),
    'Fixed-horizon test (one planned look, α = 0.01); one variant against control, no adjustment.',
  );
  assert.is(
    methodLine(results(2), 'sequential'),
    'Sequential testing (always-valid, tuning 5,000); one variant against control, no adjustment.',
  );
});

test('power sentences', () => {
  assert.is(
    powerSentence(power({})),
    'Detects ±25% now; about 1 more day for 80 % power at the observed variance, for the −10% observed effect.',
  );
  assert.is(powerSentence(power({ mde_relative: null })), 'Power unknown: not enough data yet.');
  assert.is(
    powerSentence(power({ target_effect: null, target_source: null, days_to_power: null })),
    'Detects ±25% now; no target effect (the observed effect is 0).',
  );
});

test('prior line: flat, or the proper N(0, 0.3²) on the relative effect; nothing from servers that do not say', () => {
  const analysis = { method: 'sequential', alpha: 0.05, sequential_tuning: 5000, source: 'experiment' } as const;
  assert.is(
    priorLine(results(2, { ...analysis, prior: 'flat' })),
    'Bayesian chance to win, risk and credible interval: flat prior (the data alone).',
  );
  assert.match(
    priorLine(results(2, { ...analysis, prior: 'proper' })) ?? '',
    /: proper prior, N\(0, 0\.3²\) on the relative effect \(GrowthBook's default\)/,
  );
  assert.is(priorLine(results(2, analysis)), null);
});

test.run();
