/**
 * Shared bench plumbing: a fresh PostgreSQL database, timing, the ratio table every bench prints, and the result
 * rows each bench reports for `pnpm bench` (bench/results/<bench>.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createTestStorage } from '@ab-calicritters/server/testing';
import pg from 'pg';

/** The storage of a bench database (the server's storage interface). */
export type BenchStorage = Awaited<ReturnType<typeof createTestStorage>>['storage'];

export async function freshDatabase() {
  const db = await createTestStorage();
  if (!db.url) throw new Error('benchmarks need PostgreSQL (unset TEST_DB=pglite)');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    db,
    client,
    async close() {
      await client.end();
      await db.close();
    },
  };
}

/** The median; of an even count, the mean of the middle two. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median wall time of `runs` runs, in ms. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export interface BenchRow {
  name: string;
  ours: number;
  limit: number;
  limitLabel: string;
  target?: number;
}

export function printTable(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  console.log('what'.padEnd(34) + 'ours (ms)'.padStart(11) + 'limit (ms)'.padStart(12) + '  ratio   limit is');
  for (const r of rows) {
    const ratio = r.ours / r.limit;
    const verdict = r.target === undefined ? '' : ratio <= r.target ? `  ✓ ≤ ${r.target}×` : `  ✗ > ${r.target}×`;
    console.log(
      `${r.name.padEnd(34)}${r.ours.toFixed(0).padStart(11)}${r.limit.toFixed(0).padStart(12)}  ${ratio.toFixed(2)}×${verdict}   ${r.limitLabel}`,
    );
  }
}

/** The two running experiments every bench defines (the seed's first two), as the admin API takes them. */
export const BENCH_EXPERIMENTS = [
  {
    key: 'onboarding_flow',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  },
  {
    key: 'paywall_copy',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
  },
] as const;

/** The definitions every bench runs against: the experiments above and the core funnel, stored directly. */
export async function defineBenchExperiments(storage: BenchStorage, { funnel = true } = {}): Promise<void> {
  if (funnel)
    await storage.funnels.create({
      name: 'core_journey',
      steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
      conversion_window_hours: 72,
    });
  for (const { variants, ...experiment } of BENCH_EXPERIMENTS)
    await storage.experiments.create({ ...experiment, variants: variants.map((v) => ({ ...v })) });
}

/** A goal on a result's ratio (ours / reference): at most or at least this much. */
export type RatioGoal = `≤ ${number}` | `≥ ${number}`;

/**
 * One figure of a bench, as `pnpm bench` collects it: ours next to the reference it is compared with, measured in
 * the same run.
 */
export interface ResultRow {
  /** What was measured: an HTTP path, a statement or a job (`POST /v1/events`, `rollup experiments, 1M events`). */
  path: string;
  ours: number;
  reference: number;
  /** Unit of `ours` and `reference` (`ms`, `req/s`, `events/s`). */
  unit: string;
  /** What the reference is (`one hand-written SELECT, same rows`). */
  referenceLabel: string;
  /** ours / reference; pass it when it is a median of per-round (paired) ratios, else it is computed. */
  ratio?: number;
  goal?: RatioGoal;
  /** Anything a reader needs next to the figure: CPU per request, rounds, what the goal means. */
  note?: string;
}

/** A reported row with its ratio and whether it meets its goal. */
export interface ReportedRow extends ResultRow {
  ratio: number;
  /** Absent when the row has no goal. */
  ok?: boolean;
}

/** What bench/results/<bench>.json holds. */
export interface BenchReport {
  bench: string;
  /** ISO time the report was written. */
  at: string;
  /** The bench's command line arguments. */
  args: string[];
  rows: ReportedRow[];
}

/** Whether a ratio meets a goal. */
export function meetsGoal(ratio: number, goal: RatioGoal): boolean {
  const bound = Number(goal.slice(2));
  return goal.startsWith('≤') ? ratio <= bound : ratio >= bound;
}

/**
 * Writes a bench's result rows to bench/results/<bench>.json (or `$BENCH_RESULTS_DIR`), where `pnpm bench` collects
 * them into bench/results/latest.json and the README table. Call it once at the end of a bench, with every row.
 * @example reportRows('event-insert', [{ path: 'POST /v1/events statement', ours: 1817, reference: 1450, unit: 'ms',
 *   referenceLabel: 'hand-written INSERT … SELECT', goal: '≤ 1.15' }]);
 */
export function reportRows(bench: string, rows: ResultRow[]): BenchReport {
  const reported = rows.map((row): ReportedRow => {
    const ratio = row.ratio ?? row.ours / row.reference;
    return { ...row, ratio, ...(row.goal ? { ok: meetsGoal(ratio, row.goal) } : {}) };
  });
  const report: BenchReport = { bench, at: new Date().toISOString(), args: process.argv.slice(2), rows: reported };
  const dir = process.env.BENCH_RESULTS_DIR ?? new URL('./results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir.replace(/\/$/, '')}/${bench}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/**
 * Prints result rows as a table: ours, the reference, the ratio (paired when the bench gave one), the goal's verdict,
 * what the reference is, and the note under each row.
 */
export function printResultRows(title: string, rows: ResultRow[]): void {
  console.log(`\n${title}`);
  const width = Math.max(34, ...rows.map((r) => r.path.length + 2));
  console.log(
    `${'what'.padEnd(width)}${'ours'.padStart(10)}${'reference'.padStart(11)}  unit   ratio  goal        reference is`,
  );
  for (const r of rows) {
    const ratio = r.ratio ?? r.ours / r.reference;
    const verdict = r.goal ? `${meetsGoal(ratio, r.goal) ? '✓' : '✗'} ${r.goal}` : '';
    console.log(
      `${r.path.padEnd(width)}${r.ours.toFixed(0).padStart(10)}${r.reference.toFixed(0).padStart(11)}  ${r.unit.padEnd(5)}${ratio.toFixed(2).padStart(7)}  ${verdict.padEnd(10)}  ${r.referenceLabel}`,
    );
    if (r.note) console.log(`${''.padEnd(width)}  ${r.note}`);
  }
}

/**
 * Gives users `u-0` … `u-(users − 1)` a sticky row in every experiment (variants in turn), then analyses the table:
 * the returning users of the HTTP benches.
 */
export async function storeReturningUsers(client: pg.Client, users: number): Promise<void> {
  await client.query(
    `insert into assignments (experiment_id, user_id, variant)
     select e.id, 'u-' || g, (e.variants -> (g % jsonb_array_length(e.variants)) ->> 'key')
       from experiments e, generate_series(0, $1 - 1) g`,
    [users],
  );
  await client.query('vacuum analyze assignments');
}
