import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadTestRunDetail } from '@ab-calicritters/core';
import { createAbRouter } from '@ab-calicritters/server';
import { createTestStorage, testDatabaseKind, type TestDatabase, storageOrm } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import { seed } from '../src/commands/seed.js';
import { loadtestAssert } from '../src/loadtest/loadtest-assert.js';
import { loadtestCompare } from '../src/loadtest/loadtest-compare.js';
import { formatComparison } from '../src/loadtest/format-report.js';
import { cliNodeArgs } from './helpers/cli-bin.js';
import { loadtestRun, requirePostgresConfig } from '../src/loadtest/loadtest-run.js';

const DASHBOARD_TOKEN = 'loadtest-dashboard-token';
const CHECKS = [
  'duplicate_assignment_rows',
  'duplicate_event_ids',
  'rollup_overlap',
  'row_presence',
  'sticky_conflicts',
];

async function rejectsWith(run: () => Promise<unknown>, exitCode: number, pattern: RegExp): Promise<CliError> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, CliError);
    assert.is((error as CliError).exitCode, exitCode, (error as Error).message);
    assert.match((error as Error).message, pattern);
    return error as CliError;
  }
  throw new assert.Assertion({ message: `expected a CliError matching ${pattern}`, operator: 'rejects' } as never);
}

if (testDatabaseKind() === 'pglite') {
  // Load runs need PostgreSQL: the server and the command share one database, which PGlite (single-process) cannot.
  console.log(
    'note: loadtest tests skipped on TEST_DB=pglite (load tests need PostgreSQL); they run with TEST_DB=postgresql',
  );
  test('loadtest run refuses an embedded-database configuration with exit code 2 (the rest needs PostgreSQL)', () => {
    try {
      requirePostgresConfig({ dataDir: 'memory://' });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
      assert.match((error as Error).message, /DATABASE_URL/);
    }
  });
  test.run();
} else {
  interface Ctx {
    db: TestDatabase;
    server: Server;
    target: string;
    dir: string;
    errors: unknown[];
    runs: Record<string, LoadTestRunDetail>;
    /** When on, every 10th events request answers 503 and every 40th assignment request stalls past the timeout. */
    faults: { on: boolean; events: number; assignments: number };
  }
  const it = suite<Ctx>('calicritters loadtest');

  it.before(async (ctx) => {
    ctx.db = await createTestStorage();
    await seed(ctx.db.storage);
    ctx.errors = [];
    const app = new Koa();
    app.silent = true;
    ctx.faults = { on: false, events: 0, assignments: 0 };
    app.use(async (koa, next) => {
      const { faults } = ctx;
      if (faults.on && koa.path === '/v1/events' && ++faults.events % 10 === 0) {
        koa.status = 503;
        koa.body = { error: { code: 'service_unavailable', message: 'injected' } };
        return;
      }
      if (faults.on && koa.path === '/v1/assignment' && ++faults.assignments % 40 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1300));
      }
      await next();
    });
    const router = createAbRouter({
      storage: ctx.db.storage,
      dashboardToken: DASHBOARD_TOKEN,
      logger: { error: (entry: unknown) => ctx.errors.push(entry) },
      loadTests: true,
    });
    app.use(router.routes()).use(router.allowedMethods());
    ctx.server = createServer(app.callback());
    await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
    ctx.target = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
    ctx.dir = mkdtempSync(join(tmpdir(), 'abc-loadtest-'));
    ctx.runs = {};
  });
  it.after(async (ctx) => {
    ctx.server.closeAllConnections();
    await new Promise<void>((resolve) => ctx.server.close(() => resolve()));
    await ctx.db.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  });

  const short = (ctx: Ctx, scenario: string, phase: string, runName: string, duration = '2s') =>
    loadtestRun(ctx.db.storage, {
      scenario,
      phase,
      target: ctx.target,
      runName,
      tags: ['branch=main', `scenario=${scenario}`],
      duration,
      connections: 4,
      artifactsDir: ctx.dir,
    });

  it('refuses non-loopback targets, unbounded runs and bad flags before sending a request', async (ctx) => {
    const base = { scenario: 'assignment', phase: 'baseline', runName: 'refused', artifactsDir: ctx.dir };
    for (const target of [
      'http://10.0.0.5:3000',
      'http://192.168.1.2',
      'http://example.com',
      'http://[2001:db8::1]:80',
    ]) {
      await rejectsWith(() => loadtestRun(ctx.db.storage, { ...base, target }), 2, /loopback/);
    }
    await rejectsWith(
      () => loadtestRun(ctx.db.storage, { ...base, target: ctx.target, duration: '10m' }),
      2,
      /--duration/,
    );
    await rejectsWith(
      () => loadtestRun(ctx.db.storage, { ...base, target: ctx.target, connections: 5000 }),
      2,
      /--connections/,
    );
    await rejectsWith(
      () => loadtestRun(ctx.db.storage, { ...base, target: ctx.target, scenario: 'chaos' }),
      2,
      /--scenario/,
    );
    await rejectsWith(
      () => loadtestRun(ctx.db.storage, { ...base, target: ctx.target, tags: ['novalue'] }),
      2,
      /--tag/,
    );
    await rejectsWith(() => loadtestRun(ctx.db.storage, { ...base, target: 'http://127.0.0.1:1' }), 1, /not reachable/);
    assert.equal(await ctx.db.storage.loadTests.listRuns(), [], 'nothing was stored');
  });

  for (const [scenario, phase, endpoints] of [
    ['assignment', 'baseline', ['POST /v1/assignment']],
    ['events', 'baseline', ['POST /v1/events']],
    ['mixed', 'post_mitigation', ['POST /v1/assignment', 'POST /v1/events']],
  ] as const) {
    it(`a short ${scenario} run stores the run, endpoint metrics, passing data checks and artifacts`, async (ctx) => {
      const result = await short(ctx, scenario, phase, `ci-${scenario}`);
      const { run } = result;
      ctx.runs[scenario] = run;
      assert.is(run.status, 'completed');
      assert.is(run.scenario, scenario);
      assert.is(run.phase, phase);
      assert.equal(run.tags, { branch: 'main', scenario });
      assert.ok(Date.parse(run.ended_at ?? '') > Date.parse(run.started_at));
      assert.ok((run.duration_ms ?? 0) >= 1500 && (run.duration_ms ?? 0) < 10_000, `duration ${run.duration_ms}`);

      assert.equal(run.endpoints.map((e) => e.endpoint).sort(), [...endpoints].sort());
      for (const e of run.endpoints) {
        assert.ok(e.requests > 20, `${e.endpoint}: ${e.requests} requests`);
        assert.ok(e.rps > 0);
        assert.is(e.error_rate, 0, `${e.endpoint} errors`);
        assert.is(e.status_4xx, 0, `${e.endpoint} sent only valid requests`);
        assert.ok(e.latency_p50_ms > 0);
        assert.ok(e.latency_p50_ms <= e.latency_p95_ms && e.latency_p95_ms <= e.latency_p99_ms, JSON.stringify(e));
        assert.ok(e.latency_p99_ms <= e.latency_max_ms);
      }

      assert.equal(
        run.data_checks.map((c) => c.name),
        CHECKS,
      );
      for (const c of run.data_checks) assert.ok(c.passed, `${c.name}: ${JSON.stringify(c)}`);
      assert.ok(result.checksPassed);
      const presence = run.data_checks.find((c) => c.name === 'row_presence');
      assert.ok((presence?.checked ?? 0) > 0, 'acknowledged rows were checked');
      if (scenario !== 'assignment') {
        const dups = run.data_checks.find((c) => c.name === 'duplicate_event_ids');
        assert.ok(Number(dups?.details.intentional_duplicates_sent) > 0, 'duplicates were sent on purpose');
        assert.ok((dups?.checked ?? 0) > 0);
      }
      if (scenario !== 'events') {
        const sticky = run.data_checks.find((c) => c.name === 'sticky_conflicts');
        assert.ok((sticky?.checked ?? 0) > 0, 'sticky assignments were checked');
      }

      const stored = await ctx.db.storage.loadTests.getRunDetail(run.id);
      assert.equal(stored, run);
      assert.is(run.artifact_path, result.artifacts.json);
      const artifact = JSON.parse(readFileSync(result.artifacts.json, 'utf8'));
      assert.is(artifact.run.id, run.id);
      assert.ok(artifact.latency[0].percentiles_ms['p99.9'] >= artifact.latency[0].percentiles_ms.p99);
      assert.ok(artifact.ledger.events_sent >= 0);
      const html = readFileSync(result.artifacts.html, 'utf8');
      assert.match(html, /^<!doctype html>/);
      assert.match(html, new RegExp(`ci-${scenario}`));
      assert.not.match(html, /<script|https?:\/\/(?!127\.0\.0\.1)/, 'self-contained');
      const userIds = await storageOrm(ctx.db.storage)
        .em.fork()
        .getConnection()
        .execute(`select count(*)::int as n from assignments where user_id like 'lt-${run.id}-%'`);
      if (scenario !== 'events') assert.ok((userIds[0] as { n: number }).n > 0, 'rows are tagged with the run id');
    });
  }

  it('the server never answered a 5xx during the runs', (ctx) => {
    assert.equal(ctx.errors, []);
  });

  it('assert passes a clean run and shows every gate', async (ctx) => {
    const result = await loadtestAssert(ctx.db.storage, { runId: ctx.runs.assignment?.id });
    assert.ok(result.passed);
    assert.ok(result.gates.some((g) => g.gate === 'data_check' && g.subject === 'row_presence'));
    const latest = await loadtestAssert(ctx.db.storage, {
      scenario: 'mixed',
      phase: 'post_mitigation',
      maxErrorRate: 0,
    });
    assert.is(latest.run.id, ctx.runs.mixed?.id);
  });

  it('assert exits 1 with a table of breached gates (--max-p99-ms 0, --min-rps)', async (ctx) => {
    const error = await rejectsWith(
      () => loadtestAssert(ctx.db.storage, { runId: ctx.runs.mixed?.id, maxP99Ms: 0, minRps: 1e9 }),
      1,
      /breached 4 gate\(s\)/,
    );
    assert.match(error.message, /GATE\s+SUBJECT\s+LIMIT\s+OBSERVED\s+RESULT/);
    assert.match(error.message, /p99_ms\s+POST \/v1\/assignment\s+<= 0\s+[\d.]+\s+BREACH/);
    assert.match(error.message, /rps\s+POST \/v1\/events\s+>= 1000000000/);
    assert.not.match(error.message, /error_rate/, 'only breached gates are listed');
  });

  it('assert also fails a run whose data check failed, and refuses bad selections', async (ctx) => {
    const run = ctx.runs.events as LoadTestRunDetail;
    await ctx.db.storage.loadTests.saveDataChecks(run.id, [
      { name: 'row_presence', passed: false, violations: 3, checked: 100, details: {} },
    ]);
    await rejectsWith(
      () => loadtestAssert(ctx.db.storage, { runId: run.id }),
      1,
      /data_check\s+row_presence\s+0 violations\s+3 violations\s+BREACH/,
    );
    await rejectsWith(
      () => loadtestAssert(ctx.db.storage, { scenario: 'events', phase: 'post_mitigation' }),
      1,
      /no stored events run/,
    );
    await rejectsWith(() => loadtestAssert(ctx.db.storage, { scenario: 'events' }), 2, /--phase/);
    await rejectsWith(() => loadtestAssert(ctx.db.storage, { runId: run.id, phase: 'baseline' }), 2, /not both/);
    await rejectsWith(() => loadtestAssert(ctx.db.storage, { runId: run.id, maxErrorRate: 2 }), 2, /--max-error-rate/);
    await rejectsWith(() => loadtestAssert(ctx.db.storage, { runId: 'no-such-run' }), 1, /no load-test run/);
  });

  it('compare gives per-endpoint and data-check deltas, by run id or run name', async (ctx) => {
    const candidate = (await short(ctx, 'assignment', 'post_mitigation', 'ci-assignment-after', '1s')).run;
    const comparison = await loadtestCompare(ctx.db.storage, { baseline: 'ci-assignment', candidate: candidate.id });
    assert.is(comparison.baseline.id, ctx.runs.assignment?.id);
    assert.is(comparison.candidate.id, candidate.id);
    const [endpoint] = comparison.endpoints;
    assert.is(endpoint?.endpoint, 'POST /v1/assignment');
    const base = ctx.runs.assignment?.endpoints[0];
    assert.is(endpoint?.rps_delta, Number(((candidate.endpoints[0]?.rps ?? 0) - (base?.rps ?? 0)).toFixed(6)));
    assert.equal(
      comparison.data_checks.map((c) => [c.name, c.change]),
      CHECKS.map((name) => [name, 'unchanged']),
    );
    // 2 s against 1 s: told, in the result and in the printed comparison.
    assert.equal(
      comparison.warnings.map((w) => w.code),
      ['different_duration'],
    );
    assert.match(formatComparison(comparison), /warning \(different_duration\): the runs lasted 2\.\d s \(baseline\)/);
    const swapped = await loadtestCompare(ctx.db.storage, { baseline: candidate.id, candidate: 'ci-assignment' });
    assert.ok(swapped.warnings.some((w) => w.code === 'baseline_newer'));
    await rejectsWith(
      () => loadtestCompare(ctx.db.storage, { baseline: 'ci-nothing', candidate: candidate.id }),
      1,
      /--baseline/,
    );
  });

  it('the dashboard endpoints serve the stored runs', async (ctx) => {
    const res = await fetch(`${ctx.target}/v1/metrics/load-tests/latest`, {
      headers: { 'x-dashboard-token': DASHBOARD_TOKEN },
    });
    const body = (await res.json()) as { baseline: LoadTestRunDetail; post_mitigation: LoadTestRunDetail };
    assert.is(res.status, 200);
    assert.is(body.baseline.id, ctx.runs.events?.id);
    assert.is(body.post_mitigation.name, 'ci-assignment-after');
  });

  it('5xx answers and timeouts are counted against the endpoint that got them, and fail the gates', async (ctx) => {
    ctx.faults.on = true;
    let run: LoadTestRunDetail;
    try {
      run = (
        await loadtestRun(ctx.db.storage, {
          scenario: 'mixed',
          phase: 'baseline',
          target: ctx.target,
          runName: 'ci-faults',
          duration: '2s',
          connections: 4,
          timeoutSeconds: 1,
          artifactsDir: ctx.dir,
        })
      ).run;
    } finally {
      ctx.faults.on = false;
    }
    const assignment = run.endpoints.find((e) => e.endpoint === 'POST /v1/assignment');
    const events = run.endpoints.find((e) => e.endpoint === 'POST /v1/events');
    assert.ok((events?.status_5xx ?? 0) > 0 && (events?.error_rate ?? 0) > 0.05, JSON.stringify(events));
    assert.is(events?.timeouts, 0);
    assert.is(assignment?.status_5xx, 0);
    assert.ok((assignment?.timeouts ?? 0) > 0, JSON.stringify(assignment));
    assert.ok(
      run.data_checks.every((c) => c.passed),
      'refused and timed-out requests are not expected in the database',
    );
    const error = await rejectsWith(() => loadtestAssert(ctx.db.storage, { runId: run.id }), 1, /error_rate/);
    assert.match(error.message, /error_rate\s+POST \/v1\/events\s+<= 0.01/);
  });

  /** Runs the CLI with the arguments of a root package.json script plus `extra`. */
  const runScript = (script: string, extra: string[], env: NodeJS.ProcessEnv) => {
    const scripts = (JSON.parse(readFileSync('../../package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    const command = scripts[script] ?? '';
    const args = command.slice(command.indexOf('bin.js ') + 'bin.js '.length).split(/\s+/);
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [...cliNodeArgs, ...args, ...extra],
        { env: { ...process.env, ...env }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  };

  it('pnpm loadtest:baseline:* takes --target (and --duration) given after the script, and CALICRITTERS_URL', async (ctx) => {
    const result = await runScript(
      'loadtest:baseline:assignment',
      ['--target', ctx.target, '--duration', '1s', '--connections', '2', '--artifacts-dir', ctx.dir, '--json'],
      { DATABASE_URL: ctx.db.url, CALICRITTERS_URL: '' },
    );
    assert.is(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as { run: LoadTestRunDetail };
    assert.is(run.run.target, `${ctx.target}/`);
    assert.is(run.run.name, 'baseline-assignment');
    assert.ok((run.run.duration_ms ?? 0) < 5_000, `the later --duration won: ${run.run.duration_ms}`);

    const fromEnv = await runScript('loadtest:baseline:events', [], {
      DATABASE_URL: ctx.db.url,
      CALICRITTERS_URL: 'http://10.0.0.9:3000',
    });
    assert.is(fromEnv.code, 2, fromEnv.stderr);
    assert.match(fromEnv.stderr, /--target must be a loopback address .*got '10\.0\.0\.9'/);
  });

  it('a server on another database is named as the likely cause, without a password, instead of suggesting seed', async (ctx) => {
    // The command's database is a fresh, empty one; the server under test keeps its own (seeded) database.
    const own = await createTestStorage();
    const lines: string[] = [];
    try {
      const url = new URL(own.url ?? '');
      url.password = 's3cret-password';
      url.search = '?password=s3cret-password';
      const result = await loadtestRun(own.storage, {
        scenario: 'mixed',
        phase: 'baseline',
        target: ctx.target,
        runName: 'other-database',
        duration: '1s',
        connections: 2,
        artifactsDir: ctx.dir,
        databaseUrl: url.toString(),
        log: (line) => lines.push(line),
      });
      assert.ok(result.otherDatabase);
      assert.not.ok(result.checksPassed);
      const text = lines.join('\n');
      assert.match(text, /the server under test at http:\/\/127\.0\.0\.1:\d+\/ probably uses another database/);
      assert.ok(text.includes(`postgres://postgres@127.0.0.1:5432${url.pathname}`), text);
      assert.not.match(text, /s3cret/, 'no password');
      assert.not.match(text, /seed/);
    } finally {
      await own.close();
    }
  });

  it.run();
}
