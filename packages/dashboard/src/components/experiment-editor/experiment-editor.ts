/** Registers `<abc-experiment-editor>`. */
import { AbcExperimentEditor } from './experiment-editor.component.js';

export { AbcExperimentEditor };

if (!customElements.get('abc-experiment-editor')) customElements.define('abc-experiment-editor', AbcExperimentEditor);

declare global {
  interface HTMLElementTagNameMap {
    'abc-experiment-editor': AbcExperimentEditor;
  }
}
