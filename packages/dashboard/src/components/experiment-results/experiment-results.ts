/** Registers `<abc-experiment-results>`. */
import { AbcExperimentResults } from './experiment-results.component.js';

export { AbcExperimentResults };

if (!customElements.get('abc-experiment-results'))
  customElements.define('abc-experiment-results', AbcExperimentResults);

declare global {
  interface HTMLElementTagNameMap {
    'abc-experiment-results': AbcExperimentResults;
  }
}
