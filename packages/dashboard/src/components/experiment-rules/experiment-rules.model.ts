/**
 * What `<abc-experiment-rules>` shows, decided without the DOM: an experiment's lifecycle state, who it targets (in
 * words), what it buckets by, its namespace range, the holdouts covering it, its QA overrides, each variant's
 * payload, and the question asked before a release.
 */
import type { HoldoutRecord, OverrideRecord } from '@ab-calicritters/core';
import type { AdminExperiment } from '../../api/admin-api-client.js';
import { describeCondition } from '../../shared/describe-condition.js';
import { formatDateTime, formatPercent } from '../../shared/format.js';

/** Characters of a payload shown before it is cut (the whole value is a click away). */
export const PAYLOAD_PREVIEW_CHARS = 600;

export interface RulesView {
  key: string;
  label: string;
  status: AdminExperiment['status'];
  /** "Released → treatment", "Running", … */
  state: string;
  tone: 'positive' | 'neutral' | 'warning' | 'accent';
  /** What the state means for users, in one sentence. */
  stateDetail: string;
  targeting: string;
  /** Whether a condition is set (the raw JSON is then shown under the words). */
  targeted: boolean;
  conditionJson: string | null;
  hashing: string;
  coverage: string;
  namespace: string;
  holdouts: string[];
  overrides: string;
  variants: Array<{
    key: string;
    share: string;
    /** Whether it is the released variant. */
    released: boolean;
    /** Pretty JSON of its payload, cut at {@link PAYLOAD_PREVIEW_CHARS}; null when it has none. */
    payload: string | null;
    /** The whole pretty JSON when `payload` was cut; null otherwise. */
    fullPayload: string | null;
  }>;
  /** Variants that can be released (every one but the released one); empty when archived. */
  releasable: string[];
}

const pct = (share: number): string => formatPercent(share, (share * 100) % 1 ? 1 : 0);

/** Whether an active holdout keeps users out of this experiment. */
export function holdoutCovers(holdout: HoldoutRecord, key: string): boolean {
  return holdout.status === 'active' && (holdout.all_experiments || holdout.experiment_keys.includes(key));
}

function stateOf(e: AdminExperiment): Pick<RulesView, 'state' | 'tone' | 'stateDetail'> {
  switch (e.status) {
    case 'released':
      return {
        state: `Released → ${e.released_variant ?? '?'}`,
        tone: 'accent',
        stateDetail: `Everyone gets ${e.released_variant ?? 'the released variant'}${
          e.released_at ? ` since ${formatDateTime(e.released_at)}` : ''
        }; results are frozen at the release.`,
      };
    case 'running':
      return { state: 'Running', tone: 'positive', stateDetail: 'New users are bucketed into its variants.' };
    case 'stopped':
      return {
        state: 'Stopped',
        tone: 'warning',
        stateDetail: 'No new users are assigned; assigned users keep their variant.',
      };
    case 'archived':
      return { state: 'Archived', tone: 'neutral', stateDetail: 'Kept for its results; it assigns nobody.' };
    default:
      return { state: 'Draft', tone: 'neutral', stateDetail: 'Not started: nobody is assigned yet.' };
  }
}

function payloadOf(value: unknown): { payload: string | null; fullPayload: string | null } {
  if (value === undefined) return { payload: null, fullPayload: null };
  const pretty = JSON.stringify(value, null, 2) ?? String(value);
  if (pretty.length <= PAYLOAD_PREVIEW_CHARS) return { payload: pretty, fullPayload: null };
  return { payload: `${pretty.slice(0, PAYLOAD_PREVIEW_CHARS)}…`, fullPayload: pretty };
}

/** "checkout: 30% – 50% (20% of it)"; a sentence saying so without a namespace. */
export function namespaceText(namespace: AdminExperiment['namespace']): string {
  if (!namespace) return 'None: it may overlap any other experiment';
  const [name, start, end] = namespace;
  return `${name}: ${pct(start)} – ${pct(end)} (${pct(end - start)} of it)`;
}

/** "3 overrides (treatment 2, control 1)"; "None". */
export function overridesText(overrides: readonly OverrideRecord[]): string {
  if (overrides.length === 0) return 'None';
  const counts = new Map<string, number>();
  for (const o of overrides) counts.set(o.variant, (counts.get(o.variant) ?? 0) + 1);
  const per = [...counts].map(([variant, n]) => `${variant} ${n}`).join(', ');
  return `${overrides.length} user${overrides.length === 1 ? '' : 's'} forced (${per})`;
}

/** Everything the rules panel shows for one experiment. */
export function rulesView(
  e: AdminExperiment,
  holdouts: readonly HoldoutRecord[],
  overrides: readonly OverrideRecord[],
): RulesView {
  const targeted = !!e.condition && Object.keys(e.condition).length > 0;
  const fallback = e.fallback_attribute ? `, else ${e.fallback_attribute}` : '';
  return {
    key: e.key,
    label: e.name || e.key,
    status: e.status,
    ...stateOf(e),
    targeting: targeted ? describeCondition(e.condition) : 'Everyone',
    targeted,
    conditionJson: targeted ? JSON.stringify(e.condition) : null,
    hashing: `${e.hash_attribute === 'id' ? 'id (the user_id)' : e.hash_attribute}${fallback}`,
    coverage: pct(e.coverage),
    namespace: namespaceText(e.namespace),
    holdouts: holdouts
      .filter((h) => holdoutCovers(h, e.key))
      .map((h) => `${h.name || h.key}: ${pct(h.share)} held out${h.all_experiments ? ' (all experiments)' : ''}`),
    overrides: overridesText(overrides),
    variants: e.variants.map((v) => ({
      key: v.key,
      share: pct(v.weight),
      released: e.status === 'released' && e.released_variant === v.key,
      ...payloadOf(v.value),
    })),
    releasable:
      e.status === 'archived'
        ? []
        : e.variants.map((v) => v.key).filter((k) => !(e.status === 'released' && e.released_variant === k)),
  };
}

/** The question asked before releasing `variant`. */
export function releaseQuestion(
  e: Pick<AdminExperiment, 'key' | 'name' | 'status'>,
  variant: string,
): { title: string; message: string; confirmLabel: string } {
  return {
    title: `Release ${variant} of ${e.name || e.key}?`,
    message: `Everyone gets ${variant} and its payload from now on, also users already assigned another variant. Assignments stay for the record and the results are frozen at this time.${
      e.status === 'released' ? '' : ' Starting the experiment again later ends the release.'
    }`,
    confirmLabel: `Release ${variant}`,
  };
}
