/** Registers `<abc-experiment-manager>` (and, through it, `<abc-experiment-editor>`). */
import { AbcExperimentManager } from './experiment-manager.component.js';

export { AbcExperimentManager };

if (!customElements.get('abc-experiment-manager'))
  customElements.define('abc-experiment-manager', AbcExperimentManager);

declare global {
  interface HTMLElementTagNameMap {
    'abc-experiment-manager': AbcExperimentManager;
  }
}
