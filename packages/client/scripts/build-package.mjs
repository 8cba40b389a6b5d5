#!/usr/bin/env node
/**
 * Builds what the package ships from `src/` and the declarations `tsc -b` wrote to `dist/`: `dist/esm` (ES modules)
 * and `dist/cjs` (CommonJS, marked by its own package.json), each with `index.js` and `node/index.js` bundled by
 * esbuild with core inside, and a copy of the declarations without their maps. The tarball holds only these two
 * folders and needs no other package at run time or for its types. `prepack` runs this after `tsc -b`; inside the
 * workspace the package resolves to tsc's own output in `dist/` (`publishConfig` in package.json switches).
 */
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = [
  { source: 'src/index.ts', out: 'index.js', platform: 'neutral' },
  { source: 'src/node/index.ts', out: 'node/index.js', platform: 'node' },
];
// Declarations must not name another package: the tarball is installed alone.
const foreignImport = /(?:from\s+|import\(\s*)['"](?!\.)([^'"]+)['"]/;

async function declarationFiles(dir, prefix = '') {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await declarationFiles(join(dir, entry.name), path)));
    else if (entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

const dist = join(root, 'dist');
const formats = ['esm', 'cjs'];
await Promise.all(formats.map((format) => rm(join(dist, format), { recursive: true, force: true })));
const declarations = (await declarationFiles(dist)).filter((file) => !formats.some((f) => file.startsWith(`${f}/`)));
for (const format of formats) {
  const out = join(dist, format);
  for (const entry of entries) {
    await build({
      entryPoints: [join(root, entry.source)],
      outfile: join(out, entry.out),
      bundle: true,
      format,
      platform: entry.platform,
      target: 'es2022',
      // Readable code, no source maps: the sources are not shipped.
      minify: false,
      sourcemap: false,
      logLevel: 'warning',
    });
  }
  for (const file of declarations) {
    const text = (await readFile(join(dist, file), 'utf8')).replace(/^\/\/# sourceMappingURL=.*\n?/m, '');
    const foreign = text.match(foreignImport);
    if (foreign) throw new Error(`build-package: dist/${file} imports ${foreign[1]}, which the tarball does not hold`);
    await mkdir(dirname(join(out, file)), { recursive: true });
    await writeFile(join(out, file), text);
  }
}
await writeFile(join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
console.log(`@ab-calicritters/client: dist/esm and dist/cjs built (${declarations.length} declaration files each)`);
