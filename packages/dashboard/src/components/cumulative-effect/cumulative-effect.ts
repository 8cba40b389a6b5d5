/** Registers `<abc-cumulative-effect>`. */
import { AbcCumulativeEffect } from './cumulative-effect.component.js';

export { AbcCumulativeEffect };

if (!customElements.get('abc-cumulative-effect')) customElements.define('abc-cumulative-effect', AbcCumulativeEffect);

declare global {
  interface HTMLElementTagNameMap {
    'abc-cumulative-effect': AbcCumulativeEffect;
  }
}
