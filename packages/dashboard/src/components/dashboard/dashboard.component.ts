/**
 * `<abc-dashboard>`: the four views in tabs — Overview (daily activity, experiments and funnels at a glance),
 * Experiments (pick one, see its results), Funnels, Benchmarks — with a window selector, a refresh button, and a line
 * saying how fresh the rollups are (read again on a timer; a finished rollup reloads the data).
 * It hands its API client (see `AbcDataElement.client`) to every view, so the token is given once. What it shows is
 * decided in dashboard.model.ts.
 */
import { html, nothing, type PropertyValues } from 'lit';
import type { DashboardApi } from '../../api/api-client.js';
import type { RollupStatus } from '../../api/api-types.js';
import type { ExperimentList, FunnelList } from '@ab-calicritters/core';
import { AbcDataElement } from '../../shared/data-element.js';
import { emit, type DashboardTab } from '../../shared/events.js';
import { formatCount, formatPercent } from '../../shared/format.js';
import { rollupCommand, rollupCoverage } from '../../shared/rollup-hint.js';
import { themeStyles } from '../../shared/theme.js';
import '../benchmarks/benchmarks.js';
import '../daily-metrics/daily-metrics.js';
import '../experiment-manager/experiment-manager.js';
import '../experiment-results/experiment-results.js';
import '../funnel/funnel.js';
import {
  currentExperiment,
  DASHBOARD_TABS,
  experimentRows,
  funnelRows,
  isDashboardTab,
  listPanel,
  tabForKey,
  windowChoiceLabel,
  windowChoices,
  type ExperimentRow,
} from './dashboard.model.js';
import { describeFreshness, hasNewRollup, pollDelayMs } from './dashboard.freshness.js';
import { freshnessStyles, renderFreshness } from './dashboard.freshness-line.js';
import { dashboardStyles } from './dashboard.styles.js';
import { RollupPoller } from './rollup-poller.js';
import { readViewState, writeViewState, type ViewState } from './dashboard.url-state.js';

/** What the dashboard itself loads: the lists behind the pickers and the overview. */
export interface DashboardData {
  experiments: ExperimentList;
  funnels: FunnelList;
  /** How fresh the rollups are; undefined when the server could not say (e.g. one without the status endpoint). */
  rollups: RollupStatus | undefined;
}

const CHILDREN = 'abc-daily-metrics, abc-experiment-results, abc-funnel, abc-benchmarks, abc-experiment-manager';

/** The properties `url-state` keeps in the query string. */
const VIEW_KEYS = ['tab', 'windowDays', 'experimentKey'] as const;

const statusChip = (e: ExperimentRow) =>
  html`<span class="chip ${e.running ? 'positive' : 'neutral'}">${e.status}</span>`;

/**
 * @slot actions - Extra controls at the end of the app bar (e.g. a host page's "Change token" button).
 * @fires abc-tab-change - A tab was opened (`detail.tab`).
 * @fires abc-window-change - The window selector changed (`detail.windowDays`).
 * @fires abc-experiment-select - An experiment was picked (`detail.experimentKey`).
 * @example <abc-dashboard api-base-url="https://ab.example.com" token="…" window-days="14"></abc-dashboard>
 */
export class AbcDashboard extends AbcDataElement<DashboardData> {
  static override styles = [themeStyles, dashboardStyles, freshnessStyles];
  static override properties = {
    heading: { type: String },
    tab: { type: String, reflect: true },
    experimentKey: { type: String, attribute: 'experiment-key' },
    experimentId: { type: String, attribute: 'experiment-id', noAccessor: true },
    urlState: { type: Boolean, attribute: 'url-state' },
    rollupInterval: { type: Number, attribute: 'rollup-interval' },
  };

  /** Title in the app bar (default "AB Calicritters"). */
  declare heading: string;
  /** The open tab: `overview` (default), `experiments`, `funnels` or `benchmarks`. */
  declare tab: DashboardTab;
  /** Key of the experiment shown in the Experiments tab (default: the first one). */
  declare experimentKey: string;
  /**
   * Keep the tab, the window and the experiment in the page's query string (`tab`, `window_days`,
   * `experiment_key`): read on load, a history entry per change, followed on Back and Forward. Off by default, so
   * an embedded dashboard leaves the host page's URL alone.
   */
  declare urlState: boolean;
  /**
   * Minutes between the server's scheduled rollups (its `ROLLUP_INTERVAL`), when known: the rollup status is read
   * again at that pace (else every minute), figures older than two intervals are marked out of date (else older than
   * a day), and the line says when the next round is due.
   */
  declare rollupInterval: number | undefined;
  /** The rollup status read with the data on screen: a newer success than it says means new figures. */
  #loadedRollups: RollupStatus | undefined;
  /** The newest rollup status and when it arrived (Date.now()). */
  #rollups: { status: RollupStatus; at: number } | undefined;
  #poller = new RollupPoller(this, {
    delayMs: () => pollDelayMs(this.#intervalMs()),
    poll: (signal) => this.#pollRollups(signal),
  });
  #visited = new Set<DashboardTab>();
  /** What the element showed before the URL was read: the fallback for a missing or invalid value. */
  #urlDefaults: ViewState | undefined;
  #onPopState = () => {
    if (this.urlState) this.#readUrl();
  };

  constructor() {
    super();
    this.heading = 'AB Calicritters';
    this.tab = 'overview';
    this.experimentKey = '';
    this.urlState = false;
  }

  /** @deprecated The old name of {@link experimentKey} (attribute `experiment-id`); removed in the next minor release. */
  get experimentId(): string {
    return this.experimentKey;
  }

  set experimentId(key: string) {
    this.experimentKey = key ?? '';
  }

  protected fetchData(api: DashboardApi, signal: AbortSignal): Promise<DashboardData> {
    return Promise.all([
      api.experiments(this.windowDays, signal),
      api.funnels(this.windowDays, signal),
      // Freshness is extra: a server without the status endpoint still shows its figures.
      api.rollupStatus(signal).catch(() => undefined),
    ]).then(([experiments, funnels, rollups]) => ({ experiments, funnels, rollups }));
  }

  #intervalMs(): number | undefined {
    const minutes = this.rollupInterval;
    return minutes !== undefined && Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : undefined;
  }

  /** Reads the rollup status; when a job has succeeded since the data on screen was loaded, loads it all again. */
  async #pollRollups(signal: AbortSignal): Promise<void> {
    const status = await this.client.rollupStatus(signal);
    if (signal.aborted) return;
    this.#rollups = { status, at: Date.now() };
    if (!this.#loadedRollups) this.#loadedRollups = status;
    else if (this.status !== 'loading' && hasNewRollup(this.#loadedRollups, status)) this.refresh();
    this.requestUpdate();
  }

  protected isEmpty(): boolean {
    // Each view has its own empty state; the shell always shows.
    return false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.#onPopState);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onPopState);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('urlState') && this.urlState) this.#readUrl();
    if (!isDashboardTab(this.tab)) this.tab = 'overview';
    if (changed.has('data') && this.data?.rollups) {
      this.#loadedRollups = this.data.rollups;
      this.#rollups = { status: this.data.rollups, at: Date.now() };
      this.#poller.polled();
    }
    this.#visited.add(this.tab);
    super.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.urlState && VIEW_KEYS.some((k) => changed.has(k))) this.#writeUrl('push');
  }

  /** Shows the view the URL asks for, and puts the URL right if a value in it was invalid. */
  #readUrl(): void {
    this.#urlDefaults ??= {
      tab: isDashboardTab(this.tab) ? this.tab : 'overview',
      windowDays: this.windowDays,
      experimentKey: this.experimentKey,
    };
    const view = readViewState(location.search, this.#urlDefaults);
    this.tab = view.tab;
    this.windowDays = view.windowDays;
    this.experimentKey = view.experimentKey;
    // Writing now leaves nothing for `updated` to push: reading the URL never adds a history entry.
    this.#writeUrl('replace');
  }

  #writeUrl(how: 'push' | 'replace'): void {
    const { tab, windowDays, experimentKey } = this;
    const search = writeViewState({ tab, windowDays, experimentKey }, location.search);
    if (search === location.search) return;
    const url = `${location.pathname}${search}${location.hash}`;
    if (how === 'push') history.pushState(null, '', url);
    else history.replaceState(history.state, '', url);
  }

  /** Reloads the dashboard's lists and every view that has been opened. */
  override refresh(): void {
    super.refresh();
    this.renderRoot.querySelectorAll<HTMLElement & { refresh(): void }>(CHILDREN).forEach((el) => el.refresh());
  }

  /** Opens a tab, as a click on it would (moving focus when asked). */
  selectTab(tab: DashboardTab, focus = false): void {
    if (!isDashboardTab(tab)) return;
    if (tab !== this.tab) {
      this.tab = tab;
      emit(this, 'abc-tab-change', { tab });
    }
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  #onKeydown(event: KeyboardEvent): void {
    const next = tabForKey(this.tab, event.key);
    if (!next) return;
    event.preventDefault();
    this.selectTab(next, true);
  }

  #setWindow(days: number): void {
    if (!Number.isInteger(days) || days < 1) return;
    this.windowDays = days;
    emit(this, 'abc-window-change', { windowDays: days });
  }

  #selectExperiment(key: string, openTab = false): void {
    this.experimentKey = key;
    emit(this, 'abc-experiment-select', { experimentKey: key, experimentId: key });
    if (openTab) this.selectTab('experiments');
  }

  protected override render() {
    return html`
      <header class="bar">
        <div class="brand">
          <span class="mark" aria-hidden="true">AB</span>
          <div>
            <h1>${this.heading}</h1>
            ${this.#renderFreshness()}
          </div>
        </div>
        <div class="tools">
          <label for="window">Window</label>
          <select id="window" @change=${(e: Event) => this.#setWindow(Number((e.target as HTMLSelectElement).value))}>
            ${windowChoices(this.windowDays).map((d) => html`<option value=${d} .selected=${d === this.windowDays}>${windowChoiceLabel(d)}</option>`)}
          </select>
          <button class="secondary" @click=${() => this.refresh()}>Refresh</button>
          <slot name="actions"></slot>
        </div>
      </header>
      <div role="tablist" aria-label="Dashboard views" @keydown=${this.#onKeydown}>
        ${DASHBOARD_TABS.map(
          (t) =>
            html`<button
              role="tab"
              id="tab-${t.id}"
              aria-selected=${t.id === this.tab ? 'true' : 'false'}
              aria-controls="panel-${t.id}"
              tabindex=${t.id === this.tab ? 0 : -1}
              @click=${() => this.selectTab(t.id)}
            >
              ${t.label}
            </button>`,
        )}
      </div>
      ${DASHBOARD_TABS.map(
        (t) =>
          html`<div
            role="tabpanel"
            id="panel-${t.id}"
            aria-labelledby="tab-${t.id}"
            tabindex="0"
            ?hidden=${t.id !== this.tab}
          >
            ${this.#visited.has(t.id) ? this.#renderPanel(t.id) : nothing}
          </div>`,
      )}
    `;
  }

  #renderFreshness() {
    const seen = this.#rollups;
    if (!seen) return nothing;
    const clock = { elapsedMs: Date.now() - seen.at, intervalMs: this.#intervalMs() };
    return renderFreshness(describeFreshness(seen.status, clock), this.windowDays);
  }

  #renderPanel(tab: DashboardTab) {
    // The manager asks for the admin token itself and needs none of the dashboard's lists; what it changes shows
    // in the other views at once.
    if (tab === 'manage')
      return html`<abc-experiment-manager
        api-base-url=${this.client.baseUrl}
        .resultsApi=${this.client}
        @abc-experiment-saved=${() => this.refresh()}
        @abc-experiment-status-change=${() => this.refresh()}
      ></abc-experiment-manager>`;
    // A failure of the dashboard's own lists (a wrong token, no network) is shown once, not in every view.
    if (this.status === 'error') return html`<div class="card">${this.renderState('')}</div>`;
    const api = this.client;
    switch (tab) {
      case 'overview':
        return html`<abc-daily-metrics
            .api=${api}
            .rollupStatus=${this.#rollups?.status}
            window-days=${this.windowDays}
          ></abc-daily-metrics>
          <div class="two">${this.#renderExperimentGlance()} ${this.#renderFunnelGlance()}</div>`;
      case 'experiments':
        return this.#renderExperiments(api);
      case 'funnels': {
        const funnels = this.data?.funnels.funnels ?? [];
        const panel = listPanel(this.status, this.data !== undefined, funnels.length);
        if (panel === 'loading') return html`<div class="card">${this.renderState('')}</div>`;
        if (panel === 'empty')
          return html`<div class="card">
            <div class="state"><strong>No funnels defined</strong>Create one with the admin API.</div>
          </div>`;
        return html`<div class="stack">
          ${funnels.map(
            (f) =>
              html`<abc-funnel
                .api=${api}
                .rollupStatus=${this.#rollups?.status}
                funnel-name=${f.funnel.name}
                window-days=${this.windowDays}
              ></abc-funnel>`,
          )}
        </div>`;
      }
      case 'benchmarks':
        return html`<abc-benchmarks .api=${api}></abc-benchmarks>`;
    }
  }

  #renderExperiments(api: DashboardApi) {
    const rows = experimentRows(this.data?.experiments);
    const panel = listPanel(this.status, this.data !== undefined, rows.length);
    if (panel === 'loading') return html`<div class="card">${this.renderState('')}</div>`;
    if (panel === 'empty')
      return html`<div class="card">
        <div class="state"><strong>No experiments yet</strong>Create one with the admin API or the CLI.</div>
      </div>`;
    const current = currentExperiment(this.data?.experiments.experiments ?? [], this.experimentKey);
    return html`<div class="split">
      <nav class="card picker" aria-labelledby="picker-title">
        <h2 id="picker-title">Experiments</h2>
        <ul>
          ${rows.map(
            (e) =>
              html`<li>
                <button
                  aria-current=${e.key === current ? 'true' : 'false'}
                  data-experiment=${e.key}
                  @click=${() => this.#selectExperiment(e.key)}
                >
                  <span class="name">${e.label}</span>
                  <span class="meta">
                    ${statusChip(e)}
                    ${e.computed ? html`${formatCount(e.assignedUsers)} users` : html`<span data-field="not-computed">not computed yet</span>`}
                    ${e.split === 'mismatch' ? html`<span class="chip negative">SRM</span>` : nothing}
                  </span>
                </button>
              </li>`,
          )}
        </ul>
      </nav>
      <abc-experiment-results
        .api=${api}
        experiment-key=${current}
        window-days=${this.windowDays}
      ></abc-experiment-results>
    </div>`;
  }

  #renderExperimentGlance() {
    const rows = experimentRows(this.data?.experiments);
    return html`<section class="card" aria-labelledby="glance-experiments">
      <div class="header">
        <div>
          <h2 id="glance-experiments">Experiments</h2>
          <p class="subtitle">Users assigned ${this.withinWindow()}</p>
        </div>
      </div>
      ${
        this.data
          ? rows.length === 0
            ? html`<div class="state"><strong>No experiments yet</strong></div>`
            : html`<table class="experiments-glance">
                <thead>
                  <tr>
                    <th scope="col">Experiment</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">Assigned users</th>
                    <th scope="col">Split</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (e) =>
                      html`<tr data-experiment=${e.key}>
                        <td>
                          <button class="link" @click=${() => this.#selectExperiment(e.key, true)}>${e.label}</button>
                        </td>
                        <td>${statusChip(e)}</td>
                        <td class="num" data-field="assigned">
                          ${e.computed ? formatCount(e.assignedUsers) : html`<span class="muted">not computed yet</span>`}
                        </td>
                        <td>
                          ${
                            e.split === 'mismatch'
                              ? html`<span class="chip negative">mismatch</span>`
                              : e.split === 'unknown'
                                ? html`<span class="muted">–</span>`
                                : html`<span class="chip neutral">as configured</span>`
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : this.renderState('')
      }
      ${
        rows.some((e) => !e.computed)
          ? html`<p class="note" data-note="not-computed">
              This window has not been computed yet. Compute it with <code>${rollupCommand(this.windowDays)}</code>.
            </p>`
          : nothing
      }
    </section>`;
  }

  #renderFunnelGlance() {
    const funnels = funnelRows(this.data?.funnels);
    // Zero entrants of a funnel job that never ran are unknown, not zero.
    const notComputed = rollupCoverage(this.#rollups?.status, 'funnels', this.windowDays) === 'not_computed';
    return html`<section class="card" aria-labelledby="glance-funnels">
      <div class="header">
        <div>
          <h2 id="glance-funnels">Funnels</h2>
          <p class="subtitle">Entrants and completion, ${this.windowLabel()}</p>
        </div>
      </div>
      ${
        this.data
          ? funnels.length === 0
            ? html`<div class="state"><strong>No funnels defined</strong></div>`
            : html`<table class="funnels-glance">
                <thead>
                  <tr>
                    <th scope="col">Funnel</th>
                    <th scope="col" class="num">Steps</th>
                    <th scope="col" class="num">Entered</th>
                    <th scope="col" class="num">Completed</th>
                  </tr>
                </thead>
                <tbody>
                  ${funnels.map(
                    (f) =>
                      html`<tr data-funnel=${f.name}>
                        <td><button class="link" @click=${() => this.selectTab('funnels')}>${f.name}</button></td>
                        <td class="num">${f.steps}</td>
                        ${
                          notComputed
                            ? html`<td class="num" data-field="entered" colspan="2">
                                <span class="muted">not computed yet</span>
                              </td>`
                            : html`<td class="num" data-field="entered">${formatCount(f.entered)}</td>
                                <td class="num" data-field="completed">${formatPercent(f.completed)}</td>`
                        }
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : this.renderState('')
      }
    </section>`;
  }
}
