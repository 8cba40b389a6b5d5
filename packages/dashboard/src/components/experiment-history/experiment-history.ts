/** Registers `<abc-experiment-history>`. */
import { AbcExperimentHistory } from './experiment-history.component.js';

export { AbcExperimentHistory };

if (!customElements.get('abc-experiment-history'))
  customElements.define('abc-experiment-history', AbcExperimentHistory);

declare global {
  interface HTMLElementTagNameMap {
    'abc-experiment-history': AbcExperimentHistory;
  }
}
