/** The typed, `abc-`-prefixed events the components dispatch. All bubble and cross shadow roots (composed). */
import type { DashboardApiErrorKind } from '../api/api-error.js';

/** The dashboard's tabs. */
export type DashboardTab = 'overview' | 'experiments' | 'funnels' | 'benchmarks' | 'manage';

export interface AbcLoadDetail {
  /** Tag name of the component that loaded, e.g. `abc-funnel`. */
  source: string;
}

export interface AbcErrorDetail {
  source: string;
  /** `unauthorized` means the token is wrong: a host page can ask for another one. */
  kind: DashboardApiErrorKind | 'unknown';
  status: number;
  message: string;
  error: unknown;
}

/** Data arrived and is shown. */
export type AbcLoadEvent = CustomEvent<AbcLoadDetail>;
/** A request failed; the component shows its error state too. */
export type AbcErrorEvent = CustomEvent<AbcErrorDetail>;
/** `<abc-dashboard>` switched tabs. */
export type AbcTabChangeEvent = CustomEvent<{ tab: DashboardTab }>;
/** `<abc-dashboard>`'s window selector changed. */
export type AbcWindowChangeEvent = CustomEvent<{ windowDays: number }>;
/** An experiment was picked in `<abc-dashboard>`'s Experiments tab. */
export type AbcExperimentSelectEvent = CustomEvent<{
  experimentKey: string;
  /** @deprecated The same key under its old name; removed in the next minor release. */
  experimentId: string;
}>;
/** `<abc-experiment-results>` now shows another metric or statistic. */
export type AbcMetricChangeEvent = CustomEvent<{ metric: string; statistic: 'conversion' | 'mean' }>;

declare global {
  interface HTMLElementEventMap {
    'abc-load': AbcLoadEvent;
    'abc-error': AbcErrorEvent;
    'abc-tab-change': AbcTabChangeEvent;
    'abc-window-change': AbcWindowChangeEvent;
    'abc-experiment-select': AbcExperimentSelectEvent;
    'abc-metric-change': AbcMetricChangeEvent;
  }
}

/** Dispatches a bubbling, composed event from `target`. */
export function emit<K extends keyof HTMLElementEventMap>(
  target: EventTarget,
  type: K,
  detail: HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
