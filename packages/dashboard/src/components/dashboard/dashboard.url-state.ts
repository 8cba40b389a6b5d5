/**
 * The dashboard's view in the query string, for `<abc-dashboard url-state>`: the open tab (`tab`), the window
 * (`window_days`) and the chosen experiment (`experiment_key`), read and written without the DOM. Other query
 * parameters, the host page's, are kept as they are.
 */
import { DEFAULT_WINDOW_DAYS, KEY_PATTERN, LIMITS } from '@ab-calicritters/core';
import type { DashboardTab } from '../../shared/events.js';
import { isDashboardTab, windowChoices } from './dashboard.model.js';

/** What the URL holds: the open tab, the window, and the chosen experiment ('' for none: the first one shows). */
export interface ViewState {
  tab: DashboardTab;
  windowDays: number;
  experimentKey: string;
}

/** The query parameters, named as on the wire. */
const PARAMS = { tab: 'tab', windowDays: 'window_days', experimentKey: 'experiment_key' } as const;

const DEFAULTS: ViewState = { tab: 'overview', windowDays: DEFAULT_WINDOW_DAYS, experimentKey: '' };

const keyPattern = new RegExp(KEY_PATTERN);

/**
 * The view a query string asks for. A missing or invalid value falls back to `defaults` (what the element shows
 * without a URL) without a word: an unknown tab, a `window_days` that is not one of the selector's choices, a
 * string that cannot be an experiment key. A key that merely names no experiment is kept; the Experiments tab then
 * shows the first one.
 * @example readViewState('?tab=experiments&window_days=30') // { tab: 'experiments', windowDays: 30, experimentKey: '' }
 */
export function readViewState(search: string, defaults: ViewState = DEFAULTS): ViewState {
  const params = new URLSearchParams(search);
  const tab = params.get(PARAMS.tab);
  const days = params.get(PARAMS.windowDays) ?? '';
  const windowDays = /^[0-9]+$/.test(days) ? Number(days) : NaN;
  const key = params.get(PARAMS.experimentKey) ?? '';
  return {
    tab: isDashboardTab(tab) ? tab : defaults.tab,
    windowDays: windowChoices(defaults.windowDays).includes(windowDays) ? windowDays : defaults.windowDays,
    experimentKey: key.length <= LIMITS.maxKeyLength && keyPattern.test(key) ? key : defaults.experimentKey,
  };
}

/**
 * The query string (`?…`, or '' when nothing is left) that holds `state`, with every other parameter of `search`
 * kept in its place. An empty `experimentKey` removes `experiment_key`. When `search` already holds `state`, it is
 * returned unchanged, so the host's own parameters are not even re-encoded.
 * @example writeViewState({ tab: 'funnels', windowDays: 14, experimentKey: '' }, '?lang=fr') // '?lang=fr&tab=funnels&window_days=14'
 */
export function writeViewState(state: ViewState, search: string): string {
  const params = new URLSearchParams(search);
  const holds = (name: string, value: string) => {
    const values = params.getAll(name);
    return value ? values.length === 1 && values[0] === value : values.length === 0;
  };
  if (
    holds(PARAMS.tab, state.tab) &&
    holds(PARAMS.windowDays, String(state.windowDays)) &&
    holds(PARAMS.experimentKey, state.experimentKey)
  )
    return search;
  params.set(PARAMS.tab, state.tab);
  params.set(PARAMS.windowDays, String(state.windowDays));
  if (state.experimentKey) params.set(PARAMS.experimentKey, state.experimentKey);
  else params.delete(PARAMS.experimentKey);
  const query = params.toString();
  return query ? `?${query}` : '';
}
