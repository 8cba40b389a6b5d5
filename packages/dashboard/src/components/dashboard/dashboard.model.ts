/**
 * What `<abc-dashboard>` shows, decided without the DOM: its tabs and their keyboard model, the window choices, the
 * experiment the Experiments tab opens, what each list panel shows, and the rows of the two overview tables.
 */
import {
  STANDARD_WINDOW_DAYS,
  type ExperimentList,
  type ExperimentSummary,
  type FunnelList,
} from '@ab-calicritters/core';
import type { LoadStatus } from '../../shared/data-element.js';
import type { DashboardTab } from '../../shared/events.js';
import { overallConversion } from '../funnel/funnel.model.js';

/** The tabs, in order. */
export const DASHBOARD_TABS: ReadonlyArray<{ id: DashboardTab; label: string }> = [
  { id: 'overview', label: 'Overview' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'funnels', label: 'Funnels' },
  { id: 'benchmarks', label: 'Benchmarks' },
  { id: 'manage', label: 'Manage' },
];

/** True for one of the tab ids. */
export function isDashboardTab(value: unknown): value is DashboardTab {
  return DASHBOARD_TABS.some((t) => t.id === value);
}

/** The tab a key press moves to from `current` (arrows move and wrap, Home/End jump), or undefined for other keys. */
export function tabForKey(current: DashboardTab, key: string): DashboardTab | undefined {
  const index = DASHBOARD_TABS.findIndex((t) => t.id === current);
  const last = DASHBOARD_TABS.length - 1;
  const next =
    key === 'ArrowRight'
      ? index >= last
        ? 0
        : index + 1
      : key === 'ArrowLeft'
        ? index <= 0
          ? last
          : index - 1
        : key === 'Home'
          ? 0
          : key === 'End'
            ? last
            : undefined;
  return next === undefined ? undefined : DASHBOARD_TABS[next]?.id;
}

/** The window selector's options: core's standard windows plus the current one when it is another, in order. */
export function windowChoices(current: number): number[] {
  return [...new Set([...STANDARD_WINDOW_DAYS, current])].sort((a, b) => a - b);
}

/** A window in the selector's words: "Today" / "Last 7 days". */
export function windowChoiceLabel(days: number): string {
  return days === 1 ? 'Today' : `Last ${days} days`;
}

/** The experiment the Experiments tab shows: the chosen key when it is in the list, else the first ('' for none). */
export function currentExperiment(experiments: readonly ExperimentSummary[], chosenKey: string): string {
  return experiments.some((e) => e.key === chosenKey) ? chosenKey : (experiments[0]?.key ?? '');
}

/**
 * What a panel built from the dashboard's own lists shows: the failure, a spinner before the first answer, its
 * "nothing defined" note, or its content (also while a reload is in flight).
 */
export type ListPanel = 'error' | 'loading' | 'empty' | 'ready';

export function listPanel(status: LoadStatus, loaded: boolean, items: number): ListPanel {
  if (status === 'error') return 'error';
  if (!loaded) return 'loading';
  return items === 0 ? 'empty' : 'ready';
}

export interface ExperimentRow {
  key: string;
  /** Its name, or its key when it has none. */
  label: string;
  status: ExperimentSummary['status'];
  running: boolean;
  /** Users assigned to any variant inside the window. */
  assignedUsers: number;
  /** False when the window was never computed for it (`computed_at: null`): `assignedUsers` is then unknown, not 0. */
  computed: boolean;
  /** How its users split against the configured weights; `unknown` while the sample-ratio test cannot say. */
  split: 'mismatch' | 'as_configured' | 'unknown';
}

/** One row per experiment, for the overview table and the Experiments tab's picker. */
export function experimentRows(list: ExperimentList | undefined): ExperimentRow[] {
  return (list?.experiments ?? []).map((e) => ({
    key: e.key,
    label: e.name ?? e.key,
    status: e.status,
    running: e.status === 'running',
    assignedUsers: e.assignments.reduce((sum, a) => sum + a.assigned_users, 0),
    computed: e.computed_at !== null,
    split: e.sample_ratio.srm ? 'mismatch' : e.sample_ratio.p_value == null ? 'unknown' : 'as_configured',
  }));
}

export interface FunnelRow {
  name: string;
  steps: number;
  /** Users at the first step. */
  entered: number;
  /** Share of entrants who reached the last step; null without entrants. */
  completed: number | null;
}

/** One row per funnel, for the overview table. */
export function funnelRows(list: FunnelList | undefined): FunnelRow[] {
  return (list?.funnels ?? []).map((f) => ({
    name: f.funnel.name,
    steps: f.steps.length,
    entered: f.steps[0]?.users ?? 0,
    completed: overallConversion(f),
  }));
}
