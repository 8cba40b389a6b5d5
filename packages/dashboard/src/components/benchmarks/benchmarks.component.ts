/**
 * `<abc-benchmarks>`: the latest baseline load-test run against the latest post-mitigation run — endpoint deltas
 * (RPS, error rate, p50/p95/p99) as charts and a table, data-check deltas — and the recent run history.
 */
import { html, nothing } from 'lit';
import type { DashboardApi } from '../../api/api-client.js';
import {
  LOAD_TEST_RUNS_MAX_LIMIT,
  type LoadTestComparison,
  type LoadTestLatest,
  type LoadTestRunDetail,
} from '@ab-calicritters/core';
import { ChartController } from '../../shared/chart-controller.js';
import { chartAnimation, type ChartConfiguration, type ChartTheme } from '../../shared/charts.js';
import { AbcDataElement } from '../../shared/data-element.js';
import {
  formatCount,
  formatDateTime,
  formatLift,
  formatMs,
  formatNumber,
  formatPercent,
  formatSigned,
} from '../../shared/format.js';
import { themeStyles } from '../../shared/theme.js';
import { endpointRows, runSummary, type MetricCell } from './benchmarks.model.js';
import { benchmarksStyles } from './benchmarks.styles.js';

/** Everything the component loads. */
export interface BenchmarksData {
  latest: LoadTestLatest;
  runs: LoadTestRunDetail[];
  comparison: LoadTestComparison | null;
}

const CHARTS = [
  { id: 'rps', title: 'Throughput by endpoint (req/s)', pick: (m: { rps: number }) => m.rps, unit: 'req/s' },
  {
    id: 'p99',
    title: 'p99 latency by endpoint (ms)',
    pick: (m: { latency_p99_ms: number }) => m.latency_p99_ms,
    unit: 'ms',
  },
] as const;

/** A baseline-against-post-mitigation bar chart, without data. */
function benchmarkChart(theme: ChartTheme, unit: string): ChartConfiguration<'bar'> {
  // Baseline in the neutral fourth colour, the run after the change in the accent colour.
  const postColor = theme.series[0] ?? '#5b5bd6';
  const base = theme.series[3] ?? '#9aa3b5';
  return {
    type: 'bar',
    data: {
      labels: [],
      datasets: [
        { label: 'Baseline', data: [], backgroundColor: base, borderRadius: 4, maxBarThickness: 34 },
        { label: 'Post-mitigation', data: [], backgroundColor: postColor, borderRadius: 4, maxBarThickness: 34 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: chartAnimation(),
      plugins: {
        legend: {
          position: 'bottom',
          labels: { color: theme.text, usePointStyle: true, boxHeight: 6, font: { family: theme.font } },
        },
        tooltip: {
          callbacks: { label: (item) => ` ${item.dataset.label}: ${formatNumber(item.parsed.y, 1)} ${unit}` },
        },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: theme.text, font: { family: theme.font } } },
        y: {
          beginAtZero: true,
          grid: { color: theme.grid },
          border: { display: false },
          ticks: { color: theme.text, font: { family: theme.font } },
        },
      },
    },
  };
}

/**
 * @example <abc-benchmarks token="…" runs-limit="10"></abc-benchmarks>
 */
export class AbcBenchmarks extends AbcDataElement<BenchmarksData> {
  static override styles = [themeStyles, benchmarksStyles];
  static override properties = {
    runsLimit: { type: Number, attribute: 'runs-limit' },
  };

  /** Runs in the history table (default 10). */
  declare runsLimit: number;

  constructor() {
    super();
    this.runsLimit = 10;
    // One controller per chart; each registers itself with the element and owns its chart from here on.
    for (const spec of CHARTS) {
      new ChartController<'bar'>(this, {
        canvas: `canvas[data-chart="${spec.id}"]`,
        config: (theme) => benchmarkChart(theme, spec.unit),
        inputs: () => [this.data?.comparison],
        fill: (chart) => {
          const endpoints = this.data?.comparison?.endpoints ?? [];
          chart.data.labels = endpoints.map((e) => e.endpoint);
          chart.data.datasets[0]!.data = endpoints.map((e) => (e.baseline ? spec.pick(e.baseline) : 0));
          chart.data.datasets[1]!.data = endpoints.map((e) => (e.candidate ? spec.pick(e.candidate) : 0));
        },
      });
    }
  }

  protected override reloadKeys(): readonly string[] {
    return ['runsLimit'];
  }

  protected async fetchData(api: DashboardApi, signal: AbortSignal): Promise<BenchmarksData> {
    const [latest, list] = await Promise.all([
      api.loadTestLatest(signal),
      api.loadTestRuns(Math.min(LOAD_TEST_RUNS_MAX_LIMIT, Math.max(1, this.runsLimit)), signal),
    ]);
    const comparison =
      latest.baseline && latest.post_mitigation
        ? await api.loadTestCompare(latest.baseline.id, latest.post_mitigation.id, signal)
        : null;
    return { latest, runs: list.runs, comparison };
  }

  protected isEmpty(data: BenchmarksData): boolean {
    return data.runs.length === 0 && !data.latest.baseline && !data.latest.post_mitigation;
  }

  protected override render() {
    const data = this.hasData ? this.data : undefined;
    const comparison = data?.comparison ?? null;
    return html`<section class="card" aria-labelledby="title" aria-busy=${this.status === 'loading' ? 'true' : 'false'}>
      <div class="header">
        <div>
          <h2 id="title">Load-test benchmarks</h2>
          <p class="subtitle">Latest completed baseline run against the latest post-mitigation run</p>
        </div>
      </div>
      ${this.renderState(html`<span>No load-test runs are stored yet. Record a baseline and a post-mitigation run with the CLI.</span>`)}
      ${data ? this.#renderRunCards(data) : nothing}
      ${
        comparison?.warnings?.length
          ? html`<ul class="note warnings" data-field="comparison-warnings" aria-label="Why these runs may not compare">
              ${comparison.warnings.map((w) => html`<li data-code=${w.code}>${w.message}</li>`)}
            </ul>`
          : nothing
      }
      ${
        data && !comparison
          ? html`<p class="note" data-field="no-comparison">
              ${data.latest.baseline ? 'Only a baseline run so far' : data.latest.post_mitigation ? 'Only a post-mitigation run so far' : 'No completed runs yet'}:
              record both phases to see deltas.
            </p>`
          : nothing
      }
      <div class="charts" ?hidden=${!comparison}>
        ${CHARTS.map(
          (spec) =>
            html`<figure>
              <figcaption>${spec.title}</figcaption>
              <div class="chart-box">
                <canvas
                  data-chart=${spec.id}
                  role="img"
                  aria-label="Bar chart: ${spec.title}, baseline against post-mitigation; the endpoint table below has the same figures."
                ></canvas>
              </div>
            </figure>`,
        )}
      </div>
      ${comparison ? this.#renderEndpoints(comparison) : nothing}
      ${comparison ? this.#renderChecks(comparison) : nothing} ${data ? this.#renderHistory(data.runs) : nothing}
    </section>`;
  }

  #renderRunCards(data: BenchmarksData) {
    const card = (label: string, run: LoadTestRunDetail | null, phase: string) => {
      if (!run)
        return html`<div class="run" data-phase=${phase}>
          <h3>${label}</h3>
          <p class="muted">No completed run yet.</p>
        </div>`;
      const s = runSummary(run);
      return html`<div class="run" data-phase=${phase} data-run-id=${run.id}>
        <h3><span>${label}</span><span class="chip neutral">${run.scenario}</span></h3>
        <p class="subtitle">${run.name} · ${formatDateTime(run.started_at)}</p>
        <dl>
          <div>
            <dt>Total RPS</dt>
            <dd data-field="rps">${formatNumber(s.totalRps, 0)}</dd>
          </div>
          <div>
            <dt>Worst p99</dt>
            <dd data-field="p99">${formatMs(s.worstP99)}</dd>
          </div>
          <div>
            <dt>Error rate</dt>
            <dd data-field="error-rate">${formatPercent(s.errorRate, 2)}</dd>
          </div>
          <div>
            <dt>Data checks</dt>
            <dd data-field="checks">${s.checksPassed}/${s.checksTotal}</dd>
          </div>
        </dl>
      </div>`;
    };
    return html`<div class="runs">
      ${card('Baseline', data.latest.baseline, 'baseline')}${card('Post-mitigation', data.latest.post_mitigation, 'post_mitigation')}
    </div>`;
  }

  #cell(c: MetricCell, format: (x: number | null) => string, deltaText: string) {
    return html`${format(c.baseline)}
      <span class="arrow"><span class="visually-hidden">to</span></span> ${format(c.candidate)}
      <span class="delta ${c.tone}">${deltaText}</span>`;
  }

  #renderEndpoints(comparison: LoadTestComparison) {
    const ms = (c: MetricCell) =>
      this.#cell(
        c,
        formatMs,
        `${formatSigned(c.delta, 1, ' ms')}${c.change != null ? ` (${formatLift(c.change)})` : ''}`,
      );
    return html`<section class="part" aria-labelledby="endpoints-title">
      <h3 id="endpoints-title">Endpoints</h3>
      <div class="table-wrap">
        <table class="endpoints">
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col" class="num">RPS</th>
              <th scope="col" class="num">Error rate</th>
              <th scope="col" class="num">p50</th>
              <th scope="col" class="num">p95</th>
              <th scope="col" class="num">p99</th>
            </tr>
          </thead>
          <tbody>
            ${endpointRows(comparison).map(
              (r) =>
                html`<tr data-endpoint=${r.endpoint}>
                  <th scope="row"><code>${r.endpoint}</code></th>
                  <td class="num" data-field="rps">
                    ${this.#cell(r.rps, (x) => formatNumber(x, 0), formatLift(r.rps.change))}
                  </td>
                  <td class="num" data-field="error-rate">
                    ${this.#cell(r.errorRate, (x) => formatPercent(x, 2), `${formatSigned(r.errorRate.delta == null ? null : r.errorRate.delta * 100, 2, ' pp')}`)}
                  </td>
                  <td class="num" data-field="p50">${ms(r.p50)}</td>
                  <td class="num" data-field="p95">${ms(r.p95)}</td>
                  <td class="num" data-field="p99">${ms(r.p99)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  #renderChecks(comparison: LoadTestComparison) {
    const state = (passed: boolean | null, violations: number | null) =>
      passed == null
        ? html`<span class="muted">–</span>`
        : html`<span class="chip ${passed ? 'positive' : 'negative'}">${passed ? 'pass' : 'fail'}</span>
            ${formatCount(violations)}`;
    const tone = {
      fixed: 'positive',
      regressed: 'negative',
      unchanged: 'neutral',
      added: 'neutral',
      removed: 'neutral',
    } as const;
    return html`<section class="part" aria-labelledby="checks-title">
      <h3 id="checks-title">Data checks</h3>
      <table class="checks">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Baseline (violations)</th>
            <th scope="col">Post-mitigation (violations)</th>
            <th scope="col" class="num">Δ violations</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          ${comparison.data_checks.map(
            (c) =>
              html`<tr data-check=${c.name}>
                <th scope="row"><code>${c.name}</code></th>
                <td>${state(c.baseline_passed, c.baseline_violations)}</td>
                <td>${state(c.candidate_passed, c.candidate_violations)}</td>
                <td class="num" data-field="violations-delta">${formatSigned(c.violations_delta, 0)}</td>
                <td data-field="change"><span class="chip ${tone[c.change]}">${c.change}</span></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  #renderHistory(runs: LoadTestRunDetail[]) {
    return html`<section class="part" aria-labelledby="history-title">
      <h3 id="history-title">Recent runs</h3>
      <div class="table-wrap">
        <table class="history">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Run</th>
              <th scope="col">Phase</th>
              <th scope="col">Scenario</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Duration</th>
              <th scope="col" class="num">Total RPS</th>
              <th scope="col" class="num">Worst p99</th>
              <th scope="col" class="num">Checks</th>
            </tr>
          </thead>
          <tbody>
            ${runs.slice(0, this.runsLimit).map((run) => {
              const s = runSummary(run);
              const status = run.status === 'completed' ? 'positive' : run.status === 'failed' ? 'negative' : 'neutral';
              return html`<tr data-run-id=${run.id}>
                <td>${formatDateTime(run.started_at)}</td>
                <td>${run.name}</td>
                <td>${run.phase === 'post_mitigation' ? 'post-mitigation' : 'baseline'}</td>
                <td>${run.scenario}</td>
                <td><span class="chip ${status}" title=${run.error ?? ''}>${run.status}</span></td>
                <td class="num">${run.duration_ms == null ? '–' : `${formatNumber(run.duration_ms / 1000, 0)} s`}</td>
                <td class="num" data-field="rps">${formatNumber(s.totalRps, 0)}</td>
                <td class="num">${formatMs(s.worstP99)}</td>
                <td class="num">${s.checksTotal === 0 ? '–' : `${s.checksPassed}/${s.checksTotal}`}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </section>`;
  }
}
