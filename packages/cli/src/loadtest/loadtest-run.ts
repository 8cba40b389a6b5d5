/**
 * `calicritters loadtest run`: drive a scenario against a server on this machine, then store the run, its
 * per-endpoint metrics and its data checks, and write JSON and HTML artifacts. The server must use the same
 * PostgreSQL database as this command: the checks read the rows the run's requests wrote.
 */
import type { LoadTestRunDetail } from '@ab-calicritters/core';
import { runLoadTestChecks, type Storage } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import type { DatabaseConfig } from '../config.js';
import { artifactPaths, DEFAULT_ARTIFACTS_DIR, writeArtifacts, type ArtifactPaths } from './artifacts.js';
import { driveLoad, type DriveResult } from './drive-load.js';
import { createEndpointRecorder } from './endpoint-recorder.js';
import { createProgress } from './progress.js';
import { createRunLedger } from './run-ledger.js';
import {
  MAX_CONNECTIONS,
  parseDuration,
  parseIntegerOption,
  parsePhase,
  parseRunName,
  parseScenario,
  parseTags,
  parseTarget,
} from './run-options.js';
import { createScenario, createUserPool, runUserPrefix } from './scenarios/index.js';

export interface LoadtestRunOptions {
  scenario: string;
  phase: string;
  /** Base URL of the server, on a loopback address, e.g. `http://localhost:3000`. */
  target: string;
  runName: string;
  /** `key=value` pairs stored with the run. */
  tags?: string[];
  /** `30s`, `2m`, `1500ms` or seconds (default 30 s, at most 5 min). */
  duration?: string | number;
  /** Concurrent connections (default 50). */
  connections?: number;
  /** Requests per second over all connections (default: unlimited). */
  rate?: number;
  /** Seconds before a request counts as timed out (default 10). */
  timeoutSeconds?: number;
  /** Where artifacts go (default `artifacts/load-tests`). */
  artifactsDir?: string;
  /** Draw a progress bar on stderr (the CLI turns it on for terminals). */
  progress?: boolean;
  /** Aborting stops the load early; the run is stored as failed ("interrupted"). */
  signal?: AbortSignal;
  /** Warnings and notes for the user. */
  log?: (line: string) => void;
  /** Randomness of the scenarios (tests may inject a seeded one). */
  random?: () => number;
  /** This command's DATABASE_URL, named (without its password) when the server seems to use another database. */
  databaseUrl?: string;
}

export interface LoadtestRunResult {
  run: LoadTestRunDetail;
  artifacts: ArtifactPaths;
  /** True when every data check passed. */
  checksPassed: boolean;
  /** True when none of the rows the server acknowledged is in this command's database. */
  otherDatabase: boolean;
}

const NEEDS_POSTGRES =
  'load tests need PostgreSQL: set DATABASE_URL to the database the target server uses (the embedded database is single-process, so this command and a server cannot share it)';

/** Refuses, before anything is opened, a configuration without DATABASE_URL. */
export function requirePostgresConfig(db: DatabaseConfig): DatabaseConfig {
  if (!db.databaseUrl) throw new CliError(NEEDS_POSTGRES, 2);
  return db;
}

/** A database URL without its password or query (which may hold one): `postgres://user@host:5432/name`. */
function describeDatabaseUrl(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'this command’s database';
  try {
    const url = new URL(databaseUrl);
    const user = url.username ? `${url.username}@` : '';
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    return 'an unparsable DATABASE_URL';
  }
}

/** Why a run whose acknowledged rows are all missing most likely failed, naming both sides as far as they are known. */
function otherDatabaseMessage(target: URL, databaseUrl: string | undefined): string {
  return (
    `none of the rows the server acknowledged is in ${describeDatabaseUrl(databaseUrl)} (this command's DATABASE_URL): ` +
    `the server under test at ${target.href} probably uses another database. Start it with the same DATABASE_URL ` +
    'as this command and run again.'
  );
}

/** Time given to requests still in the server when the load stops, before the checks read the database. */
const DRAIN_MS = 300;

async function checkTarget(target: URL): Promise<void> {
  const url = new URL(`${target.pathname.replace(/\/+$/, '')}/health`, target.origin);
  let status: number;
  try {
    status = (await fetch(url, { signal: AbortSignal.timeout(3000) })).status;
  } catch (error) {
    throw new CliError(`${target.href} is not reachable (GET ${url.pathname}): is the server running?`, 1, {
      cause: error,
    });
  }
  if (status < 200 || status >= 300) {
    throw new CliError(`${target.href} answered GET ${url.pathname} with ${status}: is its database up?`, 1);
  }
}

/**
 * Validates the options, drives the load, then stores the run, its metrics and its checks and writes artifacts.
 * @example const { run } = await loadtestRun(storage, { scenario: 'mixed', phase: 'baseline', target: 'http://localhost:3000', runName: 'base' });
 */
export async function loadtestRun(storage: Storage, options: LoadtestRunOptions): Promise<LoadtestRunResult> {
  const scenarioName = parseScenario(options.scenario);
  const phase = parsePhase(options.phase);
  const target = parseTarget(options.target);
  const name = parseRunName(options.runName);
  const tags = parseTags(options.tags);
  const durationMs = parseDuration(options.duration ?? '30s');
  const connections = parseIntegerOption('connections', options.connections ?? 50, 1, MAX_CONNECTIONS) ?? 50;
  const rate = parseIntegerOption('rate', options.rate, 1, 1_000_000);
  const timeoutSeconds = parseIntegerOption('timeout', options.timeoutSeconds ?? 10, 1, 120) ?? 10;
  const log = options.log ?? (() => undefined);
  if (storage.kind !== 'postgresql') throw new CliError(NEEDS_POSTGRES, 2);

  await checkTarget(target);
  const running = (await storage.experiments.listWithIds()).filter((e) => e.status === 'running').map((e) => e.key);

  const config = {
    connections,
    rate: rate ?? null,
    duration_requested_ms: durationMs,
    timeout_s: timeoutSeconds,
    running_experiments: running,
  };
  const created = await storage.loadTests.createRun({
    name,
    scenario: scenarioName,
    phase,
    target: target.href,
    tags,
    config,
  });
  const random = options.random ?? Math.random;
  const ledger = createRunLedger(random);
  const users = createUserPool(runUserPrefix(created.id), random);
  const scenario = createScenario(scenarioName, { runId: created.id, users, ledger, random, now: () => new Date() });
  const recorder = createEndpointRecorder(scenario.endpoints);
  const progress = options.progress ? createProgress(durationMs, recorder) : undefined;

  const fail = async (error: unknown, stage: string): Promise<never> => {
    const message = `${stage}: ${error instanceof Error ? error.message : String(error)}`;
    const now = new Date();
    await storage.loadTests
      .finishRun(created.id, {
        status: 'failed',
        ended_at: now,
        duration_ms: now.getTime() - Date.parse(created.started_at),
        error: message,
      })
      .catch(() => undefined);
    throw new CliError(`load run ${created.id} failed (${message})`, 1, { cause: error });
  };

  let drive: DriveResult;
  try {
    drive = await driveLoad({
      target,
      scenario,
      recorder,
      connections,
      durationMs,
      rate,
      timeoutSeconds,
      signal: options.signal,
      onTick: progress ? (elapsed) => progress.tick(elapsed) : undefined,
    });
  } catch (error) {
    progress?.stop();
    recorder.destroy();
    return fail(error, 'load generator');
  }
  progress?.tick(drive.durationMs);
  progress?.stop();
  await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));

  const snapshot = recorder.snapshot(drive.durationMs);
  recorder.destroy();
  let checks: Awaited<ReturnType<typeof runLoadTestChecks>>;
  try {
    await storage.loadTests.saveEndpointMetrics(
      created.id,
      snapshot.map((s) => s.metrics),
    );
    checks = await runLoadTestChecks(storage, {
      userPrefix: users.prefix,
      userCount: users.size,
      startedAt: drive.startedAt,
      endedAt: new Date(),
      assignments: ledger.assignments(),
      events: ledger.events(),
      intentionalDuplicates: ledger.totals().intentional_duplicates,
    });
    await storage.loadTests.saveDataChecks(created.id, checks);
  } catch (error) {
    return fail(error, 'storing metrics and data checks');
  }

  const paths = artifactPaths(options.artifactsDir ?? DEFAULT_ARTIFACTS_DIR, created);
  await storage.loadTests.finishRun(created.id, {
    status: drive.interrupted ? 'failed' : 'completed',
    started_at: drive.startedAt,
    ended_at: drive.endedAt,
    duration_ms: drive.durationMs,
    config: { users: users.size, user_prefix: users.prefix },
    artifact_path: paths.json,
    error: drive.interrupted ? 'interrupted before the requested duration' : null,
  });
  // Told after the run: an empty experiment list here is only worth seeding when the server answered the same way.
  const presence = checks.find((c) => c.name === 'row_presence');
  const otherDatabase = presence !== undefined && presence.checked > 0 && presence.violations === presence.checked;
  if (otherDatabase) log(`warning: ${otherDatabaseMessage(target, options.databaseUrl)}`);
  else if (running.length === 0 && scenarioName !== 'events') {
    log(
      'note: no running experiments, so assignments are empty and the sticky checks have nothing to check (try `calicritters seed`)',
    );
  }
  const run = await storage.loadTests.getRunDetail(created.id);
  if (!run) throw new CliError(`load run ${created.id} vanished from the database while it was being stored`, 1);
  await writeArtifacts(paths, {
    format: 'calicritters.load-test/1',
    run,
    latency: snapshot.map(({ metrics: _metrics, ...rest }) => rest),
    ledger: ledger.totals(),
    autocannon: drive.autocannon,
  });
  return { run, artifacts: paths, checksPassed: checks.every((c) => c.passed), otherDatabase };
}
