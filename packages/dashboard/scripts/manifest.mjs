#!/usr/bin/env node
/**
 * Generates `custom-elements.json`, the Custom Elements Manifest of every `abc-*` element, with
 * @custom-elements-manifest/analyzer as set up in custom-elements-manifest.config.mjs. `pnpm bundle` and
 * `pnpm build` run it after the browser bundle; tests call it without writing.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST_FILE = `${root}custom-elements.json`;

/**
 * Analyzes `src/` and returns the manifest; with `write` (the default) also writes it to {@link MANIFEST_FILE}.
 * Fails when the config does not load or no element is found.
 * @param {{ write?: boolean }} [options]
 */
export async function generateManifest({ write = true } = {}) {
  // The analyzer goes on with its defaults when its config fails to load; loading it here first fails loudly instead.
  await import('../custom-elements-manifest.config.mjs');
  const manifest = await cli({ argv: ['analyze', '--quiet'], cwd: root, noWrite: true });
  const tags =
    manifest?.modules
      ?.flatMap((m) => m.declarations ?? [])
      .filter((d) => d.tagName)
      .map((d) => d.tagName) ?? [];
  if (tags.length === 0)
    throw new Error(
      'custom-elements.json: the analyzer found no custom elements (see custom-elements-manifest.config.mjs)',
    );
  if (write) writeFileSync(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const manifest = await generateManifest();
  const tags = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.tagName)
    .map((d) => `<${d.tagName}>`);
  console.log(`custom elements manifest: ${MANIFEST_FILE.slice(root.length)} (${tags.join(', ')})`);
}
