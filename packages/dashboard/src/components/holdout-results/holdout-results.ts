/** Registers `<abc-holdout-results>`. */
import { AbcHoldoutResults } from './holdout-results.component.js';

export { AbcHoldoutResults };

if (!customElements.get('abc-holdout-results')) customElements.define('abc-holdout-results', AbcHoldoutResults);

declare global {
  interface HTMLElementTagNameMap {
    'abc-holdout-results': AbcHoldoutResults;
  }
}
