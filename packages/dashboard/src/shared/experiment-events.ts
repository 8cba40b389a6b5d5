/**
 * The typed events of the experiment management elements (`<abc-experiment-manager>`, `<abc-experiment-editor>`).
 * Like every `abc-*` event they bubble and cross shadow roots, so a page (or `<abc-dashboard>`) can refresh its
 * results when a definition changes.
 */
import type { AdminExperiment } from '../api/admin-api-client.js';
import type { AdminApiErrorKind } from '../api/admin-api-error.js';

/** A definition was created or changed through the editor. */
export type AbcExperimentSavedEvent = CustomEvent<{
  experimentKey: string;
  /** The record as the server stored it. */
  experiment: AdminExperiment;
  /** True for a new experiment, false for an edit. */
  created: boolean;
}>;

/** The manager started, stopped or archived an experiment, or the rules panel released a variant. */
export type AbcExperimentStatusChangeEvent = CustomEvent<{
  experimentKey: string;
  action: 'start' | 'stop' | 'archive' | 'release';
  experiment: AdminExperiment;
}>;

/** An admin request failed; the element shows it too. `kind: 'unauthorized'` means the admin token was refused. */
export type AbcAdminErrorEvent = CustomEvent<{
  source: string;
  kind: AdminApiErrorKind | 'unknown';
  status: number;
  message: string;
  error: unknown;
}>;

/** `<abc-experiment-history>`'s close button was pressed. */
export type AbcHistoryCloseEvent = CustomEvent<Record<string, never>>;

/** `<abc-experiment-rules>`'s close button was pressed. */
export type AbcRulesCloseEvent = CustomEvent<Record<string, never>>;

/** The editor was closed without saving. */
export type AbcEditorCancelEvent = CustomEvent<{ experimentKey: string | null }>;

declare global {
  interface HTMLElementEventMap {
    'abc-experiment-saved': AbcExperimentSavedEvent;
    'abc-experiment-status-change': AbcExperimentStatusChangeEvent;
    'abc-admin-error': AbcAdminErrorEvent;
    'abc-editor-cancel': AbcEditorCancelEvent;
    'abc-history-close': AbcHistoryCloseEvent;
    'abc-rules-close': AbcRulesCloseEvent;
  }
}
