/** Shared bench plumbing: a fresh PostgreSQL database, timing, and the ratio table every bench prints. */
import { createTestStorage } from '@ab-calicritters/server/testing';
import pg from 'pg';

type BenchStorage = Awaited<ReturnType<typeof createTestStorage>>['storage'];

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

/** The definitions every bench runs against: two running experiments (two and three arms) and the core funnel. */
export async function defineBenchExperiments(storage: BenchStorage, { funnel = true } = {}): Promise<void> {
  if (funnel)
    await storage.funnels.create({
      name: 'core_journey',
      steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
      conversion_window_hours: 72,
    });
  await storage.experiments.create({
    key: 'onboarding_flow',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  });
  await storage.experiments.create({
    key: 'paywall_copy',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
  });
}
