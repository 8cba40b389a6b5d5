#!/usr/bin/env node
/**
 * The whole test suite: builds, then runs every package's uvu tests. Storage tests run once against PostgreSQL
 * (a fresh database per test file) and once against embedded PGlite. Without a reachable PostgreSQL only the PGlite
 * pass runs, unless REQUIRE_POSTGRES=1 (CI). Test files are type-checked and everything is linted first. Ends with one
 * line: `N passed, N failed`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

// The pnpm running this script (also when started through npx), so children use the same one.
const execPath = process.env.npm_execpath;
const pnpm = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath || 'pnpm'];
const runPnpm = (args) => [pnpm[0], [...pnpm.slice(1), ...args]];

const pgUrl = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

/** Packages and whether their tests touch storage (and so run on both databases). */
const suites = [
  { dir: 'packages/core', storage: false },
  // Its passes run one after the other: its pack test rebuilds the package's own bundles (prepack) in place.
  { dir: 'packages/client', storage: true, sequential: true },
  { dir: 'packages/server', storage: true },
  { dir: 'packages/cli', storage: true },
  { dir: 'packages/dashboard', storage: false, browser: true },
  { dir: 'examples/koa-app', storage: true },
  // Every package packed, installed from its tarball and loaded: once, after the rest.
  { dir: 'packages/cli', storage: false, script: 'test:pack' },
].filter(
  (s) =>
    existsSync(`${s.dir}/package.json`) &&
    JSON.parse(readFileSync(`${s.dir}/package.json`, 'utf8')).scripts?.[s.script ?? 'test'],
);

function postgresReachable() {
  return new Promise((resolve) => {
    const socket = connect(Number(pgUrl.port || 5432), pgUrl.hostname);
    socket.setTimeout(1500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs one pass of a suite. `buffered`: its output is held and printed whole when it ends, so two passes running at the
 * same time do not interleave their lines.
 */
function runSuite(dir, env, label, script = 'test', buffered = false) {
  return new Promise((resolve) => {
    const header = `\n── ${dir}${script === 'test' ? '' : ` ${script}`}${label ? ` [${label}]` : ''}\n`;
    if (!buffered) process.stdout.write(header);
    const [command, args] = runPnpm(['--silent', 'run', script]);
    const child = spawn(command, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', buffered ? 'pipe' : 'inherit'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!buffered) process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) => {
      if (buffered) {
        process.stdout.write(header + out);
        process.stderr.write(err);
      }
      const num = (name) =>
        [...out.matchAll(new RegExp(`${name}:\\s+(\\d+)`, 'g'))].reduce((sum, m) => sum + Number(m[1]), 0);
      const total = num('Total');
      const passed = num('Passed');
      // uvu's Total counts only tests that ran; skipped ones are reported apart.
      let failed = total - passed;
      // A crash before uvu printed its totals still has to count as a failure.
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ passed, failed });
    });
  });
}

const build = spawnSync(...runPnpm(['run', 'build']), { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

// Tests run through tsx, which strips types without checking them: check them once here.
const typecheck = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.tests.json'], {
  stdio: 'inherit',
});
const typecheckFailures = typecheck.status === 0 ? 0 : 1;
if (typecheckFailures) console.log('\nType errors in the tests (tsc -p tsconfig.tests.json): counted as 1 failure.');

// Lint, format and unused-export checks, each counted as one failure (pnpm lint runs the same three).
const lintSteps = [
  ['ESLint', 'node_modules/eslint/bin/eslint.js', ['.']],
  ['Prettier', 'node_modules/prettier/bin/prettier.cjs', ['--check', '.', '--log-level', 'warn']],
  ['knip', 'node_modules/knip/bin/knip.js', ['--no-progress']],
];
let lintFailures = 0;
for (const [name, bin, args] of lintSteps) {
  process.stdout.write(`\n── ${name}\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    lintFailures++;
    console.log(`${name} found problems (pnpm lint; pnpm format fixes the formatting): counted as 1 failure.`);
  }
}

const hasPostgres = await postgresReachable();
if (!hasPostgres) {
  if (process.env.REQUIRE_POSTGRES === '1') {
    console.error(`PostgreSQL is not reachable at ${pgUrl.host} and REQUIRE_POSTGRES=1`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`PostgreSQL is not reachable at ${pgUrl.host}: storage tests run on embedded PGlite only.`);
}

let passed = 0;
let failed = typecheckFailures + lintFailures;
for (const suite of suites) {
  const passes = suite.storage ? [...(hasPostgres ? ['postgresql'] : []), 'pglite'] : [undefined];
  // A storage suite's two passes run side by side: they share nothing (a fresh PostgreSQL database or a PGlite per
  // test file, ephemeral ports, tagged Redis keys) and spend much of their time waiting on servers and child
  // processes, so together they take little longer than the slower one alone.
  const pass = (db, buffered) => runSuite(suite.dir, db ? { TEST_DB: db } : {}, db, suite.script, buffered);
  const results = [];
  if (suite.sequential || passes.length === 1) for (const db of passes) results.push(await pass(db, false));
  else results.push(...(await Promise.all(passes.map((db) => pass(db, true)))));
  for (const result of results) {
    passed += result.passed;
    failed += result.failed;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
