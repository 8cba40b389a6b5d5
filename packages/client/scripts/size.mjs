// Bundle the browser/React Native entry as an app would ship it (minified ESM, core inlined), gzip it, and fail
// past the budget. Run after `tsc -b`: core is resolved through its package exports, i.e. its dist.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

// 7 KB since track() applies the server's storable-text rules from core (about 0.6 KB gzipped); 11 KB since the
// client evaluates targeting rules locally with core's evaluateExperiment() (conditions, namespaces, holdouts: about
// 2.1 KB gzipped) and reads payloads, attributes and query-string overrides (about 1.1 KB); 12 KB since getVariant()
// remembers reads and looks exposures up by user and experiment, and track() serialises once and writes once per
// turn (about 1.1 KB).
const BUDGET_BYTES = 12 * 1024;

const result = await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const inputs = Object.keys(result.metafile.inputs);
if (inputs.some((path) => path.startsWith('node:'))) {
  console.error('size: the browser bundle pulls a node: module');
  process.exit(1);
}
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
console.log(
  `@ab-calicritters/client: ${kb(code.length)} minified, ${kb(gzipped)} minified+gzipped (budget ${kb(BUDGET_BYTES)})`,
);
if (gzipped > BUDGET_BYTES) {
  console.error(`size: over budget by ${gzipped - BUDGET_BYTES} bytes`);
  process.exit(1);
}
