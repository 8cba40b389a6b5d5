/** `@ab-calicritters/dashboard/host`: what a server needs to host the dashboard page and its browser bundle. */
export { renderDashboardPage, TOKEN_STORAGE_KEY } from './dashboard-page.js';
export type { DashboardPageOptions } from './dashboard-page.js';
export { dashboardBundleUrl, DASHBOARD_BUNDLE_NAME } from './bundle-location.js';
