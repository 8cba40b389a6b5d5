/** Registers `<abc-experiment-rules>`. */
import { AbcExperimentRules } from './experiment-rules.component.js';

export { AbcExperimentRules };

if (!customElements.get('abc-experiment-rules')) customElements.define('abc-experiment-rules', AbcExperimentRules);

declare global {
  interface HTMLElementTagNameMap {
    'abc-experiment-rules': AbcExperimentRules;
  }
}
