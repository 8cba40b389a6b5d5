/** `<abc-daily-metrics>`: events and unique users per day as a line chart (with a table alternative), top events. */
import { html } from 'lit';
import type { DashboardApi } from '../../api/api-client.js';
import type { DailyMetrics } from '@ab-calicritters/core';
import { ChartController } from '../../shared/chart-controller.js';
import type { RollupStatus } from '../../api/api-types.js';
import { coverageStyles, renderNotComputed, renderPartialNote } from '../../shared/coverage-notes.js';
import { AbcDataElement } from '../../shared/data-element.js';
import { rollupCoverage } from '../../shared/rollup-hint.js';
import { formatCount, formatDateTime, formatDay, formatNumber } from '../../shared/format.js';
import { themeStyles } from '../../shared/theme.js';
import { dailyChart } from './daily-metrics.chart.js';
import { dailyHeadlines, dailySeries, type DayPoint } from './daily-metrics.model.js';
import { dailyMetricsStyles } from './daily-metrics.styles.js';

/**
 * Daily activity over the window: headline figures, a line chart of events and unique users per day, the same
 * figures as a table, and the most frequent events.
 * @example <abc-daily-metrics api-base-url="https://ab.example.com" token="…" window-days="14"></abc-daily-metrics>
 */
export class AbcDailyMetrics extends AbcDataElement<DailyMetrics> {
  static override styles = [themeStyles, coverageStyles, dailyMetricsStyles];
  static override properties = {
    rollupStatus: { attribute: false },
    topEventsLimit: { type: Number, attribute: 'top-events-limit' },
  };

  /** How many rows the top-events table shows (default 8). */
  declare topEventsLimit: number;
  /** The points the chart shows, so its segment styles can tell which day is partial. */
  #drawn: DayPoint[] = [];

  /**
   * The rollup status (`GET /v1/metrics/rollups/status`), when the page has it (`<abc-dashboard>` passes its own):
   * an empty window whose job never ran then says "Not computed yet", and one its last run did not cover says so.
   */
  declare rollupStatus: RollupStatus | undefined;

  constructor() {
    super();
    this.topEventsLimit = 8;
    // The controller registers itself with the element and owns the chart from here on.
    new ChartController<'line'>(this, {
      canvas: 'canvas',
      inputs: () => [this.data],
      fill: (chart) => {
        const series = this.data ? dailySeries(this.data) : [];
        this.#drawn = series;
        // A partial day gets a second label line, as the table says it too.
        chart.data.labels = series.map((p) => (p.partial ? [formatDay(p.day), 'today, partial'] : formatDay(p.day)));
        chart.data.datasets[0]!.data = series.map((p) => p.events);
        chart.data.datasets[1]!.data = series.map((p) => p.uniqueUsers);
      },
      config: (theme) => dailyChart(theme, (index) => this.#drawn[index]?.partial === true),
    });
  }

  protected fetchData(api: DashboardApi, signal: AbortSignal): Promise<DailyMetrics> {
    return api.daily(this.windowDays, signal);
  }

  protected isEmpty(data: DailyMetrics): boolean {
    return data.days.length === 0;
  }

  /** An empty window of a job that never ran: unknown, not "no events". */
  #notComputed(): boolean {
    return this.status === 'empty' && rollupCoverage(this.rollupStatus, 'daily', this.windowDays) === 'not_computed';
  }

  protected override render() {
    const data = this.hasData ? this.data : undefined;
    const series = data ? dailySeries(data) : [];
    const head = data ? dailyHeadlines(data, series) : undefined;
    const top = data ? data.top_events.slice(0, Math.max(1, this.topEventsLimit)) : [];
    const maxTop = Math.max(1, ...top.map((t) => t.events));
    return html`<section class="card" aria-labelledby="title" aria-busy=${this.status === 'loading' ? 'true' : 'false'}>
      <div class="header">
        <div>
          <h2 id="title">Daily activity</h2>
          <p class="subtitle">
            Events and unique users per UTC day,
            ${this.windowLabel()}${data ? html` · rolled up ${formatDateTime(data.last_rollup_at)}` : ''}
          </p>
        </div>
      </div>
      ${
        this.#notComputed()
          ? renderNotComputed(this.windowDays)
          : this.renderState(
              html`<span>No events were rolled up in this window. Send events, then run the daily rollup.</span>`,
            )
      }
      ${data ? renderPartialNote(this.rollupStatus, 'daily', this.windowDays) : ''}
      <div class="content" ?hidden=${!data}>
        ${
          head
            ? html`<dl class="kpis">
                <div class="kpi">
                  <dt>Events</dt>
                  <dd data-kpi="events">${formatCount(head.totalEvents)}</dd>
                </div>
                <div class="kpi">
                  <dt>Avg. daily users</dt>
                  <dd data-kpi="avg-users">${formatNumber(head.averageDailyUsers, 0)}</dd>
                </div>
                <div class="kpi">
                  <dt>Peak daily users</dt>
                  <dd data-kpi="peak-users">
                    ${formatCount(head.peakDailyUsers)}
                    ${head.peakDay ? html`<small>${formatDay(head.peakDay)}</small>` : ''}
                  </dd>
                </div>
                <div class="kpi">
                  <dt>Event types</dt>
                  <dd data-kpi="event-types">${formatCount(head.eventTypes)}</dd>
                </div>
              </dl>`
            : ''
        }
        <div class="body">
          <figure>
            <div class="chart-box">
              <canvas
                role="img"
                aria-label="Line chart of events and unique users per day, ${this.windowLabel()}${series.some((p) => p.partial) ? '; today is partial (dashed)' : ''}; the same figures are in the table below it."
              ></canvas>
            </div>
            <details class="table-alt">
              <summary>Daily figures as a table</summary>
              <table class="days">
                <caption class="visually-hidden">
                  Events and unique users per day
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col" class="num">Events</th>
                    <th scope="col" class="num">Unique users</th>
                  </tr>
                </thead>
                <tbody>
                  ${series.map(
                    (p) =>
                      html`<tr data-day=${p.day}>
                        <th scope="row">
                          ${formatDay(p.day)}${p.partial ? html` <small class="partial">today, partial</small>` : ''}
                        </th>
                        <td class="num" data-field="events">${formatCount(p.events)}</td>
                        <td class="num" data-field="unique-users">${formatCount(p.uniqueUsers)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </details>
          </figure>
          <table class="top-events">
            <caption>
              Top events
            </caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col" class="num">Events</th>
                <th scope="col" class="num">Peak daily users</th>
              </tr>
            </thead>
            <tbody>
              ${top.map(
                (t) =>
                  html`<tr data-event=${t.event_name}>
                    <td>
                      ${t.event_name}<span
                        class="share"
                        style="width:${((t.events / maxTop) * 100).toFixed(1)}%"
                      ></span>
                    </td>
                    <td class="num" data-field="events">${formatCount(t.events)}</td>
                    <td class="num" data-field="peak-users">${formatCount(t.peak_daily_users)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>
    </section>`;
  }
}
