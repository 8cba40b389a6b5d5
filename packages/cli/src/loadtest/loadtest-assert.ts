/**
 * `calicritters loadtest assert`: gates on a stored run. Fails (exit 1, with a table of what was breached) when an
 * endpoint's error rate, p99 or throughput is out of bounds, a data check failed, or the run did not complete.
 */
import type { LoadTestRunDetail } from '@ab-calicritters/core';
import type { Storage } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { formatTable } from './format-report.js';
import { parsePhase, parseScenario } from './run-options.js';
import { resolveRun } from './resolve-run.js';

export interface LoadtestAssertOptions {
  /** The run to check (id or name); or give `scenario` and `phase` for the newest such run. */
  runId?: string;
  scenario?: string;
  phase?: string;
  /** Highest error rate per endpoint, 0..1 (default 0.01). */
  maxErrorRate?: number;
  /** Highest p99 latency per endpoint, in ms. */
  maxP99Ms?: number;
  /** Lowest throughput per endpoint, in requests per second. */
  minRps?: number;
}

export interface GateResult {
  gate: string;
  /** The endpoint or data check the gate looked at (`run` for the run itself). */
  subject: string;
  limit: string;
  observed: string;
  passed: boolean;
}

export interface LoadtestAssertResult {
  run: LoadTestRunDetail;
  gates: GateResult[];
  passed: boolean;
}

function nonNegative(name: string, value: number | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new CliError(`--${name} must be a number from 0${max === Infinity ? '' : ` to ${max}`} (got ${value})`, 2);
  }
  return value;
}

/** Evaluates every gate; pure, so it can be shown for a passing run too. */
function evaluateGates(
  run: LoadTestRunDetail,
  limits: { maxErrorRate: number; maxP99Ms?: number; minRps?: number },
): GateResult[] {
  const gates: GateResult[] = [
    { gate: 'status', subject: 'run', limit: 'completed', observed: run.status, passed: run.status === 'completed' },
    {
      gate: 'requests',
      subject: 'run',
      limit: '> 0',
      observed: String(run.endpoints.reduce((sum, e) => sum + e.requests, 0)),
      passed: run.endpoints.some((e) => e.requests > 0),
    },
  ];
  for (const e of run.endpoints) {
    gates.push({
      gate: 'error_rate',
      subject: e.endpoint,
      limit: `<= ${limits.maxErrorRate}`,
      observed: String(e.error_rate),
      passed: e.error_rate <= limits.maxErrorRate,
    });
    if (limits.maxP99Ms !== undefined) {
      gates.push({
        gate: 'p99_ms',
        subject: e.endpoint,
        limit: `<= ${limits.maxP99Ms}`,
        observed: String(e.latency_p99_ms),
        passed: e.latency_p99_ms <= limits.maxP99Ms,
      });
    }
    if (limits.minRps !== undefined) {
      gates.push({
        gate: 'rps',
        subject: e.endpoint,
        limit: `>= ${limits.minRps}`,
        observed: String(e.rps),
        passed: e.rps >= limits.minRps,
      });
    }
  }
  if (run.data_checks.length === 0) {
    gates.push({ gate: 'data_checks', subject: 'run', limit: 'stored', observed: 'none', passed: false });
  }
  for (const c of run.data_checks) {
    gates.push({
      gate: 'data_check',
      subject: c.name,
      limit: '0 violations',
      observed: `${c.violations} violations`,
      passed: c.passed,
    });
  }
  return gates;
}

/** A table of gates with their limit, what was observed and the result. */
export function formatGates(gates: readonly GateResult[]): string {
  return formatTable(
    ['GATE', 'SUBJECT', 'LIMIT', 'OBSERVED', 'RESULT'],
    gates.map((g) => [g.gate, g.subject, g.limit, g.observed, g.passed ? 'pass' : 'BREACH']),
  );
}

/**
 * Resolves the run and evaluates its gates; throws `CliError(…, 1)` listing the breaches.
 * @example await loadtestAssert(storage, { scenario: 'mixed', phase: 'post_mitigation', maxP99Ms: 250 });
 */
export async function loadtestAssert(storage: Storage, options: LoadtestAssertOptions): Promise<LoadtestAssertResult> {
  const maxErrorRate = nonNegative('max-error-rate', options.maxErrorRate ?? 0.01, 1) ?? 0.01;
  const maxP99Ms = nonNegative('max-p99-ms', options.maxP99Ms);
  const minRps = nonNegative('min-rps', options.minRps);
  let run: LoadTestRunDetail | null;
  if (options.runId !== undefined) {
    if (options.scenario !== undefined || options.phase !== undefined) {
      throw new CliError('give either --run-id or --scenario with --phase, not both', 2);
    }
    run = await resolveRun(storage, options.runId, '--run-id');
  } else {
    if (options.scenario === undefined || options.phase === undefined) {
      throw new CliError('give --run-id, or --scenario and --phase to check the newest such run', 2);
    }
    const scenario = parseScenario(options.scenario);
    const phase = parsePhase(options.phase);
    run = await storage.loadTests.latest({ scenario, phase });
    if (!run) throw new CliError(`no stored ${scenario} run in phase ${phase}`, 1);
  }

  const gates = evaluateGates(run, { maxErrorRate, maxP99Ms, minRps });
  const breached = gates.filter((g) => !g.passed);
  if (breached.length > 0) {
    throw new CliError(
      `load run ${run.name} (${run.id}) breached ${breached.length} gate(s):\n${formatGates(breached)}`,
      1,
    );
  }
  return { run, gates, passed: true };
}
