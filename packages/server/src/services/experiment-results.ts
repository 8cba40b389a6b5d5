/**
 * Experiment results from rollup rows: per metric, conversion (binomial) and per-user value (mean) statistics of
 * every variant against control (the first variant of the definition), plus the sample-ratio check on exposures.
 */
import { compareVariants, sampleRatioMismatch, type ExperimentRecord, type ExperimentResults, type MetricResult } from '@ab-calicritters/core';
import type { ExperimentRollupRow } from '../storage/rollup-store.js';

/** The pseudo-metric whose rows carry exposure counts only. */
export const EXPOSURE_METRIC = '$exposed';

export function experimentResults(experiment: ExperimentRecord, windowDays: number, rows: ExperimentRollupRow[]): ExperimentResults {
  const keys = experiment.variants.map((v) => v.key);
  const weights = experiment.variants.map((v) => v.weight);
  const row = (metric: string, variant: string) => rows.find((r) => r.metric === metric && r.variant === variant);
  const exposed = keys.map((k) => row(EXPOSURE_METRIC, k)?.exposed_users ?? 0);
  const metricNames = [...new Set(rows.map((r) => r.metric))].filter((m) => m !== EXPOSURE_METRIC).sort();
  const [controlKey = '', ...others] = keys;

  const metrics = metricNames.map((metric): MetricResult => {
    const arms = keys.map((k, i) => {
      const r = row(metric, k);
      return {
        variant: k,
        exposed_users: r?.exposed_users ?? exposed[i] ?? 0,
        converted_users: r?.converted_users ?? 0,
        value_sum: r?.value_sum ?? 0,
        value_sum_squares: r?.value_sum_squares ?? 0,
      };
    });
    const binomial = arms.map((a) => ({ users: a.exposed_users, conversions: a.converted_users }));
    const means = arms.map((a) => ({ users: a.exposed_users, sum: a.value_sum, sum_squares: a.value_sum_squares }));
    return {
      metric,
      conversion: {
        ...compareVariants({ metric_type: 'binomial', control: binomial[0]!, variants: binomial.slice(1), weights }),
        variant_keys: others,
      },
      mean: { ...compareVariants({ metric_type: 'mean', control: means[0]!, variants: means.slice(1), weights }), variant_keys: others },
      totals: arms.map(({ variant, exposed_users, converted_users, value_sum }) => ({ variant, exposed_users, converted_users, value_sum })),
    };
  });

  const first = rows[0];
  return {
    experiment: { key: experiment.key, name: experiment.name, status: experiment.status, coverage: experiment.coverage, variants: experiment.variants },
    window_days: windowDays,
    window_start: first?.window_start ?? null,
    window_end: first?.window_end ?? null,
    computed_at: first?.computed_at ?? null,
    control: controlKey,
    exposures: keys.map((k, i) => ({ variant: k, exposed_users: exposed[i] ?? 0, expected_share: weights[i] ?? 0 })),
    sample_ratio: sampleRatioMismatch(exposed, weights),
    metrics,
  };
}
