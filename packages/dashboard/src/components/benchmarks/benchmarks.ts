/** Registers `<abc-benchmarks>`. */
import { AbcBenchmarks } from './benchmarks.component.js';

export { AbcBenchmarks };
export type { BenchmarksData } from './benchmarks.component.js';

if (!customElements.get('abc-benchmarks')) customElements.define('abc-benchmarks', AbcBenchmarks);

declare global {
  interface HTMLElementTagNameMap {
    'abc-benchmarks': AbcBenchmarks;
  }
}
