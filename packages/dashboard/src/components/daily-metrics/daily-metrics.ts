/** Registers `<abc-daily-metrics>`. */
import { AbcDailyMetrics } from './daily-metrics.component.js';

export { AbcDailyMetrics };

if (!customElements.get('abc-daily-metrics')) customElements.define('abc-daily-metrics', AbcDailyMetrics);

declare global {
  interface HTMLElementTagNameMap {
    'abc-daily-metrics': AbcDailyMetrics;
  }
}
