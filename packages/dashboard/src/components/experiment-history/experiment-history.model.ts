/**
 * What `<abc-experiment-history>` shows, decided without the DOM: one row per audit entry with its time, actor, a
 * readable action and the fields it changed.
 */
import type { AuditEntry } from '../../api/admin-api-client.js';
import { formatDateTime } from '../../shared/format.js';

/** Kinds of audit entries that belong to an experiment's history (its own changes and its QA overrides). */
export const HISTORY_KINDS = 'experiment,override';

export interface HistoryRow {
  id: number;
  at: string;
  /** `at`, as shown. */
  when: string;
  actor: string;
  /** "created", "archived", "override added", … */
  action: string;
  /** Top-level fields the change touched, `updated_at` left out; empty for a create. */
  fields: string[];
}

const PAST: Readonly<Record<string, string>> = {
  create: 'created',
  update: 'updated',
  archive: 'archived',
  delete: 'deleted',
  release: 'released',
};

/** The fields a change touched, by their top-level name; `updated_at` moves on every change and says nothing. */
export function changedFields(diff: AuditEntry['diff']): string[] {
  const fields = diff.map((d) => d.path.split('/')[1] ?? '').filter((f) => f && f !== 'updated_at');
  return [...new Set(fields)];
}

/** "created", "updated", or for another kind "override created". */
export function actionLabel(entry: Pick<AuditEntry, 'action' | 'entity_kind'>): string {
  const verb = PAST[entry.action] ?? entry.action.replace(/[-_]/g, ' ');
  return entry.entity_kind === 'experiment' ? verb : `${entry.entity_kind.replace(/_/g, ' ')} ${verb}`;
}

/** One row per entry, newest first (the server's order). */
export function historyRows(entries: readonly AuditEntry[]): HistoryRow[] {
  return entries.map((e) => ({
    id: e.id,
    at: e.at,
    when: formatDateTime(e.at),
    actor: e.actor,
    action: actionLabel(e),
    fields: e.action === 'create' ? [] : changedFields(e.diff),
  }));
}
