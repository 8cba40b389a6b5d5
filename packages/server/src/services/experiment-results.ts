/**
 * Experiment results from rollup rows: per metric, conversion and per-user value (mean) statistics of every
 * variant against control (the first variant of the definition), plus the sample-ratio check on the users
 * assigned in the window. `exposures`/`exposed_users` repeat the assigned counts under their old names for one
 * release (deprecated). Holdouts get the same statistics over their two arms (see holdout-results.ts).
 */
import {
  compareVariants,
  sampleRatioMismatch,
  type FrequentistMethod,
  type ExperimentRecord,
  type ExperimentResults,
  type MetricResult,
} from '@ab-calicritters/core';
import type { ExperimentRollupRow } from '../storage/rollup-store.js';
import { windowPower, type AnalysisSettings } from './power-results.js';

/**
 * The pseudo-metric whose rollup rows carry the users assigned in the window and nothing else. The stored name
 * (and the rollup column `exposed_users`) predate the glossary; both are internal and stay as they are.
 */
const ASSIGNED_USERS_METRIC = '$exposed';

/** The results of any set of arms, the first the control: what experiments and holdouts share. */
type ArmResults = Omit<ExperimentResults, 'experiment' | 'exposures'>;

/**
 * The statistics of arms (`key`, expected share `weight`; the first is the control) from their rollup rows.
 * `windowComputedAt`: when the experiments job last computed this window length (null: never). It is the
 * `computed_at` of a subject without rows, so `computed_at: null` means only "not computed yet", never "computed,
 * nobody assigned". `method`: how p-values and intervals are computed (see compareVariants). `power`: when given,
 * each metric gets the power of its comparisons (see power-results.ts).
 */
export function armResults(
  variants: ReadonlyArray<{ key: string; weight: number }>,
  windowDays: number,
  rows: ExperimentRollupRow[],
  windowComputedAt: string | null,
  method: FrequentistMethod,
  power?: AnalysisSettings,
): ArmResults {
  const keys = variants.map((v) => v.key);
  const weights = variants.map((v) => v.weight);
  const row = (metric: string, variant: string) => rows.find((r) => r.metric === metric && r.variant === variant);
  const assigned = keys.map((k) => row(ASSIGNED_USERS_METRIC, k)?.exposed_users ?? 0);
  const metricNames = [...new Set(rows.map((r) => r.metric))].filter((m) => m !== ASSIGNED_USERS_METRIC).sort();
  const [controlKey = '', ...others] = keys;
  const first = rows[0];
  const estimate = power && windowPower(first?.window_start ?? null, first?.window_end ?? null, power);

  const metrics = metricNames.map((metric): MetricResult => {
    const arms = keys.map((k, i) => {
      const r = row(metric, k);
      return {
        variant: k,
        assigned_users: r?.exposed_users ?? assigned[i] ?? 0,
        converted_users: r?.converted_users ?? 0,
        value_sum: r?.value_sum ?? 0,
        value_sum_squares: r?.value_sum_squares ?? 0,
      };
    });
    const conversions = arms.map((a) => ({ users: a.assigned_users, conversions: a.converted_users }));
    const means = arms.map((a) => ({ users: a.assigned_users, sum: a.value_sum, sum_squares: a.value_sum_squares }));
    const [control, ...treatments] = arms;
    const powerOf = estimate && {
      power: {
        conversion: treatments.map((t) =>
          estimate({
            kind: 'proportion',
            control: { n: control!.assigned_users, sum: control!.converted_users },
            treatment: { n: t.assigned_users, sum: t.converted_users },
          }),
        ),
        mean: treatments.map((t) =>
          estimate({
            kind: 'mean',
            control: { n: control!.assigned_users, sum: control!.value_sum, sum_squares: control!.value_sum_squares },
            treatment: { n: t.assigned_users, sum: t.value_sum, sum_squares: t.value_sum_squares },
          }),
        ),
      },
    };
    return {
      metric,
      conversion: {
        ...compareVariants({
          metric_type: 'conversion',
          control: conversions[0]!,
          variants: conversions.slice(1),
          weights,
          method,
          alpha: power?.alpha,
          sequential_tuning: power?.sequential_tuning,
        }),
        variant_keys: others,
      },
      mean: {
        ...compareVariants({
          metric_type: 'mean',
          control: means[0]!,
          variants: means.slice(1),
          weights,
          method,
          alpha: power?.alpha,
          sequential_tuning: power?.sequential_tuning,
        }),
        variant_keys: others,
      },
      totals: arms.map(({ variant, assigned_users, converted_users, value_sum }) => ({
        variant,
        assigned_users,
        exposed_users: assigned_users,
        converted_users,
        value_sum,
      })),
      ...powerOf,
    };
  });

  return {
    window_days: windowDays,
    window_start: first?.window_start ?? null,
    window_end: first?.window_end ?? null,
    computed_at: first?.computed_at ?? windowComputedAt,
    control: controlKey,
    assignments: keys.map((k, i) => ({
      variant: k,
      assigned_users: assigned[i] ?? 0,
      expected_share: weights[i] ?? 0,
    })),
    sample_ratio: sampleRatioMismatch(assigned, weights),
    metrics,
  };
}

/** {@link armResults} of an experiment's variants, with the experiment and the deprecated `exposures`. */
export function experimentResults(
  experiment: ExperimentRecord,
  windowDays: number,
  rows: ExperimentRollupRow[],
  windowComputedAt: string | null = null,
  method: FrequentistMethod = 'sequential',
  power?: AnalysisSettings,
): ExperimentResults {
  const results = armResults(experiment.variants, windowDays, rows, windowComputedAt, method, power);
  const { key, name, status, coverage, variants } = experiment;
  return {
    experiment: { key, name, status, coverage, variants },
    ...results,
    exposures: results.assignments.map((a) => ({
      variant: a.variant,
      exposed_users: a.assigned_users,
      expected_share: a.expected_share,
    })),
  };
}
