/**
 * The plain-language lines under the results: how the results were tested (method, tuning or alpha, the multiple-
 * testing adjustment) and, per goal metric, its minimum detectable effect and the days to 80 % power.
 */
import type { ExperimentResults, FrequentistMethod, PowerEstimate } from '@ab-calicritters/core';
import { formatCount, formatLift, formatPercent } from '../../shared/format.js';
import type { ResultStatistic } from './experiment-results.model.js';

/** One power line: which metric and variant it is about, and the sentence. */
export interface PowerLine {
  metric: string;
  variant: string;
  text: string;
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * "Sequential testing (always-valid, tuning 5,000); p-values Holm-adjusted across 2 variants", or the fixed-horizon
 * equivalent. Older servers send no `analysis`: the method of the shown comparison and the defaults then.
 */
export function methodLine(data: ExperimentResults, method: FrequentistMethod): string {
  const analysis = data.analysis ?? { method, alpha: 0.05, sequential_tuning: 5000, source: 'experiment' as const };
  const level = analysis.alpha === 0.05 ? '' : `, α = ${analysis.alpha}`;
  const test =
    analysis.method === 'sequential'
      ? `Sequential testing (always-valid, tuning ${formatCount(analysis.sequential_tuning)}${level})`
      : `Fixed-horizon test (one planned look${level})`;
  const treatments = Math.max(0, data.experiment.variants.length - 1);
  const adjustment =
    treatments > 1
      ? `p-values Holm-adjusted across ${plural(treatments, 'variant', 'variants')}`
      : 'one variant against control, no adjustment';
  const source = analysis.source === 'request' ? ' — asked for by this view, not the experiment’s setting' : '';
  return `${test}; ${adjustment}${source}.`;
}

/**
 * Which prior the catalog metrics' Bayesian figures (chance to win, risk, credible interval) use; null from older
 * servers, which do not say. `proper` is core's DEFAULT_PROPER_PRIOR, N(0, 0.09) on the relative effect.
 */
export function priorLine(data: ExperimentResults): string | null {
  const prior = data.analysis?.prior;
  if (prior === undefined) return null;
  const figures = 'Bayesian chance to win, risk and credible interval';
  return prior === 'proper'
    ? `${figures}: proper prior, N(0, 0.3²) on the relative effect (GrowthBook's default), which pulls small samples towards no change.`
    : `${figures}: flat prior (the data alone).`;
}

/** "Detects ±17% now; about 6 more days for 80 % power at the observed variance (target +5.0%, observed)." */
export function powerSentence(power: PowerEstimate): string {
  if (power.mde_relative === null) return 'Power unknown: not enough data yet.';
  const now = `Detects ±${formatPercent(power.mde_relative, power.mde_relative >= 0.1 ? 0 : 1)} now`;
  if (power.target_effect === null) return `${now}; no target effect (the observed effect is 0).`;
  const target = `${formatLift(power.target_effect)} ${power.target_source === 'stated' ? 'target' : 'observed effect'}`;
  if (power.days_to_power === 0) return `${now}; already has 80 % power for the ${target}.`;
  if (power.days_to_power === null) return `${now}; 80 % power for the ${target} is out of reach at this traffic.`;
  const days = plural(power.days_to_power, 'more day', 'more days');
  return `${now}; about ${days} for 80 % power at the observed variance, for the ${target}.`;
}

/**
 * Power lines of the goal metrics: the metric shown (the funnel step, its statistic) and every catalog goal, per
 * variant. Empty when the server sends no power (older servers).
 */
export function powerLines(data: ExperimentResults, metricName: string, statistic: ResultStatistic): PowerLine[] {
  const lines: PowerLine[] = [];
  const metric = data.metrics.find((m) => m.metric === metricName);
  metric?.power?.[statistic].forEach((power, i) => {
    const variant = metric[statistic].variant_keys[i] ?? '';
    lines.push({ metric: metricName, variant, text: powerSentence(power) });
  });
  for (const goal of data.catalog_metrics ?? []) {
    if (goal.role !== 'goal') continue;
    for (const v of goal.variants) {
      if (v.power) lines.push({ metric: goal.name ?? goal.key, variant: v.variant, text: powerSentence(v.power) });
    }
  }
  return lines;
}
