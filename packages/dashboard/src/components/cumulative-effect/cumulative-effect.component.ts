/**
 * `<abc-cumulative-effect>`: one catalog metric's relative effect against control, day by day over the users
 * exposed so far, a line per variant with its interval as a band, drawn from the `series` the results carry.
 */
import { LitElement, html, nothing } from 'lit';
import type { CatalogMetricResult, FrequentistMethod } from '@ab-calicritters/core';
import { ChartController } from '../../shared/chart-controller.js';
import type { Chart, ChartTheme } from '../../shared/charts.js';
import { formatCount, formatDay, formatLift } from '../../shared/format.js';
import { themeStyles } from '../../shared/theme.js';
import { cumulativeChart, fillCumulativeChart } from './cumulative-effect.chart.js';
import {
  bandCaption,
  cumulativeTrend,
  directionHint,
  trendMessage,
  type CumulativeTrend,
} from './cumulative-effect.model.js';
import { cumulativeEffectStyles } from './cumulative-effect.styles.js';

/**
 * Takes its data from the page (it loads nothing): `<abc-experiment-results>` shows one under a catalog metric's
 * rows when its Trend is opened.
 * @example
 * const chart = document.createElement('abc-cumulative-effect');
 * chart.metric = results.catalog_metrics[0]; // fetched with series=cumulative
 * chart.method = results.method; chart.alpha = results.analysis.alpha; chart.control = results.control;
 */
export class AbcCumulativeEffect extends LitElement {
  static override styles = [themeStyles, cumulativeEffectStyles];
  static override properties = {
    metric: { attribute: false },
    method: { type: String },
    alpha: { type: Number },
    control: { type: String },
  };

  /** One entry of the results' `catalog_metrics`, with `series` on its variants. */
  declare metric: CatalogMetricResult | undefined;
  /** The results' `method`: `sequential` (always-valid band) or `fixed` (valid only at the planned end, dashed). */
  declare method: FrequentistMethod;
  /** The results' `analysis.alpha`: the band is the 1 − alpha interval (default 0.05). */
  declare alpha: number;
  /** The control variant's key, for the legend and the tooltip (default `control`). */
  declare control: string;

  readonly #chart: ChartController<'line'>;
  #trend: CumulativeTrend | undefined;
  #theme: ChartTheme | undefined;

  constructor() {
    super();
    this.method = 'sequential';
    this.alpha = 0.05;
    this.control = 'control';
    this.#chart = new ChartController<'line'>(this, {
      canvas: 'canvas',
      inputs: () => [this.metric, this.method],
      config: (theme) => {
        this.#theme = theme;
        return cumulativeChart(theme, { trend: () => this.#trend, control: () => this.control });
      },
      fill: (chart) => {
        if (this.#trend && this.#theme) fillCumulativeChart(chart, this.#trend, this.#theme, this.method);
      },
    });
  }

  /** The chart.js chart while one is drawn and the element is in the page; undefined otherwise. */
  get chart(): Chart<'line'> | undefined {
    return this.#chart.chart;
  }

  protected override willUpdate(): void {
    this.#trend = this.metric ? cumulativeTrend(this.metric) : undefined;
  }

  protected override render() {
    const trend = this.#trend;
    if (!this.metric || !trend) return nothing;
    const label = this.metric.name ?? this.metric.key;
    const hint = directionHint(this.metric.direction);
    return html`<figure class="trend" data-method=${this.method}>
      <div class="head">
        <h4>${label}: cumulative effect vs ${this.control}, by day</h4>
        <ul class="legend" aria-label="Variants">
          ${trend.variants.map(
            (v) =>
              html`<li data-variant=${v.variant}>
                <span class="swatch c${v.colorIndex % 4}" aria-hidden="true"></span>${v.variant}
              </li>`,
          )}
        </ul>
      </div>
      ${
        trend.state === 'chart'
          ? html`<div class="chart-box">
              <canvas
                role="img"
                aria-label="Line chart of the cumulative relative effect of ${label} per variant against ${this.control}, per day, with its interval as a band; the same figures are in the table below it."
              ></canvas>
            </div>`
          : html`<p class="message" role="status" data-state=${trend.state}>${trendMessage(trend.state)}</p>`
      }
      <figcaption data-field="caption">
        <span data-field="band">${bandCaption(this.method, this.alpha)}</span>
        ${trend.state === 'chart' && trend.clipped ? html`<span>The first days, on few users, run past the axis.</span>` : nothing}
        ${hint ? html`<strong data-field="direction">${hint}</strong>` : nothing}
      </figcaption>
      ${trend.state === 'chart' ? this.#renderTable(trend) : nothing}
    </figure>`;
  }

  #renderTable(trend: CumulativeTrend) {
    const fraction = (x: number | null | undefined) => (x == null ? null : x / 100);
    return html`<details class="table-alt">
      <summary>Daily figures as a table</summary>
      <table class="days">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Variant</th>
            <th scope="col" class="num">Effect</th>
            <th scope="col" class="num">Interval</th>
            <th scope="col" class="num">Users (variant / ${this.control})</th>
          </tr>
        </thead>
        <tbody>
          ${trend.days.flatMap((day, i) =>
            trend.variants.map(
              (v) =>
                html`<tr data-day=${day} data-variant=${v.variant}>
                  <th scope="row">${formatDay(day)}</th>
                  <td>${v.variant}</td>
                  <td class="num">${formatLift(fraction(v.effect[i]))}</td>
                  <td class="num">
                    ${v.lower[i] == null ? '–' : `${formatLift(fraction(v.lower[i]))} to ${formatLift(fraction(v.upper[i]))}`}
                  </td>
                  <td class="num">${formatCount(v.exposedUsers[i])} / ${formatCount(v.controlExposedUsers[i])}</td>
                </tr>`,
            ),
          )}
        </tbody>
      </table>
    </details>`;
  }
}
