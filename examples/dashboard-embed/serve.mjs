#!/usr/bin/env node
/**
 * A tiny static server for the embed example: `/` is index.html, `/abc-dashboard.js` the dashboard bundle, and
 * `GET /v1/metrics/*` is proxied to the AB Calicritters server with the dashboard token added here, so the token
 * never reaches the browser and the page needs no CORS. Nothing else of the API is reachable through it.
 *
 *   API_BASE_URL=http://localhost:3000 DASHBOARD_TOKEN=… PORT=8080 node serve.mjs
 */
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dashboardBundleUrl } from '@ab-calicritters/dashboard/host';

const api = new URL(process.env.API_BASE_URL || 'http://localhost:3000');
const token = process.env.DASHBOARD_TOKEN?.trim();
const port = Number(process.env.PORT || 8080);
if (!token)
  console.warn('DASHBOARD_TOKEN is not set: the metrics requests will answer 401 (the components will say so).');

function proxy(req, res) {
  const send = api.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(
    new URL(req.url, api),
    { method: 'GET', headers: { accept: 'application/json', ...(token ? { 'x-dashboard-token': token } : {}) } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: { code: 'bad_gateway', message: `API at ${api.origin} unreachable: ${error.message}` } }),
    );
  });
  upstream.end();
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  try {
    if (req.method === 'GET' && path.startsWith('/v1/metrics/')) return proxy(req, res);
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(await readFile(new URL('./index.html', import.meta.url)));
    }
    if (req.method === 'GET' && path === '/abc-dashboard.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return res.end(await readFile(dashboardBundleUrl));
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(
      error.code === 'ENOENT' ? 'The dashboard bundle is not built: run `pnpm build` at the repository root.' : 'error',
    );
  }
});
server.listen(port, '127.0.0.1', () =>
  console.log(`internal tool example on http://127.0.0.1:${port} (API: ${api.origin})`),
);
