/** A self-contained HTML report of one run: inline CSS and SVG, no scripts, no external resources. */
import type { LoadTestArtifact } from './artifacts.js';

const escape = (value: unknown) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const fixed = (value: number, digits = 2) => value.toFixed(digits);

function latencyChart(percentiles: Record<string, number>, maxMs: number): string {
  const entries = [...Object.entries(percentiles), ['max', maxMs] as [string, number]];
  const top = Math.max(...entries.map(([, v]) => v), 0.001);
  const rowHeight = 22;
  const width = 520;
  const labelWidth = 60;
  const bars = entries
    .map(([label, value], i) => {
      const y = i * rowHeight;
      const w = Math.max(1, ((width - labelWidth - 90) * value) / top);
      return `<text x="0" y="${y + 15}" class="label">${escape(label)}</text>
        <rect x="${labelWidth}" y="${y + 3}" width="${fixed(w, 1)}" height="${rowHeight - 6}" rx="3"></rect>
        <text x="${labelWidth + w + 6}" y="${y + 15}" class="value">${fixed(value)} ms</text>`;
    })
    .join('\n');
  return `<svg class="chart" role="img" aria-label="latency percentiles" viewBox="0 0 ${width} ${entries.length * rowHeight}" width="${width}" height="${entries.length * rowHeight}">${bars}</svg>`;
}

/** Renders the artifact written beside it as JSON. */
export function renderHtmlReport(artifact: LoadTestArtifact): string {
  const { run } = artifact;
  const tags = Object.entries(run.tags)
    .map(([k, v]) => `<span class="tag">${escape(k)}=${escape(v)}</span>`)
    .join(' ');
  const endpointRows = run.endpoints
    .map(
      (e) => `<tr><td>${escape(e.endpoint)}</td><td>${e.requests}</td><td>${fixed(e.rps, 1)}</td>
        <td class="${e.error_rate > 0 ? 'bad' : ''}">${fixed(e.error_rate * 100, 3)}%</td><td>${e.status_5xx}</td><td>${e.timeouts}</td>
        <td>${e.transport_errors}</td><td>${e.status_4xx}</td><td>${fixed(e.latency_p50_ms)}</td><td>${fixed(e.latency_p95_ms)}</td>
        <td>${fixed(e.latency_p99_ms)}</td><td>${fixed(e.latency_max_ms)}</td></tr>`,
    )
    .join('\n');
  const charts = artifact.latency
    .map((l) => {
      const max = run.endpoints.find((e) => e.endpoint === l.endpoint)?.latency_max_ms ?? 0;
      return `<figure><figcaption>${escape(l.endpoint)}</figcaption>${latencyChart(l.percentiles_ms, max)}</figure>`;
    })
    .join('\n');
  const checkRows = run.data_checks
    .map(
      (
        c,
      ) => `<tr><td>${escape(c.name)}</td><td><span class="badge ${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'FAIL'}</span></td>
        <td>${c.violations}</td><td>${c.checked}</td>
        <td><details><summary>details</summary><pre>${escape(JSON.stringify(c.details, null, 2))}</pre></details></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Load test ${escape(run.name)} (${escape(run.scenario)}, ${escape(run.phase)})</title>
<style>
  :root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --bar: #4f7cff; --ok: #1f8a4c; --bad: #c62828; }
  body { font: 14px/1.45 system-ui, -apple-system, Segoe UI, sans-serif; color: var(--fg); margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  .meta { color: var(--muted); } .tag { background: #eef1f7; border-radius: 4px; padding: 0 .4rem; margin-right: .2rem; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
  th { font-weight: 600; color: var(--muted); } td.bad { color: var(--bad); font-weight: 600; }
  .badge { border-radius: 4px; padding: 0 .5rem; color: white; font-weight: 600; } .pass { background: var(--ok); } .fail { background: var(--bad); }
  .charts { display: flex; flex-wrap: wrap; gap: 2rem; } figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
  .chart rect { fill: var(--bar); } .chart text { font-size: 12px; fill: var(--fg); }
  pre { background: #f6f7fa; padding: .5rem; overflow: auto; max-height: 20rem; }
</style>
</head>
<body>
<h1>${escape(run.name)} <small class="meta">${escape(run.scenario)} · ${escape(run.phase)} · ${escape(run.status)}</small></h1>
<p class="meta">Run <code>${escape(run.id)}</code> against <code>${escape(run.target)}</code><br>
${escape(run.started_at)} → ${escape(run.ended_at ?? '…')} (${fixed((run.duration_ms ?? 0) / 1000, 1)} s) ${tags}</p>
${run.error ? `<p class="bad">${escape(run.error)}</p>` : ''}
<h2>Endpoints</h2>
<table>
<thead><tr><th>Endpoint</th><th>Requests</th><th>RPS</th><th>Error rate</th><th>5xx</th><th>Timeouts</th><th>Transport</th><th>4xx</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr></thead>
<tbody>${endpointRows}</tbody>
</table>
<h2>Latency percentiles</h2>
<div class="charts">${charts}</div>
<h2>Data checks</h2>
<table>
<thead><tr><th>Check</th><th>Result</th><th>Violations</th><th>Checked</th><th></th></tr></thead>
<tbody>${checkRows}</tbody>
</table>
<h2>Load generator</h2>
<pre>${escape(JSON.stringify({ config: run.config, ledger: artifact.ledger, autocannon: artifact.autocannon }, null, 2))}</pre>
</body>
</html>
`;
}
