/**
 * The catalog metrics of an experiment's results: for each metric the experiment names, every variant against control
 * over **exposed** users (the metrics rollup), with core's two-arm engine — the same frequentistTest and bayesianTest
 * that compareVariants runs, given the summaries compareVariants cannot take (ratio, CUPED). Nothing statistical is
 * computed here: this module picks the summaries, calls core, and reads the answers the way the metric's direction
 * says (a rise of a `lower` metric is a loss).
 */
import {
  benjaminiHochberg,
  bayesianTest,
  DEFAULT_PROPER_PRIOR,
  frequentistTest,
  holmBonferroni,
  type CatalogMetricResult,
  type CatalogUserCounts,
  type CatalogVariantResult,
  type ExperimentMetric,
  type ExperimentRecord,
  type FrequentistMethod,
  type GuardrailStatus,
  type MetricRecord,
  type NormalPrior,
  type TwoArmSummaries,
  type VariantAssignedUsers,
} from '@ab-calicritters/core';
import type { CatalogRollupRow } from '../storage/metric-store.js';
import type { Storage } from '../storage/storage.js';
import { windowPower, type AnalysisSettings } from './power-results.js';

/** Significance level of every verdict (and of the 95 % intervals) unless the experiment's analysis sets another. */
const ALPHA = 0.05;

/** A guardrail is `warning` when its chance of being worse reaches this, before it is significantly worse. */
const GUARDRAIL_WARNING_CHANCE = 0.8;

/** The exposed-users pseudo-metric of the metrics rollup. */
const EXPOSED = '$exposure';

const moments = (n: number, sum: number, sumSquares: number) => ({ n, sum, sum_squares: sumSquares });

/** One arm's summary for core, by the metric's kind; CUPED when the metric reads a pre-exposure period. */
export function armSummary(metric: MetricRecord, row: CatalogRollupRow | undefined, exposed: number) {
  const r = row ?? { value_sum: 0, value_sum_squares: 0, den_sum: 0, den_sum_squares: 0 };
  const n = row?.exposed_users ?? exposed;
  if (metric.kind === 'ratio') {
    return {
      n,
      numerator: moments(n, r.value_sum, r.value_sum_squares),
      denominator: moments(n, r.den_sum, r.den_sum_squares),
      sum_of_products: row?.value_den_sum_of_products ?? 0,
    };
  }
  if (metric.cuped_lookback_days > 0) {
    return {
      n,
      post: moments(n, r.value_sum, r.value_sum_squares),
      pre: moments(n, row?.pre_sum ?? 0, row?.pre_sum_squares ?? 0),
      post_pre_sum_of_products: row?.value_pre_sum_of_products ?? 0,
    };
  }
  return metric.kind === 'conversion' ? { n, sum: r.value_sum } : moments(n, r.value_sum, r.value_sum_squares);
}

/** The two arms' summaries as core's two-arm tests take them, by the metric's kind. */
export function summaries(metric: MetricRecord, control: unknown, treatment: unknown): TwoArmSummaries {
  const kind =
    metric.kind === 'ratio'
      ? 'ratio'
      : metric.cuped_lookback_days > 0
        ? 'cuped'
        : metric.kind === 'conversion'
          ? 'proportion'
          : 'mean';
  return { kind, control, treatment } as TwoArmSummaries;
}

/** An arm's mean per exposed user (Σnum/Σden for a ratio), unadjusted. */
function armMean(metric: MetricRecord, row: CatalogRollupRow | undefined): number | null {
  if (!row || row.exposed_users === 0) return null;
  if (metric.kind === 'ratio') return row.den_sum === 0 ? null : row.value_sum / row.den_sum;
  return row.value_sum / row.exposed_users;
}

/** Worse means down for a `higher` metric and up for a `lower` one. */
const worse = (metric: MetricRecord, effect: number | null) =>
  effect !== null && (metric.direction === 'higher' ? effect < 0 : effect > 0);

function guardrailStatus(metric: MetricRecord, v: CatalogVariantResult, alpha: number): GuardrailStatus {
  if (!worse(metric, v.relative_effect)) return 'ok';
  const p = v.adjusted_p_value ?? v.p_value;
  if (p !== null && p < alpha) return 'failing';
  return v.chance_to_win !== null && 1 - v.chance_to_win >= GUARDRAIL_WARNING_CHANCE ? 'warning' : 'ok';
}

/** `win`/`loss` when `p` is significant, by the direction of the effect. */
function verdictOf(
  metric: { direction: MetricRecord['direction'] },
  effect: number | null,
  p: number | null,
  alpha: number,
) {
  if (p === null || effect === null || !(p < alpha) || effect === 0) return 'inconclusive' as const;
  return (metric.direction === 'higher') === effect > 0 ? ('win' as const) : ('loss' as const);
}

/** One metric, every variant against control; `goal_adjusted_p_value` and guardrail status are filled in later. */
function compareMetric(
  experiment: ExperimentRecord,
  ref: ExperimentMetric,
  metric: MetricRecord,
  rows: readonly CatalogRollupRow[],
  exposed: ReadonlyMap<string, number>,
  tests: { method: FrequentistMethod; alpha: number; sequential_tuning?: number; prior: NormalPrior | null },
  power: ((input: TwoArmSummaries) => CatalogVariantResult['power']) | undefined,
): CatalogMetricResult {
  const { prior, ...frequentist } = tests;
  const { alpha } = tests;
  const [control, ...others] = experiment.variants.map((v) => v.key);
  const rowOf = (variant: string | undefined) => rows.find((r) => r.metric_key === metric.key && r.variant === variant);
  const exposedOf = (variant: string | undefined) => exposed.get(variant ?? '') ?? 0;
  const controlArm = armSummary(metric, rowOf(control), exposedOf(control));
  const variants = others.map((variant): CatalogVariantResult => {
    const input = summaries(metric, controlArm, armSummary(metric, rowOf(variant), exposedOf(variant)));
    const relative = frequentistTest(input, { ...frequentist, scale: 'relative' });
    const absolute = frequentistTest(input, { ...frequentist, scale: 'absolute' });
    const bayes = bayesianTest(input, { scale: 'relative', alpha, prior });
    const better = bayes.chance_to_win;
    const higher = metric.direction === 'higher';
    return {
      variant,
      exposed_users: exposedOf(variant),
      mean: armMean(metric, rowOf(variant)),
      relative_effect: relative.effect,
      relative_ci: relative.ci,
      absolute_effect: absolute.effect,
      absolute_ci: absolute.ci,
      p_value: relative.p_value,
      adjusted_p_value: null,
      goal_adjusted_p_value: null,
      // Core's chance is P(effect > 0): a win for `higher`, a loss for `lower`.
      chance_to_win: better === null ? null : higher ? better : 1 - better,
      // Core's risk is [loss of keeping control, loss of shipping the variant] when a rise is good; a `lower`
      // metric loses by a rise, so the variant's loss is the other one.
      risk: bayes.risk === null ? null : bayes.risk[higher ? 1 : 0],
      credible_interval: bayes.ci,
      cuped_variance_reduction: input.kind === 'cuped' ? relative.variance_reduction : null,
      guardrail_status: null,
      verdict: 'inconclusive',
      reason: relative.reason,
      ...(power && { power: power(input) }),
    };
  });
  const adjusted = holmBonferroni(variants.map((v) => v.p_value));
  return {
    key: metric.key,
    name: metric.name,
    kind: metric.kind,
    role: ref.role,
    direction: metric.direction,
    cuped: metric.kind !== 'ratio' && metric.cuped_lookback_days > 0,
    control: { variant: control ?? '', exposed_users: exposedOf(control), mean: armMean(metric, rowOf(control)) },
    variants: variants.map((v, i) => {
      const withAdjusted = { ...v, adjusted_p_value: adjusted[i] ?? null };
      if (ref.role !== 'guardrail') return withAdjusted;
      return {
        ...withAdjusted,
        guardrail_status: guardrailStatus(metric, withAdjusted, alpha),
        verdict: verdictOf(metric, v.relative_effect, withAdjusted.adjusted_p_value, alpha),
      };
    }),
  };
}

/** Benjamini–Hochberg over every goal metric × variant p-value of the experiment, written back in place. */
function adjustGoals(results: CatalogMetricResult[], alpha: number): CatalogMetricResult[] {
  const goals = results.flatMap((m) => (m.role === 'goal' ? m.variants : []));
  const adjusted = benjaminiHochberg(goals.map((v) => v.p_value));
  let i = 0;
  return results.map((m) =>
    m.role === 'goal'
      ? {
          ...m,
          variants: m.variants.map((v) => {
            const p = adjusted[i++] ?? null;
            return { ...v, goal_adjusted_p_value: p, verdict: verdictOf(m, v.relative_effect, p, alpha) };
          }),
        }
      : m,
  );
}

/** What the results endpoint adds for an experiment that names catalog metrics. */
export interface CatalogResults {
  catalog_users: CatalogUserCounts[];
  catalog_metrics: CatalogMetricResult[];
}

/**
 * The catalog part of an experiment's results over a window length; undefined when it names no catalog metric.
 * `assignments` are the assigned users per variant the experiment results already carry.
 */
export async function catalogResults(
  storage: Storage,
  experiment: ExperimentRecord,
  windowDays: number,
  assignments: readonly VariantAssignedUsers[],
  method: FrequentistMethod = 'sequential',
  power?: AnalysisSettings,
): Promise<CatalogResults | undefined> {
  const refs = experiment.metrics ?? [];
  if (refs.length === 0) return undefined;
  const [metrics, rows] = await Promise.all([
    storage.metrics.getMany(refs.map((r) => r.key)),
    storage.metrics.rollupRows(experiment.key, windowDays),
  ]);
  const exposed = new Map(rows.filter((r) => r.metric_key === EXPOSED).map((r) => [r.variant, r.exposed_users]));
  const tests = {
    method,
    alpha: power?.alpha ?? ALPHA,
    sequential_tuning: power?.sequential_tuning,
    prior: power?.prior === 'proper' ? DEFAULT_PROPER_PRIOR : null,
  };
  const estimate = power && windowPower(rows[0]?.window_start ?? null, rows[0]?.window_end ?? null, power);
  const compared = refs.flatMap((ref) => {
    const metric = metrics.find((m) => m.key === ref.key);
    return metric ? [compareMetric(experiment, ref, metric, rows, exposed, tests, estimate)] : [];
  });
  return {
    catalog_users: experiment.variants.map((v) => ({
      variant: v.key,
      assigned_users: assignments.find((a) => a.variant === v.key)?.assigned_users ?? 0,
      exposed_users: exposed.get(v.key) ?? 0,
    })),
    catalog_metrics: adjustGoals(compared, tests.alpha),
  };
}
