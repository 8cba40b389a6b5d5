/** What `<abc-funnel>` shows: one bar per step sized against the first step, and what was lost between steps. */
import type { FunnelReport } from '@ab-calicritters/core';

export interface FunnelBar {
  index: number;
  name: string;
  users: number;
  /** Bar length in % of the first step (0–100). */
  width: number;
  /** Share of the previous step's users who reached this one (null for the first step or after zero). */
  fromPrevious: number | null;
  /** Share of the first step's users (1 for the first step, null when it had none). */
  fromStart: number | null;
  /** Users of the previous step who did not reach this one. */
  droppedUsers: number;
}

export function funnelBars(report: FunnelReport): FunnelBar[] {
  const first = report.steps[0]?.users ?? 0;
  return report.steps.map((s, i) => {
    const previous = i > 0 ? (report.steps[i - 1]?.users ?? 0) : s.users;
    return {
      index: s.step_index,
      name: s.step_name,
      users: s.users,
      width: first > 0 ? Math.min(100, (s.users / first) * 100) : 0,
      fromPrevious: i === 0 ? null : s.conversion_from_previous,
      fromStart: i === 0 ? (first > 0 ? 1 : null) : s.conversion_from_start,
      droppedUsers: Math.max(0, previous - s.users),
    };
  });
}

/** Share of entrants who finished every step (null without entrants). */
export function overallConversion(report: FunnelReport): number | null {
  const first = report.steps[0]?.users ?? 0;
  const last = report.steps[report.steps.length - 1]?.users ?? 0;
  return first > 0 ? last / first : null;
}
