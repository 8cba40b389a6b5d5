#!/usr/bin/env node
/**
 * Builds the one self-contained browser bundle, `dist/browser/abc-dashboard.js` (ES module, lit and chart.js
 * inside), from the TypeScript sources. Importable: tests and the screenshot script bundle in memory with it.
 * Run as a script it also writes `custom-elements.json` (scripts/manifest.mjs).
 */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateManifest, MANIFEST_FILE } from './manifest.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_FILE = `${root}dist/browser/abc-dashboard.js`;

/**
 * Bundles `src/index.ts`. With `write: false` the code comes back as text instead of a file.
 * @param {{ outfile?: string, write?: boolean, minify?: boolean }} [options]
 * @returns {Promise<string | undefined>} the code when `write` is false
 */
export async function bundleDashboard({ outfile = BUNDLE_FILE, write = true, minify = true } = {}) {
  const result = await build({
    entryPoints: [`${root}src/index.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify,
    sourcemap: write ? 'linked' : false,
    legalComments: 'eof',
    outfile,
    write,
    logLevel: 'warning',
  });
  return write ? undefined : result.outputFiles?.find((f) => f.path.endsWith('.js'))?.text;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleDashboard();
  console.log(
    `dashboard bundle: ${BUNDLE_FILE.slice(root.length)} (${(statSync(BUNDLE_FILE).size / 1024).toFixed(0)} KiB)`,
  );
  await generateManifest();
  console.log(`custom elements manifest: ${MANIFEST_FILE.slice(root.length)}`);
}
