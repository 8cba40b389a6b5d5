/**
 * What `<abc-experiment-manager>` shows, decided without the DOM: one row per experiment with the actions its
 * status allows, the question asked before a stop or an archive, and the sentence shown once an action is done.
 */
import type { AdminExperiment } from '../../api/admin-api-client.js';
import { formatDateTime, formatPercent } from '../../shared/format.js';

/** What the manager can do to an experiment besides editing it. */
export type StatusAction = 'start' | 'stop' | 'archive';

export interface ManagerRow {
  key: string;
  /** Its name, or its key when it has none. */
  label: string;
  /** Whether the label is a name (then the key is shown under it). */
  named: boolean;
  status: AdminExperiment['status'];
  /** The status as shown: "released → treatment" names the released variant. */
  statusLabel: string;
  /** Chip colour of the status. */
  tone: 'positive' | 'neutral' | 'warning';
  variants: Array<{ key: string; weight: number; share: string }>;
  coverage: string;
  updated: string;
  /** False for an archived experiment: it is kept for its results, not changed. */
  editable: boolean;
  /** The status actions offered, in button order. */
  actions: StatusAction[];
  /** "Start", or "Restart" for a stopped experiment. */
  startLabel: string;
  experiment: AdminExperiment;
}

/** The status actions an experiment in `status` offers: start what is not running, stop what is; archive any but archived. */
export function actionsFor(status: AdminExperiment['status']): StatusAction[] {
  if (status === 'archived') return [];
  return [status === 'running' ? 'stop' : 'start', 'archive'];
}

/** One row per experiment, in the server's order (oldest first). */
export function managerRows(experiments: readonly AdminExperiment[]): ManagerRow[] {
  return experiments.map((e) => ({
    key: e.key,
    label: e.name || e.key,
    named: !!e.name,
    status: e.status,
    statusLabel: e.status === 'released' && e.released_variant ? `released → ${e.released_variant}` : e.status,
    tone: e.status === 'running' ? 'positive' : e.status === 'stopped' ? 'warning' : 'neutral',
    variants: e.variants.map((v) => ({
      key: v.key,
      weight: v.weight,
      share: formatPercent(v.weight, (v.weight * 100) % 1 ? 1 : 0),
    })),
    coverage: formatPercent(e.coverage, (e.coverage * 100) % 1 ? 1 : 0),
    updated: formatDateTime(e.updated_at),
    editable: e.status !== 'archived',
    actions: actionsFor(e.status),
    startLabel: e.status === 'stopped' ? 'Restart' : 'Start',
    experiment: e,
  }));
}

/** "4 experiments · 3 running · 1 draft" (statuses without experiments are left out). */
export function listSummary(experiments: readonly AdminExperiment[]): string {
  const counts = new Map<string, number>();
  for (const e of experiments) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const parts = (['running', 'released', 'draft', 'stopped', 'archived'] as const)
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`);
  const total = `${experiments.length} experiment${experiments.length === 1 ? '' : 's'}`;
  return [total, ...parts].join(' · ');
}

/** The question asked before an action that stops assigning users; undefined for one that needs none (start). */
export function confirmationFor(
  action: StatusAction,
  experiment: Pick<AdminExperiment, 'key' | 'name' | 'status'>,
): { title: string; message: string; confirmLabel: string } | undefined {
  const name = experiment.name || experiment.key;
  if (action === 'stop')
    return {
      title: `Stop ${name}?`,
      message:
        'No new users will be assigned. Users already assigned keep their variant, and the results stay. You can start it again later.',
      confirmLabel: 'Stop experiment',
    };
  if (action === 'archive')
    return {
      title: `Archive ${name}?`,
      message: `${experiment.status === 'running' ? 'It stops assigning users and ' : 'It '}leaves the experiment list; its results stay, and "Show archived" lists it again. The key '${experiment.key}' stays taken.`,
      confirmLabel: 'Archive experiment',
    };
  return undefined;
}

/** The sentence shown once an action succeeded. */
export function actionDone(action: StatusAction | 'created' | 'saved', key: string): string {
  switch (action) {
    case 'start':
      return `${key} is running: new users are being assigned.`;
    case 'stop':
      return `${key} is stopped: no new users are assigned.`;
    case 'archive':
      return `${key} is archived.`;
    case 'created':
      return `${key} was created.`;
    default:
      return `${key} was saved.`;
  }
}
