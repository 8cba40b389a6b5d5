/**
 * Every publishable package as users get it: each one packed with `pnpm pack` (which runs its `prepack`), all the
 * tarballs installed together with npm into a fresh project (third-party dependencies from the registry, ours only
 * from the tarballs), then every entry of every `exports` map imported (and required where a `require` condition
 * exists), `calicritters --version` run from the installed bin, the server migrating an in-memory database, and a
 * TypeScript consumer checked with `nodenext` and `skipLibCheck: false`. Run apart from the CLI's other tests
 * (`pnpm --filter @ab-calicritters/cli test:pack`): it needs the network and packs the whole workspace once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const workspace = fileURLToPath(new URL('../../../', import.meta.url));
const tscBin = join(workspace, 'node_modules/typescript/bin/tsc');
// The pnpm running the tests (also when started through npx); a plain `pnpm` otherwise. Never npm: npm pack
// ignores publishConfig and leaves workspace: ranges in.
const execPath = /pnpm/.test(process.env.npm_execpath ?? '') ? process.env.npm_execpath! : 'pnpm';
const pnpm = /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath];
// npm must not pick up the settings pnpm exports to its scripts.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
// Entries made for browsers only: resolved and checked to exist, not evaluated in Node.
const browserOnly = new Set(['@ab-calicritters/dashboard/browser/abc-dashboard.js']);
// PGlite's declarations name Emscripten's globals without depending on their types; a consumer that checks
// libraries (skipLibCheck: false) needs them. The version the workspace has of the other type packages is used.
const emscriptenTypes = '1.41.6';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

let root = '';
let app = '';
let packages: Manifest[] = [];
let typeCheck: Promise<string> = Promise.resolve('not started');

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;
const installedDir = (name: string) => join(app, 'node_modules', name);
const failure = (error: unknown) => {
  const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
  return `${stdout}${stderr}` || String(error);
};

async function node(args: string[]): Promise<string> {
  try {
    return (await run(process.execPath, args, { cwd: app, env: cleanEnv, maxBuffer: 16 << 20 })).stdout.trim();
  } catch (error) {
    throw new Error(`node ${args.join(' ')} failed:\n${failure(error)}`, { cause: error });
  }
}

async function versionOf(name: string, from: string): Promise<string> {
  return (await readJson<Manifest>(join(workspace, from, 'node_modules', name, 'package.json'))).version;
}

const consumer = `
import Koa from 'koa';
import { assign, type AssignableExperiment } from '@ab-calicritters/core';
import cases from '@ab-calicritters/core/spec/assignment-cases.json' with { type: 'json' };
import { createAbRouter, createStorage, IN_MEMORY, type AbRouterOptions, type Storage } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { createClient, createMemoryStorage, type AbClient } from '@ab-calicritters/client';
import { createFileStorage } from '@ab-calicritters/client/node';
import { AbcDashboard } from '@ab-calicritters/dashboard';
import { createDashboardApi, type DashboardApi } from '@ab-calicritters/dashboard/api';
import { dashboardBundleUrl, renderDashboardPage } from '@ab-calicritters/dashboard/host';

const experiment: AssignableExperiment = { key: 'checkout', variants: [{ key: 'a', weight: 0.5 }, { key: 'b', weight: 0.5 }] };
const variant: string | null = assign(experiment, 'user-1');

const storage: Storage = await createStorage({ dataDir: IN_MEMORY, migrate: true });
const options: AbRouterOptions = { storage, adminToken: 'an-admin-token', prefix: '/ab' };
const router = createAbRouter(options);
new Koa().use(router.routes()).use(router.allowedMethods());
// @ts-expect-error storage is required
createAbRouter({ prefix: '/ab' });
const testDatabase: () => Promise<TestDatabase> = createTestStorage;

const client: AbClient = createClient({ baseUrl: 'http://localhost:3000', storage: createFileStorage('.state') });
// @ts-expect-error baseUrl is a string
createClient({ baseUrl: 1, storage: createMemoryStorage() });

const api: DashboardApi = createDashboardApi({ baseUrl: 'https://ab.example.com/ab', token: 'a-dashboard-token' });
const page: string = renderDashboardPage({ bundleUrl: '/dashboard/abc-dashboard.js' });
const bundle: URL = dashboardBundleUrl;
const element: typeof HTMLElement = AbcDashboard;
export { variant, cases, testDatabase, client, api, page, bundle, element };
`;

/** Starts tsc over the consumer; resolves to its complaints ('' when none). */
async function checkConsumer(): Promise<string> {
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        resolveJsonModule: true,
        types: ['node', 'emscripten'],
        lib: ['ES2022', 'DOM'],
      },
      files: ['consumer.mts'],
    }),
  );
  await writeFile(join(app, 'consumer.mts'), consumer);
  try {
    await run(process.execPath, [tscBin, '-p', 'tsconfig.json'], { cwd: app, maxBuffer: 16 << 20 });
    return '';
  } catch (error) {
    return failure(error);
  }
}

async function packAndInstall(): Promise<void> {
  root = await mkdtemp(join(tmpdir(), 'abcc-pack-all-'));
  app = join(root, 'app');
  await mkdir(app);
  const dirs = (await readdir(join(workspace, 'packages'))).map((dir) => join(workspace, 'packages', dir)).sort();
  const tarballs: Record<string, string> = {};
  for (const dir of dirs) {
    const pkg = await readJson<Manifest>(join(dir, 'package.json'));
    if (pkg.private) continue;
    packages.push(pkg);
    // One at a time: each prepack runs `tsc -b`, and builds of the same references must not overlap.
    const [command, ...args] = pnpm;
    try {
      await run(command!, [...args, 'pack', '--pack-destination', root], { cwd: dir, maxBuffer: 16 << 20 });
    } catch (error) {
      throw new Error(`pnpm pack of ${pkg.name} failed:\n${failure(error)}`, { cause: error });
    }
    const tarball = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
    assert.ok(existsSync(join(root, tarball)), `pnpm pack wrote ${tarball}`);
    tarballs[pkg.name] = `file:../${tarball}`;
  }
  packages = packages.sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'pack-install-all-app',
      private: true,
      type: 'module',
      dependencies: tarballs,
      devDependencies: {
        '@types/emscripten': emscriptenTypes,
        '@types/koa': await versionOf('@types/koa', 'packages/server'),
        '@types/node': await versionOf('@types/node', '.'),
      },
      // Our packages depend on each other by version, which the registry may not have (yet): take the tarballs.
      overrides: tarballs,
    }),
  );
  try {
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      env: cleanEnv,
    });
  } catch (error) {
    throw new Error(`npm install of the tarballs failed:\n${failure(error)}`, { cause: error });
  }
  // The slowest check runs beside the others; its test waits for it.
  typeCheck = checkConsumer();
}

test.before(async () => {
  try {
    await packAndInstall();
  } catch (error) {
    // uvu does not print what failed in a hook, only that no test passed.
    console.error(error);
    throw error;
  }
});

test.after(async () => {
  await typeCheck;
  await rm(root, { recursive: true, force: true });
});

test('every package is installed once, from its tarball, with no workspace: range left', async () => {
  assert.ok(packages.length >= 5, `packed ${packages.map((p) => p.name).join(', ')}`);
  for (const { name, version } of packages) {
    const installed = await readJson<Manifest>(join(installedDir(name), 'package.json'));
    assert.is(installed.version, version, name);
    for (const [dep, range] of Object.entries(installed.dependencies ?? {}))
      assert.not.match(range, /^workspace:/, `${name} depends on ${dep}@${range}`);
  }
  const lock = await readJson<{ packages: Record<string, { resolved?: string }> }>(join(app, 'package-lock.json'));
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = path.replace(/^.*node_modules\//, '');
    if (!packages.some((p) => p.name === name)) continue;
    assert.is(path, `node_modules/${name}`, `${name} is not nested anywhere`);
    assert.match(entry.resolved ?? '', /\.tgz$/, `${name} comes from its tarball`);
  }
});

test('every source map in the tarballs points to files the tarball holds', async () => {
  for (const { name } of packages) {
    const dir = installedDir(name);
    const maps = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.map'));
    for (const map of maps) {
      const { sources, sourcesContent } = await readJson<{ sources: string[]; sourcesContent?: unknown[] }>(
        join(dir, map),
      );
      // A bundle's map carries its sources inside.
      if (sourcesContent?.length === sources.length) continue;
      for (const source of sources) {
        const file = resolve(dirname(join(dir, map)), source);
        assert.ok(existsSync(file), `${name}/${map} names ${source}, which the tarball lacks`);
      }
    }
  }
});

/** Every path an exports value can lead to, whatever the conditions. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

test('every exports target exists, and types come first in each set of conditions', async () => {
  for (const { name } of packages) {
    const { exports = {} } = await readJson<Manifest>(join(installedDir(name), 'package.json'));
    for (const [entry, value] of Object.entries(exports)) {
      for (const target of targets(value))
        assert.ok(existsSync(join(installedDir(name), target)), `${name} "${entry}" → ${target}`);
      const conditionSets = [value, ...Object.values(value as object)].filter(
        (v): v is Record<string, unknown> => !!v && typeof v === 'object',
      );
      for (const conditions of conditionSets) {
        const keys = Object.keys(conditions);
        if (keys.includes('types')) assert.is(keys[0], 'types', `${name} "${entry}": types first`);
      }
    }
  }
});

// Runs in the installed project: imports (or requires) each entry and reports what failed.
const loadEveryEntry = `
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const require = createRequire(import.meta.url);
const [names, browserOnly] = JSON.parse(process.argv[2]);
const loaded = [], failed = [];
const hasRequire = (value) =>
  !!value && typeof value === 'object' && ('require' in value || Object.values(value).some(hasRequire));
for (const name of names) {
  const { exports = {} } = JSON.parse(readFileSync('node_modules/' + name + '/package.json', 'utf8'));
  for (const [entry, value] of Object.entries(exports)) {
    const specifier = entry === '.' ? name : name + entry.slice(1);
    const attempt = async (how, load) => {
      try { await load(); loaded.push(how + ' ' + specifier); }
      catch (error) { failed.push(how + ' ' + specifier + ': ' + (error && error.stack || error)); }
    };
    if (browserOnly.includes(specifier)) {
      await attempt('resolve', () => {
        if (!existsSync(fileURLToPath(import.meta.resolve(specifier)))) throw new Error('missing');
      });
      continue;
    }
    await attempt('import', () =>
      specifier.endsWith('.json') ? import(specifier, { with: { type: 'json' } }) : import(specifier));
    if (hasRequire(value)) await attempt('require', () => require(specifier));
  }
}
console.log(JSON.stringify({ loaded, failed }));
`;

test('import() (and require() where offered) loads every entry of every exports map', async () => {
  await writeFile(join(app, 'load-every-entry.mjs'), loadEveryEntry);
  const names = packages.map((p) => p.name);
  const { loaded, failed } = JSON.parse(
    await node(['load-every-entry.mjs', JSON.stringify([names, [...browserOnly]])]),
  ) as { loaded: string[]; failed: string[] };
  assert.equal(failed, [], failed.join('\n\n'));
  for (const name of names) assert.ok(loaded.includes(`import ${name}/package.json`), `${name} was loaded`);
  assert.ok(loaded.includes('import @ab-calicritters/server'), 'server main entry');
  assert.ok(loaded.includes('require @ab-calicritters/client'), 'client CommonJS entry');
});

test('calicritters --version prints the version of the installed CLI package', async () => {
  const { version, bin } = await readJson<Manifest>(join(installedDir('@ab-calicritters/cli'), 'package.json'));
  assert.ok(bin?.calicritters, 'the package declares the calicritters bin');
  assert.is(await node([join(app, 'node_modules/.bin/calicritters'), '--version']), version);
});

test('the installed server migrates an in-memory database and answers on a Koa app', async () => {
  const script = `
    import Koa from 'koa';
    import { once } from 'node:events';
    import { createAbRouter, createStorage, closeAbRouter, IN_MEMORY } from '@ab-calicritters/server';
    const storage = await createStorage({ dataDir: IN_MEMORY, migrate: true });
    const router = createAbRouter({ storage, prefix: '/ab' });
    const server = new Koa().use(router.routes()).use(router.allowedMethods()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = 'http://127.0.0.1:' + server.address().port + '/ab';
    const health = await fetch(base + '/health');
    const assignment = await fetch(base + '/v1/assignment', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 'u1' }),
    });
    console.log(JSON.stringify({ health: health.status, assignment: assignment.status, body: await assignment.json() }));
    server.close();
    await closeAbRouter(router);
    await storage.close();
  `;
  const out = JSON.parse(await node(['--input-type=module', '-e', script])) as Record<string, unknown>;
  assert.is(out.health, 200);
  assert.is(out.assignment, 200, JSON.stringify(out.body));
});

test('a TypeScript consumer (nodenext, skipLibCheck false) type-checks against every package', async () => {
  const complaints = await typeCheck;
  assert.is(complaints, '', `tsc failed:\n${complaints}`);
});

test.run();
