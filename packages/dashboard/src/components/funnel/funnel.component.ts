/** `<abc-funnel funnel-name="NAME">`: users at each step as bars, with the conversion and drop-off between steps. */
import { html, nothing } from 'lit';
import type { DashboardApi } from '../../api/api-client.js';
import type { FunnelReport } from '@ab-calicritters/core';
import type { RollupStatus } from '../../api/api-types.js';
import { coverageStyles, renderNotComputed, renderPartialNote } from '../../shared/coverage-notes.js';
import { AbcDataElement } from '../../shared/data-element.js';
import { rollupCoverage } from '../../shared/rollup-hint.js';
import { formatCount, formatPercent } from '../../shared/format.js';
import { themeStyles } from '../../shared/theme.js';
import { funnelBars, overallConversion } from './funnel.model.js';
import { funnelStyles } from './funnel.styles.js';

/**
 * @example <abc-funnel funnel-name="core_journey" token="…"></abc-funnel>
 */
export class AbcFunnel extends AbcDataElement<FunnelReport> {
  static override styles = [themeStyles, coverageStyles, funnelStyles];
  static override properties = {
    rollupStatus: { attribute: false },
    funnelName: { type: String, attribute: 'funnel-name' },
  };

  /** Name of the funnel definition. */
  declare funnelName: string;

  /**
   * The rollup status (`GET /v1/metrics/rollups/status`), when the page has it (`<abc-dashboard>` passes its own):
   * an empty window whose job never ran then says "Not computed yet", and one its last run did not cover says so.
   */
  declare rollupStatus: RollupStatus | undefined;

  constructor() {
    super();
    this.funnelName = '';
  }

  protected override reloadKeys(): readonly string[] {
    return ['funnelName'];
  }

  protected override canLoad(): boolean {
    return this.funnelName.trim() !== '';
  }

  protected fetchData(api: DashboardApi, signal: AbortSignal): Promise<FunnelReport> {
    return api.funnel(this.funnelName.trim(), this.windowDays, signal);
  }

  protected isEmpty(data: FunnelReport): boolean {
    return (data.steps[0]?.users ?? 0) === 0;
  }

  protected override render() {
    const data = this.hasData ? this.data : undefined;
    const bars = data ? funnelBars(data) : [];
    const overall = data ? overallConversion(data) : null;
    return html`<section class="card" aria-labelledby="title" aria-busy=${this.status === 'loading' ? 'true' : 'false'}>
      <div class="header">
        <div>
          <h2 id="title">${this.funnelName || 'Funnel'}</h2>
          <p class="subtitle">
            Users who entered in the
            ${this.windowLabel()}${
              this.data
                ? html` · ${this.data.funnel.steps.length} steps in order within
                  ${this.data.funnel.conversion_window_hours} h`
                : ''
            }
          </p>
        </div>
        ${
          data
            ? html`<div class="overall" data-field="overall">
                <strong>${formatPercent(overall)}</strong><span>complete every step</span>
              </div>`
            : nothing
        }
      </div>
      ${
        this.status === 'empty' && rollupCoverage(this.rollupStatus, 'funnels', this.windowDays) === 'not_computed'
          ? renderNotComputed(this.windowDays)
          : this.renderState(
              html`<span>Nobody entered this funnel ${this.withinWindow()}, or its rollup has not run yet.</span>`,
              html`<span>Set <code>funnel-name</code> to show a funnel.</span>`,
            )
      }
      ${data ? renderPartialNote(this.rollupStatus, 'funnels', this.windowDays) : nothing}
      ${
        data
          ? html`<ol class="steps" aria-label="Funnel steps">
                ${bars.map(
                  (b, i) =>
                    html`${
                        i > 0
                          ? html`<li class="between" aria-hidden="true">
                              <span></span>
                              <span class="arrow"
                                >↓ ${formatPercent(b.fromPrevious)} continue ·
                                <span class="drop">${formatCount(b.droppedUsers)} dropped off</span></span
                              >
                            </li>`
                          : nothing
                      }
                      <li class="step" data-step=${b.index}>
                        <span class="step-name"><span class="step-index">${b.index + 1}.</span>${b.name}</span>
                        <span class="track" aria-hidden="true">
                          <span class="fill" style="width:${b.width.toFixed(2)}%"></span>
                          <span
                            class="fill-label ${b.width < 18 ? 'outside' : ''}"
                            style=${b.width < 18 ? `left:calc(${b.width.toFixed(2)}% + 8px)` : ''}
                            >${formatPercent(b.fromStart)}</span
                          >
                        </span>
                        <span class="users" data-field="users">${formatCount(b.users)}</span>
                        <span class="visually-hidden">
                          users, ${formatPercent(b.fromStart)} of
                          entrants${b.fromPrevious == null ? '' : `, ${formatPercent(b.fromPrevious)} of the previous step`}
                        </span>
                      </li>`,
                )}
              </ol>
              <details class="table-alt">
                <summary>Funnel as a table</summary>
                <table class="funnel-table">
                  <caption class="visually-hidden">
                    Users per funnel step
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Step</th>
                      <th scope="col" class="num">Users</th>
                      <th scope="col" class="num">From previous step</th>
                      <th scope="col" class="num">From start</th>
                      <th scope="col" class="num">Dropped off</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${bars.map(
                      (b) =>
                        html`<tr data-step=${b.index}>
                          <th scope="row">${b.index + 1}. ${b.name}</th>
                          <td class="num" data-field="users">${formatCount(b.users)}</td>
                          <td class="num" data-field="from-previous">${formatPercent(b.fromPrevious)}</td>
                          <td class="num" data-field="from-start">${formatPercent(b.fromStart)}</td>
                          <td class="num" data-field="dropped">${b.index === 0 ? '–' : formatCount(b.droppedUsers)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </details>`
          : nothing
      }
    </section>`;
  }
}
