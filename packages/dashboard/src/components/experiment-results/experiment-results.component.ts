/**
 * `<abc-experiment-results experiment-key="KEY">`: per variant assigned users, conversion or mean with its 95% CI,
 * lift with a CI bar, p-value and chance to beat control; an SRM banner when flagged; a plain-language verdict.
 */
import { html, nothing } from 'lit';
import type { DashboardApi } from '../../api/api-client.js';
import type { ExperimentResults } from '@ab-calicritters/core';
import { AbcDataElement } from '../../shared/data-element.js';
import { emit } from '../../shared/events.js';
import {
  formatChance,
  formatCount,
  formatDateTime,
  formatLift,
  formatNumber,
  formatPValue,
  formatPercent,
} from '../../shared/format.js';
import { isNotComputed, rollupCommand } from '../../shared/rollup-hint.js';
import { themeStyles } from '../../shared/theme.js';
import {
  decision,
  decisionTone,
  defaultMetric,
  needsControlBadge,
  variantRows,
  verdicts,
  type ResultStatistic,
  type VariantRow,
} from './experiment-results.model.js';
import { experimentResultsStyles } from './experiment-results.styles.js';
import { catalogStyles, renderCatalog } from './experiment-results.catalog.js';
import { methodLine, powerLines } from './analysis-summary.model.js';

/**
 * Deprecated alias, kept for one release: attribute `experiment-id`, property `experimentId`.
 * @fires abc-metric-change - The metric or statistic shown changed (`detail.metric`, `detail.statistic`).
 * @example <abc-experiment-results experiment-key="paywall_copy" metric="purchase" token="…"></abc-experiment-results>
 */
export class AbcExperimentResults extends AbcDataElement<ExperimentResults> {
  static override styles = [themeStyles, experimentResultsStyles, catalogStyles];
  static override properties = {
    experimentKey: { type: String, attribute: 'experiment-key' },
    experimentId: { type: String, attribute: 'experiment-id', noAccessor: true },
    metric: { type: String },
    statistic: { type: String },
    openTrends: { state: true },
  };

  /** Key of the experiment (its public, stable name; not the database id). */
  declare experimentKey: string;
  /** Metric (event name) to show; default: the rarest converted metric, usually the goal step. */
  declare metric: string;
  /** `conversion` (share of assigned users, default) or `mean` (value per assigned user). */
  declare statistic: ResultStatistic;
  /** Keys of the catalog metrics whose cumulative effect chart is open. */
  declare protected openTrends: ReadonlySet<string>;
  /** Results fetched with `series=cumulative`, so opening a trend knows whether it has to fetch again. */
  readonly #withSeries = new WeakSet<ExperimentResults>();

  constructor() {
    super();
    this.experimentKey = '';
    this.metric = '';
    this.statistic = 'conversion';
    this.openTrends = new Set();
  }

  /** @deprecated The old name of {@link experimentKey} (attribute `experiment-id`); removed in the next minor release. */
  get experimentId(): string {
    return this.experimentKey;
  }

  set experimentId(key: string) {
    this.experimentKey = key ?? '';
  }

  protected override reloadKeys(): readonly string[] {
    return ['experimentKey'];
  }

  protected override canLoad(): boolean {
    return this.experimentKey.trim() !== '';
  }

  /**
   * The series only while a trend is open: it costs the server a day-by-day read and a test per day, metric and
   * variant, and most looks at the results open none. Servers that predate `series` ignore the parameter.
   */
  protected async fetchData(api: DashboardApi, signal: AbortSignal): Promise<ExperimentResults> {
    const series = this.openTrends.size > 0;
    const data = await api.experiment(
      this.experimentKey.trim(),
      this.windowDays,
      signal,
      series ? { series: 'cumulative' } : {},
    );
    if (series) this.#withSeries.add(data);
    return data;
  }

  /** Opens or closes a metric's trend; the first one opened fetches the results again, with their series. */
  #toggleTrend(metric: string): void {
    const open = new Set(this.openTrends);
    if (!open.delete(metric)) open.add(metric);
    this.openTrends = open;
    if (open.size > 0 && this.data && !this.#withSeries.has(this.data)) this.refresh();
  }

  protected isEmpty(data: ExperimentResults): boolean {
    const noMetrics = data.metrics.length === 0 && (data.catalog_metrics?.length ?? 0) === 0;
    return data.assignments.every((a) => a.assigned_users === 0) || noMetrics;
  }

  #select(metric: string, statistic: ResultStatistic): void {
    this.metric = metric;
    this.statistic = statistic;
    emit(this, 'abc-metric-change', { metric, statistic });
  }

  protected override render() {
    const data = this.hasData ? this.data : undefined;
    const title = this.data?.experiment.name ?? this.experimentKey ?? 'Experiment';
    return html`<section class="card" aria-labelledby="title" aria-busy=${this.status === 'loading' ? 'true' : 'false'}>
      <div class="header">
        <div>
          <h2 id="title">${title || 'Experiment results'}</h2>
          <p class="subtitle">
            ${this.experimentKey ? html`<code>${this.experimentKey}</code> · ` : ''}users assigned
            ${this.withinWindow()}
            ${data?.experiment.status ? html` · <span class="chip ${data.experiment.status === 'running' ? 'positive' : 'neutral'}">${data.experiment.status}</span>` : ''}
          </p>
        </div>
        ${data ? this.#renderControls(data) : nothing}
      </div>
      ${
        this.status === 'empty' && isNotComputed(this.data)
          ? html`<div class="state empty" role="status" data-state="not-computed">
              <strong>Not computed yet</strong>
              <span
                >This window has not been rolled up. Compute it with
                <code>${rollupCommand(this.windowDays)}</code>.</span
              >
            </div>`
          : this.renderState(
              html`<span>Nobody was assigned to this experiment ${this.withinWindow()}.</span>`,
              html`<span>Choose an experiment to see its results.</span>`,
            )
      }
      ${data ? this.#renderResults(data) : nothing}
      ${
        data
          ? renderCatalog(data, {
              openTrends: this.openTrends,
              seriesLoading: this.status === 'loading' && !this.#withSeries.has(data),
              narrow: this.narrow,
              onToggleTrend: (metric) => this.#toggleTrend(metric),
            })
          : nothing
      }
    </section>`;
  }

  #currentMetric(data: ExperimentResults): string | undefined {
    return data.metrics.some((m) => m.metric === this.metric) ? this.metric : defaultMetric(data);
  }

  #renderControls(data: ExperimentResults) {
    const metric = this.#currentMetric(data) ?? '';
    return html`<div class="controls">
      <label for="metric">Metric</label>
      <select id="metric" @change=${(e: Event) => this.#select((e.target as HTMLSelectElement).value, this.statistic)}>
        ${data.metrics.map((m) => html`<option value=${m.metric} ?selected=${m.metric === metric}>${m.metric}</option>`)}
      </select>
      <div class="segmented" role="group" aria-label="Statistic">
        <button
          aria-pressed=${this.statistic === 'conversion' ? 'true' : 'false'}
          @click=${() => this.#select(metric, 'conversion')}
        >
          Conversion
        </button>
        <button
          aria-pressed=${this.statistic === 'mean' ? 'true' : 'false'}
          @click=${() => this.#select(metric, 'mean')}
        >
          Mean per user
        </button>
      </div>
    </div>`;
  }

  #renderResults(data: ExperimentResults) {
    const metricName = this.#currentMetric(data);
    const metric = data.metrics.find((m) => m.metric === metricName);
    if (!metric) return nothing;
    const rows = variantRows(metric, data, this.statistic);
    const lines = verdicts(rows, metric.metric, data.control);
    const isConversion = this.statistic === 'conversion';
    return html` ${data.sample_ratio.srm ? this.#renderSrm(data) : nothing}
      <ul class="verdicts" aria-label="Verdict">
        ${lines.map(
          (v) =>
            html`<li class="verdict" data-outcome=${v.outcome} data-variant=${v.variant}>
              <span class="mark ${decisionTone(v.outcome) || 'muted'}" aria-hidden="true"
                >${v.outcome === 'better' ? '▲' : v.outcome === 'worse' ? '▼' : '●'}</span
              >
              <span class="verdict-text">${v.text}</span>
            </li>`,
        )}
      </ul>
      <div class="table-wrap">
        <table class="variants">
          <caption class="visually-hidden">
            Results per variant for ${metric.metric}
          </caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" class="num">Assigned users</th>
              <th scope="col" class="num">${isConversion ? 'Converted' : 'Total value'}</th>
              <th scope="col" class="num">${isConversion ? 'Conversion' : 'Mean per user'} (95% CI)</th>
              <th scope="col">Lift vs ${data.control} (95% CI)</th>
              <th scope="col" class="num">p-value</th>
              <th scope="col" class="num">Chance to beat ${data.control}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((r) => this.#renderRow(r, isConversion, metric.totals.find((t) => t.variant === r.variant)?.value_sum))}
          </tbody>
        </table>
      </div>
      <p class="footnote">
        Control is <strong>${data.control}</strong>. Lift intervals are 95% and come from the same two-sided test as the
        p-values (Welch's t-test on the relative
        lift${
          metric[this.statistic].method === 'sequential'
            ? ', sequential: valid however often you look, so checking daily does not inflate false positives'
            : ', fixed horizon: read it once, at the planned end'
        })${rows.length > 2 ? '; verdicts use p-values adjusted for the number of variants (Holm)' : ''};
        chance to beat control is Bayesian. Computed ${formatDateTime(data.computed_at)}.
      </p>
      <p class="method" data-field="method">${methodLine(data, metric[this.statistic].method)}</p>
      ${this.#renderPower(data, metric.metric)}`;
  }

  /** Per goal metric and variant: the minimum detectable effect now and the days to 80 % power. */
  #renderPower(data: ExperimentResults, metricName: string) {
    const lines = powerLines(data, metricName, this.statistic);
    if (lines.length === 0) return nothing;
    return html`<ul class="power" data-field="power" aria-label="Power">
      ${lines.map(
        (l) =>
          html`<li data-metric=${l.metric} data-variant=${l.variant}>
            <strong>${l.metric}</strong> <span class="muted">${l.variant}</span> ${l.text}
          </li>`,
      )}
    </ul>`;
  }

  #renderRow(r: VariantRow, isConversion: boolean, valueSum: number | undefined) {
    const estimate = (x: number | null) => (isConversion ? formatPercent(x) : formatNumber(x, 2));
    // The same decision as the verdict: a lift is coloured only when the verdict calls it better or worse.
    const outcome = r.isControl ? undefined : decision(r);
    const tone = outcome ? decisionTone(outcome) : '';
    return html`<tr data-variant=${r.variant} data-outcome=${outcome ?? nothing}>
      <th scope="row">
        <span class="variant-name">${r.variant}</span
        >${needsControlBadge(r) ? html` <span class="chip neutral">control</span>` : nothing}
      </th>
      <td class="num" data-field="assigned">${formatCount(r.assignedUsers)}</td>
      <td class="num" data-field="converted">
        ${isConversion ? formatCount(r.convertedUsers) : formatNumber(valueSum ?? null, 2)}
      </td>
      <td class="num" data-field="estimate">
        ${estimate(r.estimate)}<span class="ci-text">${estimate(r.ciLower)} – ${estimate(r.ciUpper)}</span>
      </td>
      <td data-field="lift">
        ${
          r.isControl
            ? html`<span class="muted">baseline</span>`
            : html`<span class="${tone}">${formatLift(r.lift)}</span>
                ${
                  r.bar
                    ? html`<div
                        class="ci-bar"
                        role="img"
                        aria-label="Lift ${formatLift(r.lift)}, 95% interval ${formatLift(r.liftCiLower)} to ${formatLift(r.liftCiUpper)}"
                      >
                        <span class="axis"></span>
                        <span class="zero" style="left:${r.bar.zero}%"></span>
                        <span class="range ${tone}" style="left:${r.bar.left}%;width:${r.bar.width}%"></span>
                        <span class="point" style="left:${r.bar.point}%"></span>
                      </div>`
                    : nothing
                }
                <span class="ci-text">${formatLift(r.liftCiLower)} to ${formatLift(r.liftCiUpper)}</span>`
        }
      </td>
      <td class="num" data-field="p-value">${r.isControl ? '' : formatPValue(r.pValue)}</td>
      <td class="num" data-field="chance">${r.isControl ? '' : formatChance(r.chanceToBeat)}</td>
    </tr>`;
  }

  #renderSrm(data: ExperimentResults) {
    const total = data.assignments.reduce((sum, a) => sum + a.assigned_users, 0) || 1;
    const weights = data.assignments.reduce((sum, a) => sum + a.expected_share, 0) || 1;
    const split = data.assignments
      .map(
        (a) =>
          `${a.variant} ${formatPercent(a.assigned_users / total)} (expected ${formatPercent(a.expected_share / weights)})`,
      )
      .join(', ');
    return html`<div class="srm" role="alert" data-srm="true">
      <span aria-hidden="true">⚠</span>
      <div>
        <strong>Sample ratio mismatch</strong>
        Users did not split as configured: ${split}; χ² p = ${formatPValue(data.sample_ratio.p_value)}. Results may be
        biased; check assignment and event logging before trusting them.
      </div>
    </div>`;
  }
}
