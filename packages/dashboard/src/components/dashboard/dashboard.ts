/** Registers `<abc-dashboard>` (and, through it, every view it shows). */
import { AbcDashboard } from './dashboard.component.js';

export { AbcDashboard };
export type { DashboardData } from './dashboard.component.js';

if (!customElements.get('abc-dashboard')) customElements.define('abc-dashboard', AbcDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'abc-dashboard': AbcDashboard;
  }
}
