/**
 * The catalog-metrics table of `<abc-experiment-results>`: one row per metric × variant over exposed users, and
 * under a metric whose Trend is open, its cumulative effect chart across the table's width.
 */
import { css, html, nothing } from 'lit';
import type { ExperimentResults, FrequentistMethod } from '@ab-calicritters/core';
import {
  formatChance,
  formatCount,
  formatLift,
  formatNumber,
  formatPValue,
  formatPercent,
} from '../../shared/format.js';
import '../cumulative-effect/cumulative-effect.js';
import { priorLine } from './analysis-summary.model.js';
import { catalogRows, exposureLine, formatRisk, type CatalogRow } from './catalog-metrics.model.js';

/** What the table needs besides the results: which trends are open and how to open or close one. */
export interface CatalogView {
  /** Keys of the metrics whose chart is shown. */
  openTrends: ReadonlySet<string>;
  /** True while the results are being fetched again with their series. */
  seriesLoading: boolean;
  /** A narrow page: open charts go under the table, at the card's width, instead of into the scrolling table. */
  narrow: boolean;
  onToggleTrend: (metric: string) => void;
}

const COLUMNS = 9;

/** The toggle in a metric's first row. */
function trendToggle(r: CatalogRow, open: boolean, view: CatalogView) {
  return html`<button
    class="trend-toggle"
    data-trend=${r.metric}
    aria-expanded=${open ? 'true' : 'false'}
    aria-controls="trend-${r.metric}"
    title="${open ? 'Hide' : 'Show'} the effect day by day"
    @click=${() => view.onToggleTrend(r.metric)}
  >
    <span aria-hidden="true">${open ? '▾' : '▸'}</span> Trend
  </button>`;
}

/** A metric's chart, or a note while its series is on the way. */
function trendChart(data: ExperimentResults, metricKey: string, view: CatalogView) {
  const metric = data.catalog_metrics?.find((m) => m.key === metricKey);
  if (!metric) return nothing;
  const method: FrequentistMethod = data.method ?? data.analysis?.method ?? 'sequential';
  return view.seriesLoading
    ? html`<p class="muted trend-loading" role="status">Loading the daily series…</p>`
    : html`<abc-cumulative-effect
        .metric=${metric}
        method=${method}
        alpha=${data.analysis?.alpha ?? 0.05}
        control=${data.control}
      ></abc-cumulative-effect>`;
}

/** The full-width row under a metric's last variant, holding its chart. */
function trendRow(data: ExperimentResults, metricKey: string, view: CatalogView) {
  return html`<tr class="trend-row" id="trend-${metricKey}" data-trend-for=${metricKey}>
    <td colspan=${COLUMNS}>${trendChart(data, metricKey, view)}</td>
  </tr>`;
}

/** "95%" for alpha 0.05: the level of the effect's interval and of the credible interval. */
const levelOf = (data: ExperimentResults) => `${Math.round((1 - (data.analysis?.alpha ?? 0.05)) * 1000) / 10}%`;

/**
 * What the chance cell's tooltip spells out: the credible interval, and the risk in words, which way being the loss
 * the metric's direction says.
 */
function chanceTitle(r: CatalogRow, data: ExperimentResults): string {
  const parts: string[] = [];
  if (r.credibleInterval) {
    const [low, high] = r.credibleInterval;
    parts.push(`${levelOf(data)} credible interval of the effect: ${formatLift(low)} to ${formatLift(high)}`);
  }
  if (r.risk !== null) {
    const loss = r.direction === 'lower' ? 'rise' : 'fall';
    parts.push(
      `Risk: shipping ${r.variant} costs on average ${formatRisk(r.risk)} of ${data.control}'s mean (the expected ${loss})`,
    );
  }
  return parts.join('. ');
}

/** Chance to win, its risk under it, and the credible interval in the tooltip (and for screen readers). */
function chanceCell(r: CatalogRow, data: ExperimentResults) {
  const title = chanceTitle(r, data);
  return html`<td class="num chance" data-field="chance" title=${title || nothing}>
    <span class=${title ? 'has-detail' : ''}>${formatChance(r.chanceToWin)}</span>
    ${r.risk === null ? nothing : html`<span class="risk" data-field="risk">Risk ${formatRisk(r.risk)}</span>`}
    ${
      r.credibleInterval
        ? html`<span class="visually-hidden" data-field="credible"
            >${levelOf(data)} credible interval ${formatLift(r.credibleInterval[0])} to
            ${formatLift(r.credibleInterval[1])}</span
          >`
        : nothing
    }
  </td>`;
}

function metricRow(r: CatalogRow, first: boolean, data: ExperimentResults, view: CatalogView) {
  const mean = (x: number | null) => formatNumber(x, 2);
  return html`<tr data-metric=${r.metric} data-variant=${r.variant} data-status=${r.status}>
    <th scope="row">
      ${r.label}
      <span class="chip neutral">${r.role}</span
      >${r.direction === 'lower' ? html` <span class="muted">lower is better</span>` : nothing}
      ${first ? trendToggle(r, view.openTrends.has(r.metric), view) : nothing}
    </th>
    <td class="variant"><span class="dot c${r.colorIndex % 4}" aria-hidden="true"></span> ${r.variant}</td>
    <td class="num">${formatCount(r.exposedUsers)}</td>
    <td class="num mean">${mean(r.controlMean)} → ${mean(r.mean)}</td>
    <td>
      <span class=${r.tone}>${formatLift(r.relativeEffect)}</span>
      ${r.relativeCi ? html`<span class="ci-text">${formatLift(r.relativeCi[0])} to ${formatLift(r.relativeCi[1])}</span>` : nothing}
    </td>
    <td class="num">${formatPValue(r.pValue)}</td>
    ${chanceCell(r, data)}
    <td class="num">${r.cupedReduction === null ? '–' : formatPercent(r.cupedReduction, 0)}</td>
    <td><span class="chip ${r.tone || 'neutral'}">${r.status}</span></td>
  </tr>`;
}

/** Catalog metrics (goals, then guardrails) over exposed users, when the experiment names any. */
export function renderCatalog(data: ExperimentResults, view: CatalogView) {
  const rows = catalogRows(data);
  if (rows.length === 0) return nothing;
  const prior = priorLine(data);
  return html`<h3 class="catalog-title">Catalog metrics <span class="muted">(exposed users)</span></h3>
    <p class="subtitle" data-field="exposure">${exposureLine(data)}</p>
    <div class="table-wrap">
      <table class="variants catalog">
        <caption class="visually-hidden">
          Catalog metrics per variant, against ${data.control}
        </caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Variant</th>
            <th scope="col" class="num">Exposed</th>
            <th scope="col" class="num">Mean (${data.control} → variant)</th>
            <th scope="col">Effect vs ${data.control} (${levelOf(data)} CI)</th>
            <th scope="col" class="num">p (adjusted)</th>
            <th scope="col" class="num">Chance to win <span class="th-note">(risk)</span></th>
            <th scope="col" class="num">CUPED</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((r, i) => {
            const last = rows[i + 1]?.metric !== r.metric;
            return html`${metricRow(r, rows[i - 1]?.metric !== r.metric, data, view)}${
              last && !view.narrow && view.openTrends.has(r.metric) ? trendRow(data, r.metric, view) : nothing
            }`;
          })}
        </tbody>
      </table>
    </div>
    ${
      view.narrow
        ? [...new Set(rows.map((r) => r.metric))]
            .filter((key) => view.openTrends.has(key))
            .map(
              (key) =>
                html`<div class="trend-block" id="trend-${key}" data-trend-for=${key}>
                  ${trendChart(data, key, view)}
                </div>`,
            )
        : nothing
    }
    <p class="footnote">
      Catalog metrics count users from their first exposure. Goals' p-values are adjusted over all goals
      (Benjamini–Hochberg), guardrails' over the variants (Holm); chance to win reads the metric's
      direction${
        rows.some((r) => r.risk !== null)
          ? html`, and its risk is what shipping the variant is expected to lose, as a share of ${data.control}'s mean
            (hover for the credible interval)`
          : nothing
      };
      CUPED is the share of variance removed by the pre-exposure period. <strong>Trend</strong> shows a metric's effect
      day by day over the users exposed so far.
    </p>
    ${prior ? html`<p class="method" data-field="prior">${prior}</p>` : nothing}`;
}

/** The variant dots (the chart's colours) and the Trend toggle and row. */
export const catalogStyles = css`
  .catalog td.variant {
    white-space: nowrap;
  }
  .catalog .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    border-radius: 50%;
    margin-right: 2px;
  }
  /* Figures and intervals stay on one line; the metric names take the wrapping instead. */
  .catalog td.chance,
  .catalog td.mean,
  .catalog .ci-text {
    white-space: nowrap;
  }
  .catalog .risk {
    display: block;
    font-size: 12px;
    color: var(--_muted);
  }
  .catalog .has-detail {
    cursor: help;
    border-bottom: 1px dotted var(--_muted);
  }
  .catalog .th-note {
    font-weight: normal;
    color: var(--_muted);
  }
  .trend-toggle {
    display: block;
    margin-top: 4px;
    padding: 0;
    border: none;
    background: none;
    color: var(--_accent);
    font-size: 12px;
    cursor: pointer;
  }
  .trend-toggle:hover {
    text-decoration: underline;
  }
  .catalog tr.trend-row > td {
    padding: 12px 14px 16px;
    border-top: 1px dashed var(--_border);
  }
  .trend-block {
    margin-top: 12px;
    padding-top: 12px;
    border-top: 1px dashed var(--_border);
  }
  .trend-loading {
    margin: 0;
    font-size: 13px;
  }
`;
