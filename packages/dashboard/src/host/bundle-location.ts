/** Where the built browser bundle lies, for servers that serve it (`fs.readFile(dashboardBundleUrl)`). */

/** File name of the bundle. */
export const DASHBOARD_BUNDLE_NAME = 'abc-dashboard.js';

/** `file:` URL of `dist/browser/abc-dashboard.js` (built by `pnpm build`). */
export const dashboardBundleUrl: URL = new URL(`../browser/${DASHBOARD_BUNDLE_NAME}`, import.meta.url);
