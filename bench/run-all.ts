/**
 * `pnpm bench`: every bench of this folder in its quick mode, one after the other (they would disturb each other),
 * each in a process of its own with a time limit. A bench reports its figures with reportRows() (bench-helpers.ts)
 * into bench/results/<bench>.json; this collects them, with each bench's exit code and duration, into
 * bench/results/latest.json, and rewrites the table between the markers in bench/README.md. A bench that does not
 * report yet is still run: its exit code is recorded.
 * Usage: cd bench && node --import tsx run-all.ts [--only rollups,http] [--full]
 *   --full runs each bench with its default (long) sizes instead of the quick ones.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { BenchReport, ReportedRow } from './bench-helpers.js';

/**
 * Each bench's quick arguments: small sizes and few rounds, so the whole run stays within about 15 minutes on two
 * cores. `--quick` is passed to every bench; the size flags are for benches that do not read it.
 */
const QUICK: Record<string, string[]> = {
  rollups: ['--quick'],
  'rollups-incremental': ['--quick'],
  'ingest-history': ['--quick'],
  'event-insert': ['--quick', '--rounds', '2', '--seconds', '3'],
  http: ['--quick', '--seconds', '3', '--connections', '50'],
  'assignment-cache': ['--quick', '--users', '5000', '--rounds', '3', '--seconds', '3'],
  'rate-limit-flood': ['--quick', '--seconds', '5', '--connections', '10'],
  sdk: ['--quick'],
};
/**
 * Longest a bench may run before it is stopped and recorded as timed out (the quick rollups, four jobs at two sizes,
 * take about 5 minutes on a busy machine).
 */
const TIME_LIMIT_MS = 9 * 60_000;

const here = new URL('./', import.meta.url).pathname;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]?.split(',') : undefined;
const full = process.argv.includes('--full');

/** The bench entry points: the files of this folder whose header documents a `Usage:` line. */
function benches(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && /^\s*\*\s*Usage\b/m.test(readFileSync(here + f, 'utf8')))
    .map((f) => f.slice(0, -3))
    .filter((name) => !only || only.includes(name))
    .sort();
}

interface BenchOutcome {
  bench: string;
  args: string[];
  /** Exit code; null when it was stopped (time limit or signal). */
  exit: number | null;
  seconds: number;
  timedOut: boolean;
  /** The rows it reported in this run, if it reports. */
  rows?: ReportedRow[];
  /** The last lines of its error output when it failed. */
  error?: string;
}

function run(bench: string, args: string[]): Promise<Omit<BenchOutcome, 'rows'>> {
  const started = performance.now();
  return new Promise((resolve) => {
    // A process group of its own, so a stuck bench is stopped with the servers it started.
    const child = spawn(process.execPath, ['--import', 'tsx', `${bench}.ts`, ...args], {
      cwd: here,
      stdio: ['ignore', 'inherit', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }, TIME_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const error = code === 0 ? undefined : stderr.trim().split('\n').slice(-5).join('\n');
      resolve({ bench, args, exit: code, seconds, timedOut, ...(error ? { error } : {}) });
    });
  });
}

/** The rows a bench reported since `since`, if it did. */
function reported(bench: string, since: number): ReportedRow[] | undefined {
  const file = `${here}results/${bench}.json`;
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  return Date.parse(report.at) >= since ? report.rows : undefined;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
const cell = (text: string) => text.replaceAll('|', '\\|');

/** The README table: one line per reported row, one per bench that reported nothing. */
function table(outcomes: BenchOutcome[], at: string): string {
  const lines = [
    `Last \`pnpm bench\`${full ? ' --full' : ' (quick sizes)'}: ${at}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end. Figures of one run; compare the ratios, not figures across runs.`,
    '',
    '| bench | what | ours | reference | unit | ratio | goal | reference is |',
    '| --- | --- | ---: | ---: | --- | ---: | --- | --- |',
  ];
  for (const o of outcomes) {
    if (!o.rows?.length) {
      const status = o.timedOut ? `stopped after ${o.seconds.toFixed(0)} s` : `exit ${o.exit}`;
      lines.push(`| ${o.bench} | (reports no rows yet: ${status}, ${o.seconds.toFixed(0)} s) | | | | | | |`);
      continue;
    }
    for (const r of o.rows) {
      const goal = r.goal ? `${r.ok ? '✓' : '✗'} ${r.goal}` : '';
      lines.push(
        `| ${o.bench} | ${cell(r.path)} | ${fmt(r.ours)} | ${fmt(r.reference)} | ${r.unit} | ${r.ratio.toFixed(2)} | ${goal} | ${cell(r.referenceLabel)} |`,
      );
    }
    if (o.exit !== 0) lines.push(`| ${o.bench} | (exit ${o.exit} after reporting) | | | | | | |`);
  }
  return lines.join('\n');
}

const START = '<!-- pnpm bench: start -->';
const END = '<!-- pnpm bench: end -->';

function updateReadme(text: string): void {
  const file = `${here}README.md`;
  const readme = readFileSync(file, 'utf8');
  const block = `${START}\n${text}\n${END}`;
  const updated =
    readme.includes(START) && readme.includes(END)
      ? readme.slice(0, readme.indexOf(START)) + block + readme.slice(readme.indexOf(END) + END.length)
      : `${readme.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, updated);
}

const at = new Date().toISOString();
const loadBefore = loadavg();
const outcomes: BenchOutcome[] = [];
for (const bench of benches()) {
  const args = full ? [] : (QUICK[bench] ?? ['--quick']);
  console.log(`\n=== ${bench} ${args.join(' ')}`);
  const since = Date.now();
  const outcome = await run(bench, args);
  const rows = reported(bench, since);
  outcomes.push({ ...outcome, ...(rows ? { rows } : {}) });
  console.log(
    `=== ${bench}: exit ${outcome.exit}${outcome.timedOut ? ' (time limit)' : ''}, ${outcome.seconds.toFixed(0)} s`,
  );
}

mkdirSync(`${here}results`, { recursive: true });
writeFileSync(
  `${here}results/latest.json`,
  `${JSON.stringify(
    {
      at,
      mode: full ? 'full' : 'quick',
      machine: { cores: cpus().length, loadBefore, loadAfter: loadavg(), node: process.version },
      benches: outcomes,
    },
    null,
    2,
  )}\n`,
);
const text = table(outcomes, at);
updateReadme(text);
console.log(`\n${text}`);
const failed = outcomes.filter((o) => o.exit !== 0);
if (failed.length) {
  console.error(`\n${failed.length} bench(es) failed: ${failed.map((o) => `${o.bench} (exit ${o.exit})`).join(', ')}`);
  process.exitCode = 1;
}
