/**
 * The one chart lifecycle every component with a chart uses, as a Lit reactive controller: the chart is made after
 * the host's first render (once its canvas exists), refilled after an update that changed its inputs, destroyed
 * when the host leaves the page, and made again on the same canvas when the host comes back.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import { Chart, chartTheme, type ChartConfiguration, type ChartTheme, type ChartType } from './charts.js';

export interface ChartControllerOptions<TType extends ChartType> {
  /** Selector of the chart's `<canvas>` in the host's render root, e.g. `canvas[data-chart="rps"]`. */
  canvas: string;
  /** The chart without data (types, colours from `theme`, axes, tooltips); read once each time the chart is made. */
  config: (theme: ChartTheme) => ChartConfiguration<TType>;
  /** Writes the host's current data into the chart (labels, each dataset's data); `update()` follows. */
  fill: (chart: Chart<TType>) => void;
  /** What `fill` reads (e.g. `() => [this.data]`): the chart is refilled after an update that changed one (`!==`). */
  inputs: () => readonly unknown[];
}

/**
 * Owns one chart.js chart of a Lit element.
 * @example
 * #chart = new ChartController(this, {
 *   canvas: 'canvas',
 *   config: (theme) => ({ type: 'line', data: { labels: [], datasets: [{ data: [], borderColor: theme.series[0] }] } }),
 *   fill: (chart) => { chart.data.labels = days(this.data); chart.data.datasets[0]!.data = counts(this.data); },
 *   inputs: () => [this.data],
 * });
 */
export class ChartController<TType extends ChartType = ChartType> implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #options: ChartControllerOptions<TType>;
  #chart: Chart<TType> | undefined;
  #inputs: readonly unknown[] = [];

  constructor(host: ReactiveElement, options: ChartControllerOptions<TType>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The live chart, or undefined before the first render and while the host is out of the page. */
  get chart(): Chart<TType> | undefined {
    return this.#chart;
  }

  hostConnected(): void {
    // Back in the page after a move: no new render comes, so the chart is made on the canvas that is there.
    if (this.#host.hasUpdated) this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#chart?.destroy();
    this.#chart = undefined;
  }

  #sync(): void {
    const canvas = this.#host.renderRoot.querySelector<HTMLCanvasElement>(this.#options.canvas);
    if (this.#chart && this.#chart.canvas !== canvas) this.hostDisconnected();
    if (!canvas) return;
    const inputs = this.#options.inputs();
    if (!this.#chart) {
      this.#chart = new Chart(canvas, this.#options.config(chartTheme(this.#host)));
    } else if (inputs.length === this.#inputs.length && inputs.every((x, i) => x === this.#inputs[i])) {
      return;
    }
    this.#inputs = inputs;
    this.#options.fill(this.#chart);
    this.#chart.update();
  }
}
