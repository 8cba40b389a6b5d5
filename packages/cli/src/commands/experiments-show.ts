/**
 * `calicritters experiments show <key>`: one experiment's rules — lifecycle state, targeting in words, hash attribute,
 * coverage, namespace range, the holdouts covering it, its QA overrides and each variant's payload — in the database
 * directly or through a running server's admin API. `--json` prints the same as one object.
 */
import type { ExperimentRecord, HoldoutRecord, OverrideRecord } from '@ab-calicritters/core';
import { describeCondition } from '@ab-calicritters/dashboard/api';
import { findExperiment, type ExperimentsTarget } from './experiments.js';
import { asCliErrors, type OverridesTarget } from './overrides.js';
import type { HoldoutsTarget } from './holdouts.js';

/** What `show` prints: the record as stored, with its rules in words and what covers it. */
export interface ExperimentRules {
  experiment: ExperimentRecord;
  /** The condition in words; `everyone` without one. */
  targeting: string;
  /** Active holdouts covering it (every experiment, or this one by key). */
  holdouts: HoldoutRecord[];
  /** Its QA overrides that have not expired. */
  overrides: OverrideRecord[];
}

/** Reads the experiment, the holdouts covering it and its overrides. */
export async function showExperiment(
  target: ExperimentsTarget & OverridesTarget & HoldoutsTarget,
  key: string,
): Promise<ExperimentRules> {
  const experiment = await findExperiment(target, key);
  const [holdouts, overrides] = await asCliErrors(() =>
    Promise.all([target.holdouts.list(), target.overrides.list(key)]),
  );
  return {
    experiment,
    targeting: describeCondition(experiment.condition),
    holdouts: holdouts.filter((h) => h.status === 'active' && (h.all_experiments || h.experiment_keys.includes(key))),
    overrides,
  };
}

const pct = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** The payload on one line, cut at `max` characters. */
function payloadLine(value: unknown, max = 100): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The rules as aligned "label  value" lines for a terminal. */
export function formatExperimentRules({ experiment: e, targeting, holdouts, overrides }: ExperimentRules): string {
  const state =
    e.status === 'released'
      ? `released → ${e.released_variant ?? '?'}${e.released_at ? ` (since ${e.released_at})` : ''}`
      : e.status;
  const perVariant = new Map<string, number>();
  for (const o of overrides) perVariant.set(o.variant, (perVariant.get(o.variant) ?? 0) + 1);
  const rows: Array<[string, string]> = [
    ['Experiment', e.name ? `${e.key} (${e.name})` : e.key],
    ['Status', state],
    ['Targeting', targeting],
    ['Bucketed by', `${e.hash_attribute}${e.fallback_attribute ? `, else ${e.fallback_attribute}` : ''}`],
    ['Coverage', pct(e.coverage)],
    ['Namespace', e.namespace ? `${e.namespace[0]} [${e.namespace[1]}, ${e.namespace[2]})` : 'none'],
    [
      'Holdouts',
      holdouts.length
        ? holdouts.map((h) => `${h.key} (${pct(h.share)}${h.all_experiments ? ', all experiments' : ''})`).join(', ')
        : 'none',
    ],
    [
      'Overrides',
      overrides.length
        ? `${overrides.length} (${[...perVariant].map(([variant, n]) => `${variant} ${n}`).join(', ')})`
        : 'none',
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  lines.push('Variants');
  for (const v of e.variants as Array<{ key: string; weight: number; value?: unknown }>) {
    const released = e.status === 'released' && e.released_variant === v.key ? ' (released)' : '';
    const payload = v.value === undefined ? '' : `  ${payloadLine(v.value)}`;
    lines.push(`  ${v.key}  ${pct(v.weight)}${released}${payload}`);
  }
  return lines.join('\n');
}
