/** Registers `<abc-funnel>`. */
import { AbcFunnel } from './funnel.component.js';

export { AbcFunnel };

if (!customElements.get('abc-funnel')) customElements.define('abc-funnel', AbcFunnel);

declare global {
  interface HTMLElementTagNameMap {
    'abc-funnel': AbcFunnel;
  }
}
