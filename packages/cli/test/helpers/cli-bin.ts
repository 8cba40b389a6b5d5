/**
 * How the tests start `calicritters` in a child process: the built `dist/bin.js` when the build is current, as users
 * run it, which spares every child about a second and a half of CPU compiling the sources through tsx (the CLI tests
 * start a few hundred); otherwise the sources through tsx, so a test run after an edit without a build still runs the
 * code as edited.
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** True when every source file has its compiled file in dist, written after the source was last changed. */
function buildIsCurrent(): boolean {
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const source = `${entry.parentPath}/${entry.name}`;
    const compiled = `${dist}${source.slice(src.length, -'.ts'.length)}.js`;
    try {
      if (statSync(compiled).mtimeMs < statSync(source).mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Node's arguments that run the CLI; the command's own arguments follow. */
export const cliNodeArgs: readonly string[] = buildIsCurrent()
  ? [`${dist}bin.js`]
  : ['--import', 'tsx', `${src}bin.ts`];
