/**
 * `/dashboard` on the standalone server: the dashboard page (from `@ab-calicritters/dashboard/host`) and its browser
 * bundle, calling this same server. The page asks for the dashboard token and keeps it in sessionStorage. Only when
 * `serve` generated the token itself and listens on loopback only may the page carry it, so a local dev run opens
 * without copying the token from the log; a token from DASHBOARD_TOKEN, or any wider bind, is never put in a page.
 */
import { readFile } from 'node:fs/promises';
import type { Middleware } from 'koa';
import { dashboardBundleUrl, renderDashboardPage } from '@ab-calicritters/dashboard/host';

const DASHBOARD_PATH = '/dashboard';
const BUNDLE_PATH = `${DASHBOARD_PATH}/abc-dashboard.js`;

export interface DashboardPageOptions {
  /** The token to embed in the page, or undefined to let the page ask for it (see the module comment). */
  injectToken?: string;
  /** Where the built bundle is (default: the dashboard package's `dist/browser/abc-dashboard.js`). */
  bundleUrl?: URL;
  /** The server's rollup interval in minutes (ROLLUP_INTERVAL), so the page polls its freshness that often. */
  rollupIntervalMinutes?: number;
}

/**
 * Serves `GET /dashboard`, `/dashboard/abc-dashboard.js` (and its source map); everything else passes through.
 * @example app.use(createDashboardPage({ injectToken: generated && isLoopbackHost(host) ? token : undefined }));
 */
export function createDashboardPage(options: DashboardPageOptions = {}): Middleware {
  const bundleUrl = options.bundleUrl ?? dashboardBundleUrl;
  const page = renderDashboardPage({
    bundleUrl: BUNDLE_PATH,
    token: options.injectToken,
    rollupIntervalMinutes: options.rollupIntervalMinutes,
  });
  return async function dashboardPage(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === DASHBOARD_PATH || ctx.path === `${DASHBOARD_PATH}/`) {
      ctx.type = 'html';
      // no-store: the page may carry a token; frame-ancestors: no framing by other sites.
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Content-Security-Policy', "frame-ancestors 'self'");
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = page;
      return;
    }
    if (ctx.path === BUNDLE_PATH || ctx.path === `${BUNDLE_PATH}.map`) {
      const file = ctx.path.endsWith('.map') ? new URL(`${bundleUrl.href}.map`) : bundleUrl;
      try {
        ctx.body = await readFile(file);
      } catch {
        ctx.status = 503;
        ctx.body = {
          error: { code: 'dashboard_not_built', message: 'The dashboard bundle is not built; run `pnpm build` first' },
        };
        return;
      }
      ctx.type = ctx.path.endsWith('.map') ? 'application/json' : 'text/javascript';
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('X-Content-Type-Options', 'nosniff');
      return;
    }
    return next();
  };
}
