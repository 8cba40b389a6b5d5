#!/usr/bin/env node
/**
 * The whole test suite: builds, then runs every package's uvu tests. Storage tests run once against PostgreSQL
 * (a fresh database per test file) and once against embedded PGlite. Without a reachable PostgreSQL only the PGlite
 * pass runs, unless REQUIRE_POSTGRES=1 (CI). Test files are type-checked and everything is linted beside the tests.
 * Every step prints its wall time and the CPU time it used, a closing table lists them, and the last line is
 * `N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

// The pnpm running this script (also when started through npx), so children use the same one.
const execPath = process.env.npm_execpath;
const pnpm = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath || 'pnpm'];
const runPnpm = (args) => [pnpm[0], [...pnpm.slice(1), ...args]];

const pgUrl = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

/**
 * Packages, whether their tests touch storage (and so run on both databases), and their lane. The two lanes run side
 * by side: the server suite, the longest and mostly waiting (on PostgreSQL, servers and timers), alone; the other
 * suites one after the other. Nothing of one lane rebuilds what the other loads: the client's pack test rebuilds
 * only the client's bundles, which no server test loads, and packing every package waits for both lanes.
 */
const suites = [
  { dir: 'packages/core', storage: false, lane: 'main' },
  // Its passes run one after the other: its pack test rebuilds the package's own bundles (prepack) in place.
  { dir: 'packages/client', storage: true, sequential: true, lane: 'main' },
  { dir: 'packages/server', storage: true, lane: 'server' },
  { dir: 'packages/cli', storage: true, lane: 'main' },
  { dir: 'packages/dashboard', storage: false, browser: true, lane: 'main' },
  { dir: 'examples/koa-app', storage: true, lane: 'main' },
  // Every package packed, installed from its tarball and loaded: once, after the rest.
  { dir: 'packages/cli', storage: false, script: 'test:pack', lane: 'last' },
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
 * Runs a command through a small node parent that, once the command has ended, reads the CPU time of everything below
 * it (cutime + cstime of its own /proc/self/stat: the finished children it waited for, theirs included) and hands it
 * back on file descriptor 3. Against the wall time it tells a step busy computing from one waiting on servers, child
 * processes or a loaded machine; steps running side by side are each measured apart. Linux only: elsewhere it is
 * left out.
 */
const withCpu = `
import { spawn } from 'node:child_process';
import { readFileSync, writeSync } from 'node:fs';
const [command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('close', (code) => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    writeSync(3, String((Number(fields[13]) + Number(fields[14])) / 100));
  } catch {}
  process.exit(code ?? 1);
});
`;

/** Every step's name, wall and CPU seconds, for the closing table. */
const timings = [];

/**
 * Runs one step to its end and resolves its exit code and stdout. `buffered`: its output is held and printed whole
 * when it ends, headed by its name and times, so steps running at the same time do not interleave their lines;
 * otherwise it streams, and its times follow it.
 */
function runStep(name, command, args, { cwd, env, buffered = false, print = true } = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    if (!buffered) process.stdout.write(`\n── ${name}\n`);
    const child = spawn(process.execPath, ['--input-type=module', '-e', withCpu, command, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', buffered ? 'pipe' : 'inherit', 'pipe'],
    });
    let out = '';
    let err = '';
    let cpu = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!buffered) process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk) => (err += chunk));
    child.stdio[3].on('data', (chunk) => (cpu += chunk));
    child.on('close', (code) => {
      const wall = Math.round((performance.now() - start) / 1000);
      const cpuSeconds = cpu === '' ? undefined : Math.round(Number(cpu));
      timings.push({ name, wall, cpu: cpuSeconds });
      const took = `── ${name} ${wall} s${cpuSeconds === undefined ? '' : ` (${cpuSeconds} s CPU)`}\n`;
      const report = buffered ? `\n${took}${out}${err}` : took;
      if (print) process.stdout.write(report);
      resolve({ code, out, report });
    });
  });
}

/** One pass of a suite; resolves its passed and failed counts from uvu's totals. */
async function runSuite(dir, env, label, script = 'test', buffered = false) {
  const name = `${dir}${script === 'test' ? '' : ` ${script}`}${label ? ` [${label}]` : ''}`;
  const { code, out } = await runStep(name, ...runPnpm(['--silent', 'run', script]), { cwd: dir, env, buffered });
  const num = (name) =>
    [...out.matchAll(new RegExp(`${name}:\\s+(\\d+)`, 'g'))].reduce((sum, m) => sum + Number(m[1]), 0);
  const total = num('Total');
  const passed = num('Passed');
  // uvu's Total counts only tests that ran; skipped ones are reported apart.
  let failed = total - passed;
  // A crash before uvu printed its totals still has to count as a failure.
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

const startedAt = performance.now();
const build = await runStep('build', ...runPnpm(['run', 'build']));
if (build.code !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

// The test type-check (tsx only strips types), ESLint, Prettier's check and knip (pnpm lint runs the last three),
// each counted as one failure. They need only the build and each keeps one core busy for up to a minute, while the
// suites below spend much of their time waiting on servers and child processes: so they run one after the other
// beside the suites, and their reports are printed at the end.
const checks = [
  [
    'type-check of the tests',
    'node_modules/typescript/bin/tsc',
    ['-p', 'tsconfig.tests.json'],
    'tsc -p tsconfig.tests.json',
  ],
  ['ESLint', 'node_modules/eslint/bin/eslint.js', ['.'], 'pnpm lint'],
  [
    'Prettier',
    'node_modules/prettier/bin/prettier.cjs',
    ['--check', '.', '--log-level', 'warn'],
    'pnpm format fixes it',
  ],
  ['knip', 'node_modules/knip/bin/knip.js', ['--no-progress'], 'pnpm lint'],
];
const checksDone = (async () => {
  let failures = 0;
  let reports = '';
  for (const [name, bin, args, hint] of checks) {
    const { code, report } = await runStep(name, process.execPath, [bin, ...args], { buffered: true, print: false });
    reports += report;
    if (code !== 0) {
      failures++;
      reports += `${name} found problems (${hint}): counted as 1 failure.\n`;
    }
  }
  return { failures, reports };
})();

const hasPostgres = await postgresReachable();
if (!hasPostgres) {
  if (process.env.REQUIRE_POSTGRES === '1') {
    console.error(`PostgreSQL is not reachable at ${pgUrl.host} and REQUIRE_POSTGRES=1`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`PostgreSQL is not reachable at ${pgUrl.host}: storage tests run on embedded PGlite only.`);
}

// The endpoint fuzzing runs a third of its usual 3000 cases here, on each database: the long runs are `pnpm test:fuzz`
// and FUZZ_RUNS=3000 after a change to a route or to body handling (CONTRIBUTING.md).
const fuzzRuns = { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '1000' };
let passed = 0;
let failed = 0;
const suitesStart = performance.now();
/** Runs a lane's suites one after the other. Every pass's output is held and printed whole when it ends. */
async function runLane(lane) {
  for (const suite of suites.filter((s) => s.lane === lane)) {
    const passes = suite.storage ? [...(hasPostgres ? ['postgresql'] : []), 'pglite'] : [undefined];
    // A storage suite's two passes run side by side too: they share nothing (a fresh PostgreSQL database or a PGlite
    // per test file, ephemeral ports, tagged Redis keys) and spend much of their time waiting on servers and child
    // processes, so together they take little longer than the slower one alone.
    const pass = (db) => runSuite(suite.dir, { ...fuzzRuns, ...(db && { TEST_DB: db }) }, db, suite.script, true);
    const results = [];
    if (suite.sequential || passes.length === 1) for (const db of passes) results.push(await pass(db));
    else results.push(...(await Promise.all(passes.map((db) => pass(db)))));
    for (const result of results) {
      passed += result.passed;
      failed += result.failed;
    }
  }
}
await Promise.all([runLane('server'), runLane('main')]);
await runLane('last');
timings.push({ name: 'all suites', wall: Math.round((performance.now() - suitesStart) / 1000) });

const { failures, reports } = await checksDone;
process.stdout.write(reports);
failed += failures;

// Longest first. CPU well under wall: the step mostly waited (servers, child processes, other load on the machine).
console.log('\nwall s   CPU s  step');
for (const { name, wall, cpu } of [...timings].sort((a, b) => b.wall - a.wall)) {
  console.log(`${String(wall).padStart(6)}  ${String(cpu ?? '').padStart(6)}  ${name}`);
}
console.log(`${String(Math.round((performance.now() - startedAt) / 1000)).padStart(6)}          in all`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
