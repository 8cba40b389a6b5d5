/**
 * The package as a user gets it: `pnpm pack` (which runs `prepack`, the bundled build) into a temporary folder, that
 * one tarball installed with npm into a fresh project without the registry, then required, imported and
 * type-checked the ways apps do (CommonJS and ESM; TypeScript with `node10` and with `nodenext` resolution).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tscBin = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
// The pnpm running the tests (also when started through npx); a plain `pnpm` otherwise.
const execPath = process.env.npm_execpath;
const pnpm = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath || 'pnpm'];
// npm must not pick up the settings pnpm exports to its scripts.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

let root = '';
let app = '';

async function node(args: string[]): Promise<string> {
  return (await run(process.execPath, args, { cwd: app, env: cleanEnv })).stdout.trim();
}

async function tsc(config: object, files: Record<string, string>): Promise<void> {
  await writeFile(join(app, 'tsconfig.json'), JSON.stringify(config));
  for (const [name, text] of Object.entries(files)) await writeFile(join(app, name), text);
  try {
    await run(process.execPath, [tscBin, '-p', 'tsconfig.json'], { cwd: app });
  } catch (error) {
    assert.unreachable(`tsc failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
}

const strictChecks = { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['ES2022'] };
const usage = (from: string) => `
import { createClient, createMemoryStorage, type AbClient, type TargetedExperiment } from '@ab-calicritters/client';
import { createFileStorage } from '@ab-calicritters/client/node';
const definitions: TargetedExperiment[] = [{ key: 'x', variants: [{ key: 'a', weight: 1, value: { n: 1 } }], condition: { n: 1 } }];
const client: AbClient = createClient({ baseUrl: 'http://localhost:3000', storage: createFileStorage('.state'), definitions });
const variant: string | null = client.getVariant('checkout_${from}');
const title: string = client.getVariantValue('checkout_${from}', { title: 'fallback' }).title;
const reason: 'assigned' | string = client.getAssignment('x').reason;
// @ts-expect-error baseUrl is a string
createClient({ baseUrl: 1, storage: createMemoryStorage() });
export { variant, title, reason };
`;
// Runs core's evaluateExperiment() from inside the bundle: a bootstrapped experiment gives a variant offline, and a
// targeting condition excludes a user whose attributes do not match.
const smoke = `
  const variants = [{ key: 'a', weight: 0.5 }, { key: 'b', weight: 0.5 }];
  const client = sdk.createClient({
    baseUrl: 'http://127.0.0.1:9', userId: 'u1', autoRefresh: false, storage: sdk.createMemoryStorage(),
    fetch: async () => { throw new Error('offline'); }, attributes: { country: 'US' },
    bootstrap: [{ key: 'exp', variants }, { key: 'ca', variants, condition: { country: 'CA' } }],
  });
  if (typeof node.createFileStorage !== 'function') throw new Error('no createFileStorage');
  client.ready.then(() => {
    console.log(client.getVariant('exp'), client.getAssignment('ca').reason);
    return client.shutdown(100);
  });
`;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'abcc-pack-'));
  app = join(root, 'app');
  await mkdir(app);
  const [command, ...args] = pnpm;
  await run(command!, [...args, 'pack', '--pack-destination', root], { cwd: packageDir });
  const tarball = (await readdir(root)).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'pnpm pack wrote a tarball');
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'pack-install-app', private: true }));
  // --offline: a tarball that still needed another package (core) would fail here.
  await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(root, 'npm-cache'), join(root, tarball)],
    { cwd: app, env: cleanEnv },
  );
});

test.after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('the tarball needs no other package and ships no source maps', async () => {
  const pkg = JSON.parse(await node(['-p', "JSON.stringify(require('@ab-calicritters/client/package.json'))"]));
  assert.equal(pkg.dependencies ?? {}, {});
  const files = await readdir(join(app, 'node_modules/@ab-calicritters/client/dist'), { recursive: true });
  assert.not.ok(
    files.some((f) => f.endsWith('.map')),
    'no .map files',
  );
});

test('require() loads the CommonJS build, both entries', async () => {
  const out = await node([
    '-e',
    `const sdk = require('@ab-calicritters/client'); const node = require('@ab-calicritters/client/node');${smoke}`,
  ]);
  assert.match(out, /^(a|b) not_targeted$/);
});

test('import() loads the ES module build, both entries', async () => {
  const out = await node([
    '--input-type=module',
    '-e',
    `const sdk = await import('@ab-calicritters/client'); const node = await import('@ab-calicritters/client/node');${smoke}`,
  ]);
  assert.match(out, /^(a|b) not_targeted$/);
});

test('TypeScript with moduleResolution node10 finds the types of both entries', async () => {
  await tsc(
    { compilerOptions: { ...strictChecks, module: 'commonjs', moduleResolution: 'node10' }, files: ['app.ts'] },
    { 'app.ts': usage('node10') },
  );
});

test('TypeScript with nodenext checks both entries from CommonJS and from ESM', async () => {
  await tsc(
    {
      compilerOptions: { ...strictChecks, module: 'nodenext', moduleResolution: 'nodenext' },
      files: ['app.ts', 'esm.mts'],
    },
    { 'app.ts': usage('cjs'), 'esm.mts': usage('esm') },
  );
});

test.run();
