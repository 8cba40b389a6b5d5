/** A funnel's rollup rows summed over the window: users per step and conversion between steps. */
import type { FunnelRecord, FunnelReport } from '@ab-calicritters/core';
import type { RollupWindow } from '../rollups/rollup-window.js';
import type { FunnelRollupRow } from '../storage/rollup-store.js';

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function funnelReport(funnel: FunnelRecord, window: RollupWindow, rows: FunnelRollupRow[]): FunnelReport {
  const usersAt = funnel.steps.map((_, i) =>
    rows.filter((r) => r.step_index === i).reduce((sum, r) => sum + r.users, 0),
  );
  const days = [...new Set(rows.map((r) => r.day))].sort();
  return {
    funnel: { name: funnel.name, steps: funnel.steps, conversion_window_hours: funnel.conversion_window_hours },
    window_days: window.windowDays,
    window_start: window.start.toISOString(),
    window_end: window.end.toISOString(),
    steps: funnel.steps.map((step, i) => ({
      step_index: i,
      step_name: step,
      users: usersAt[i] ?? 0,
      conversion_from_previous: i === 0 ? null : ratio(usersAt[i] ?? 0, usersAt[i - 1] ?? 0),
      conversion_from_start: i === 0 ? null : ratio(usersAt[i] ?? 0, usersAt[0] ?? 0),
    })),
    days: days.map((d) => ({
      day: d,
      users: funnel.steps.map((_, i) => rows.find((r) => r.day === d && r.step_index === i)?.users ?? 0),
    })),
  };
}
