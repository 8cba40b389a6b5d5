/**
 * The HTML page a server hosts at `/dashboard`: `<abc-dashboard url-state>` against the same server (so a reload or a
 * shared link opens the same tab, window and experiment), and a small form that asks for the dashboard token and
 * keeps it in sessionStorage (this tab only, gone when it closes). A host may pass `token` to skip the form — only
 * for a token it generated itself on a loopback-only dev server, since the token is then readable by anyone who can
 * load the page.
 */
import { DEFAULT_WINDOW_DAYS } from '@ab-calicritters/core';

export interface DashboardPageOptions {
  /** URL of the browser bundle, e.g. `/dashboard/abc-dashboard.js`. */
  bundleUrl: string;
  /** Server origin for the API calls; default '' (the page's own origin). */
  apiBaseUrl?: string;
  /** A token to use without asking (see the module comment for when that is acceptable). */
  token?: string;
  /** Page and app-bar title (default "AB Calicritters"). */
  title?: string;
  /** Initial window (default 7). */
  windowDays?: number;
  /**
   * Minutes between the server's scheduled rollups (`ROLLUP_INTERVAL`), for the freshness line: it then polls at
   * that pace and says when the next round is due. Unset or 0: unknown.
   */
  rollupIntervalMinutes?: number;
}

/** The sessionStorage key the page keeps the token under. */
export const TOKEN_STORAGE_KEY = 'abc-dashboard-token';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

// JSON inside <script>: no '<' (so no '</script>'), and no U+2028/2029 line separators.
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * Renders the page.
 * @example ctx.body = renderDashboardPage({ bundleUrl: '/dashboard/abc-dashboard.js' });
 */
export function renderDashboardPage(options: DashboardPageOptions): string {
  if (!options?.bundleUrl) throw new Error('renderDashboardPage: options.bundleUrl is required');
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new Error('renderDashboardPage: windowDays must be a positive integer');
  const interval = options.rollupIntervalMinutes ?? 0;
  if (!Number.isFinite(interval) || interval < 0)
    throw new Error('renderDashboardPage: rollupIntervalMinutes must be a number of minutes ≥ 0');
  const title = options.title ?? 'AB Calicritters';
  const config = { token: options.token ?? null, storageKey: TOKEN_STORAGE_KEY };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · dashboard</title>
<style>
  html, body { margin: 0; min-height: 100%; background: #f5f6fa; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d2433; }
  .gate { max-width: 380px; margin: 12vh auto; background: #fff; border: 1px solid #e3e6ee; border-radius: 12px; padding: 28px; box-shadow: 0 1px 3px rgb(16 24 40 / 6%); }
  .gate h1 { margin: 0 0 4px; font-size: 20px; }
  .gate p { color: #5f6b7c; margin: 0 0 18px; font-size: 14px; line-height: 1.5; }
  .gate label { display: block; font-size: 13px; font-weight: 600; margin-bottom: 6px; }
  .gate input { width: 100%; box-sizing: border-box; font: inherit; padding: 9px 10px; border: 1px solid #cfd4de; border-radius: 8px; }
  .gate button { margin-top: 14px; width: 100%; font: inherit; font-weight: 600; padding: 9px; border: none; border-radius: 8px; background: #5b5bd6; color: #fff; cursor: pointer; }
  .gate .error { color: #c2410c; font-size: 13px; margin: 10px 0 0; min-height: 1em; }
  .change-token { font: inherit; font-size: 13px; background: none; border: none; color: #5b5bd6; cursor: pointer; }
  [hidden] { display: none !important; }
</style>
<script type="module" src="${escapeHtml(options.bundleUrl)}"></script>
</head>
<body>
<form class="gate" id="token-form" hidden>
  <h1>${escapeHtml(title)}</h1>
  <p>Enter the dashboard token (the server's <code>DASHBOARD_TOKEN</code>). It is kept in this browser tab only.</p>
  <label for="token-input">Dashboard token</label>
  <input id="token-input" name="token" type="password" autocomplete="current-password" required minlength="8">
  <p class="error" id="token-error" role="alert"></p>
  <button type="submit">Open dashboard</button>
</form>
<template id="dashboard-template">
  <abc-dashboard id="dashboard" heading="${escapeHtml(title)}" api-base-url="${escapeHtml(options.apiBaseUrl ?? '')}" window-days="${windowDays}"${interval > 0 ? ` rollup-interval="${interval}"` : ''} url-state>
    <button slot="actions" class="change-token" type="button">Change token</button>
  </abc-dashboard>
</template>
<script type="application/json" id="abc-page-config">${scriptJson(config)}</script>
<script type="module">
  // The dashboard is only created once there is a token, so it never sends a request without one.
  const config = JSON.parse(document.getElementById('abc-page-config').textContent);
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  const errorLine = document.getElementById('token-error');
  const template = document.getElementById('dashboard-template');
  let dashboard = null;

  function openDashboard(token) {
    form.hidden = true;
    dashboard = document.importNode(template.content.firstElementChild, true);
    dashboard.token = token;
    dashboard.querySelector('.change-token').addEventListener('click', () => askForToken(''));
    dashboard.addEventListener('abc-error', (event) => {
      if (event.detail.kind === 'unauthorized') askForToken('The server refused that token (401). Check DASHBOARD_TOKEN and try again.');
    });
    document.body.append(dashboard);
  }
  function askForToken(message) {
    sessionStorage.removeItem(config.storageKey);
    dashboard?.remove();
    dashboard = null;
    errorLine.textContent = message;
    input.value = '';
    form.hidden = false;
    input.focus();
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    sessionStorage.setItem(config.storageKey, token);
    errorLine.textContent = '';
    openDashboard(token);
  });

  const token = config.token || sessionStorage.getItem(config.storageKey);
  if (token) openDashboard(token); else askForToken('');
</script>
</body>
</html>
`;
}
