/**
 * The catalog-metric rows of `<abc-experiment-results>`: one row per catalog metric × variant, with what the server
 * decided (verdict, guardrail status) turned into words and a tone. Pure, so it is unit-tested.
 */
import type { CatalogMetricResult, ExperimentResults } from '@ab-calicritters/core';
import { variantColorIndex } from '../cumulative-effect/cumulative-effect.model.js';
import type { DecisionTone } from './experiment-results.model.js';

export interface CatalogRow {
  metric: string;
  /** The metric's name, else its key. */
  label: string;
  role: CatalogMetricResult['role'];
  /** `lower` metrics are better when they go down. */
  direction: CatalogMetricResult['direction'];
  variant: string;
  /** The variant's chart colour (its place in the definition; control is 0), as in its trend chart. */
  colorIndex: number;
  exposedUsers: number;
  controlMean: number | null;
  mean: number | null;
  relativeEffect: number | null;
  relativeCi: [number, number] | null;
  /** The p-value the verdict reads: BH over goals for a goal, Holm over variants for a guardrail. */
  pValue: number | null;
  chanceToWin: number | null;
  /**
   * Expected loss of shipping the variant, as a share of control's mean (0.004: 0.4 %), read by the direction: a
   * fall for `higher` metrics, a rise for `lower` ones. Null when unknown or from an older server.
   */
  risk: number | null;
  /** The Bayesian interval of the relative effect at 1 − alpha, under the analysis' prior. */
  credibleInterval: [number, number] | null;
  cupedReduction: number | null;
  /** A short word: `win`, `loss`, `inconclusive`, or a guardrail's `ok` / `warning` / `failing`. */
  status: string;
  tone: DecisionTone | 'warning';
}

function statusOf(
  metric: CatalogMetricResult,
  v: CatalogMetricResult['variants'][number],
): Pick<CatalogRow, 'status' | 'tone'> {
  if (metric.role === 'guardrail') {
    const status = v.guardrail_status ?? 'ok';
    return { status, tone: status === 'failing' ? 'negative' : status === 'warning' ? 'warning' : '' };
  }
  return { status: v.verdict, tone: v.verdict === 'win' ? 'positive' : v.verdict === 'loss' ? 'negative' : '' };
}

/** Goals first, then guardrails, each in the experiment's order; one row per variant other than control. */
export function catalogRows(results: ExperimentResults): CatalogRow[] {
  const metrics = results.catalog_metrics ?? [];
  const ordered = [...metrics.filter((m) => m.role === 'goal'), ...metrics.filter((m) => m.role === 'guardrail')];
  return ordered.flatMap((m) =>
    m.variants.map((v) => ({
      metric: m.key,
      label: m.name ?? m.key,
      role: m.role,
      direction: m.direction,
      variant: v.variant,
      colorIndex: variantColorIndex(m, v.variant),
      exposedUsers: v.exposed_users,
      controlMean: m.control.mean,
      mean: v.mean,
      relativeEffect: v.relative_effect,
      relativeCi: v.relative_ci,
      pValue: m.role === 'goal' ? v.goal_adjusted_p_value : v.adjusted_p_value,
      chanceToWin: v.chance_to_win,
      risk: v.risk ?? null,
      credibleInterval: v.credible_interval ?? null,
      cupedReduction: v.cuped_variance_reduction,
      ...statusOf(m, v),
    })),
  );
}

/** "30 of 40 assigned users exposed" per variant, or null when the experiment has no catalog metrics. */
export function exposureLine(results: ExperimentResults): string | null {
  if (!results.catalog_users) return null;
  return results.catalog_users
    .map(
      (u) =>
        `${u.variant}: ${u.exposed_users.toLocaleString('en-US')} of ${u.assigned_users.toLocaleString('en-US')} exposed`,
    )
    .join(' · ');
}

/**
 * A risk as a share of control's mean, fine enough that small risks differ: 0.004 → "0.4%", 0.0004 → "0.04%",
 * below 0.005 % → "<0.01%", 0.123 → "12%"; null → "–".
 */
export function formatRisk(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const pct = Math.max(0, value) * 100;
  if (pct === 0) return '0%';
  if (pct < 0.005) return '<0.01%';
  return `${pct.toFixed(pct < 0.1 ? 2 : pct < 10 ? 1 : 0)}%`;
}
