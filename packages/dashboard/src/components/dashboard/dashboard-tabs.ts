/** The dashboard's tabs and the keyboard model of a tablist (arrows move and activate, Home/End jump). */
import type { DashboardTab } from '../../shared/events.js';

export const DASHBOARD_TABS: ReadonlyArray<{ id: DashboardTab; label: string }> = [
  { id: 'overview', label: 'Overview' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'funnels', label: 'Funnels' },
  { id: 'benchmarks', label: 'Benchmarks' },
];

/** True for one of the tab ids. */
export function isDashboardTab(value: unknown): value is DashboardTab {
  return DASHBOARD_TABS.some((t) => t.id === value);
}

/** The tab a key press moves to from `current`, or undefined when the key is not a tablist key. */
export function tabForKey(current: DashboardTab, key: string): DashboardTab | undefined {
  const index = DASHBOARD_TABS.findIndex((t) => t.id === current);
  const last = DASHBOARD_TABS.length - 1;
  const next =
    key === 'ArrowRight' ? (index >= last ? 0 : index + 1)
    : key === 'ArrowLeft' ? (index <= 0 ? last : index - 1)
    : key === 'Home' ? 0
    : key === 'End' ? last
    : undefined;
  return next === undefined ? undefined : DASHBOARD_TABS[next]?.id;
}
