/**
 * What `<abc-experiment-results>` shows, computed from the API response: the default metric, one row per variant,
 * the lift-interval bars on one shared scale, and a plain-language verdict per variant. Pure, so it is unit-tested.
 */
import type { ExperimentResults, MetricResult, VariantComparison } from '@ab-calicritters/core';
import { formatChance, formatLift, formatPValue } from '../../shared/format.js';

/** The metric kind a view shows: `conversion` (share of assigned users who converted) or `mean` (value per user). */
export type ResultStatistic = 'conversion' | 'mean';

/** Two-sided significance level matching the 95% intervals the server computes; a verdict needs both to agree. */
export const SIGNIFICANCE = 0.05;

export interface VariantRow {
  variant: string;
  isControl: boolean;
  /** Users assigned to the variant inside the window. */
  assignedUsers: number;
  convertedUsers: number;
  estimate: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  lift: number | null;
  liftCiLower: number | null;
  liftCiUpper: number | null;
  pValue: number | null;
  /** `pValue` adjusted for the number of variants (Holm); the verdict reads this one. Null without a p-value. */
  adjustedPValue: number | null;
  chanceToBeat: number | null;
  /** Position of the lift interval on the shared scale, in % of the bar's width (null without an interval). */
  bar: { left: number; width: number; point: number; zero: number } | null;
}

/**
 * What a variant's comparison with control says: it beats control, it is worse, the data cannot tell yet, or there is
 * nothing to compare. The verdict's words and the colour of the variant's lift both come from it.
 */
export type Decision = 'better' | 'worse' | 'inconclusive' | 'no_data';

/** The colour class a decision is shown in: `positive`, `negative`, or '' (no colour) while nothing is decided. */
export type DecisionTone = 'positive' | 'negative' | '';

export interface Verdict {
  variant: string;
  outcome: Decision;
  text: string;
}

/**
 * The metric shown when none is asked for: the rarest metric anyone converted on. In a funnel of metrics the
 * rarest step is the goal (a purchase rather than an app open), and the choice does not look at p-values.
 */
export function defaultMetric(results: ExperimentResults): string | undefined {
  let best: { metric: string; rate: number } | undefined;
  for (const m of results.metrics) {
    const assigned = m.totals.reduce((sum, t) => sum + t.assigned_users, 0);
    const converted = m.totals.reduce((sum, t) => sum + t.converted_users, 0);
    if (converted === 0 || assigned === 0) continue;
    const rate = converted / assigned;
    if (!best || rate < best.rate) best = { metric: m.metric, rate };
  }
  return best?.metric ?? results.metrics[0]?.metric;
}

function liftScale(variants: readonly VariantComparison[]): number {
  const extremes = variants
    .flatMap((v) => [v.lift_ci_lower, v.lift_ci_upper, v.lift])
    .filter((x): x is number => x != null && Number.isFinite(x));
  const max = Math.max(0.05, ...extremes.map(Math.abs));
  return max * 1.1;
}

function barOf(v: VariantComparison, scale: number): VariantRow['bar'] {
  if (v.lift_ci_lower == null || v.lift_ci_upper == null || v.lift == null) return null;
  const pos = (x: number) => Math.min(100, Math.max(0, 50 + (x / scale) * 50));
  const left = pos(v.lift_ci_lower);
  return { left, width: Math.max(0.5, pos(v.lift_ci_upper) - left), point: pos(v.lift), zero: 50 };
}

/**
 * The one decision behind a variant's verdict and colour: significant when the p-value — adjusted for the number of
 * variants when there is more than one — is under 5 % and the lift's interval is clear of zero. The server computes
 * both from one test, so they agree unless the adjustment raised the p-value (then it is not a win: with more arms,
 * one of them looks good by chance more often).
 * @example decision({ lift: 0.26, liftCiLower: 0.004, liftCiUpper: 0.51, pValue: 0.03, adjustedPValue: 0.064 }) // 'inconclusive'
 */
export function decision(
  row: Pick<VariantRow, 'lift' | 'liftCiLower' | 'liftCiUpper' | 'pValue'> & { adjustedPValue?: number | null },
): Decision {
  const { lift, liftCiLower: lower, liftCiUpper: upper } = row;
  const pValue = row.adjustedPValue ?? row.pValue;
  if (lift == null || pValue == null) return 'no_data';
  const excludesZero = lower != null && upper != null && (lower > 0 || upper < 0);
  if (pValue >= SIGNIFICANCE || !excludesZero) return 'inconclusive';
  return lift > 0 ? 'better' : 'worse';
}

/** The colour of a decision: only a decided difference is coloured. */
export function decisionTone(outcome: Decision): DecisionTone {
  return outcome === 'better' ? 'positive' : outcome === 'worse' ? 'negative' : '';
}

/**
 * True when the "control" badge beside a variant's name says something the name does not: not for a control
 * variant that is already called "control".
 */
export function needsControlBadge(row: Pick<VariantRow, 'variant' | 'isControl'>): boolean {
  return row.isControl && row.variant.trim().toLowerCase() !== 'control';
}

/** One row per variant, control first. */
export function variantRows(
  metric: MetricResult,
  results: ExperimentResults,
  statistic: ResultStatistic,
): VariantRow[] {
  const comparison = metric[statistic];
  const scale = liftScale(comparison.variants);
  const totals = (variant: string) => metric.totals.find((t) => t.variant === variant);
  const control: VariantRow = {
    variant: results.control,
    isControl: true,
    assignedUsers: totals(results.control)?.assigned_users ?? comparison.control.users,
    convertedUsers: totals(results.control)?.converted_users ?? 0,
    estimate: comparison.control.estimate,
    ciLower: comparison.control.ci_lower,
    ciUpper: comparison.control.ci_upper,
    lift: null,
    liftCiLower: null,
    liftCiUpper: null,
    pValue: null,
    adjustedPValue: null,
    chanceToBeat: null,
    bar: null,
  };
  const others = comparison.variants.map((v, i): VariantRow => {
    const key = comparison.variant_keys[i] ?? `variant ${i + 1}`;
    return {
      variant: key,
      isControl: false,
      assignedUsers: totals(key)?.assigned_users ?? v.users,
      convertedUsers: totals(key)?.converted_users ?? 0,
      estimate: v.estimate,
      ciLower: v.ci_lower,
      ciUpper: v.ci_upper,
      lift: v.lift,
      liftCiLower: v.lift_ci_lower,
      liftCiUpper: v.lift_ci_upper,
      pValue: v.p_value,
      // Older servers send no adjusted p-value; with one variant there is nothing to adjust anyway.
      adjustedPValue: comparison.variants.length > 1 ? (v.adjusted_p_value ?? null) : null,
      chanceToBeat: v.chance_to_beat_control,
      bar: barOf(v, scale),
    };
  });
  return [control, ...others];
}

/**
 * One sentence per variant, e.g. "urgency beats control on purchase: +12% (95% CI +3% to +21%), p = 0.004,
 * 99% chance to beat control" or "No significant difference yet on purchase: …".
 */
export function verdicts(rows: readonly VariantRow[], metric: string, control: string): Verdict[] {
  return rows
    .filter((r) => !r.isControl)
    .map((r): Verdict => {
      const outcome = decision(r);
      if (outcome === 'no_data') {
        return {
          variant: r.variant,
          outcome,
          text: `Not enough data yet to compare ${r.variant} with ${control} on ${metric}.`,
        };
      }
      const ci =
        r.liftCiLower != null && r.liftCiUpper != null
          ? ` (95% CI ${formatLift(r.liftCiLower)} to ${formatLift(r.liftCiUpper)})`
          : '';
      const adjusted =
        r.adjustedPValue != null ? ` (${formatPValue(r.adjustedPValue)} adjusted for ${rows.length - 1} variants)` : '';
      const stats = `${formatLift(r.lift)}${ci}, p = ${formatPValue(r.pValue)}${adjusted}, ${formatChance(r.chanceToBeat)} chance to beat ${control}`;
      const text =
        outcome === 'better'
          ? `${r.variant} beats ${control} on ${metric}: ${stats}`
          : outcome === 'worse'
            ? `${r.variant} is worse than ${control} on ${metric}: ${stats}`
            : `No significant difference yet between ${r.variant} and ${control} on ${metric}: ${stats}`;
      return { variant: r.variant, outcome, text };
    });
}
