/**
 * `calicritters experiments create|update --metrics key:role,…` and `--prior`: the catalog metrics and Bayesian prior
 * of an experiment, in the database directly (checked as the admin API checks them) and through a running server
 * (its refusal shown as it is).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetricAdmin } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import {
  createExperiment,
  parseMetrics,
  storageExperiments,
  updateExperiment,
  type ExperimentsTarget,
} from '../src/commands/experiments.js';
import { ADMIN_TOKEN, runCli, startCliServer } from './helpers/cli-server.js';

const it = suite<{ db: TestDatabase; target: ExperimentsTarget }>('experiments --metrics and --prior');
it.before(async (ctx) => {
  ctx.db = await createTestStorage();
  ctx.target = storageExperiments(ctx.db.storage);
  const metrics = createMetricAdmin(ctx.db.storage);
  await metrics.create({ key: 'checkout_rate', kind: 'conversion', event: 'purchase' });
  await metrics.create({ key: 'refunds', kind: 'sum', event: 'refund', direction: 'lower' });
  await metrics.create({ key: 'old', kind: 'count', event: 'legacy' });
  await metrics.archive('old');
});
it.after(async (ctx) => ctx.db.close());

/** The CliError a call fails with (the test fails when it succeeds). */
async function failure(run: () => Promise<unknown>): Promise<CliError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, CliError);
  return error as CliError;
}

it('parseMetrics reads key:role lists, goal when the role is left out, nothing for an empty value', () => {
  assert.equal(parseMetrics('checkout_rate:goal, refunds : guardrail'), [
    { key: 'checkout_rate', role: 'goal' },
    { key: 'refunds', role: 'guardrail' },
  ]);
  assert.equal(parseMetrics('checkout_rate'), [{ key: 'checkout_rate', role: 'goal' }]);
  // The role is after the last colon: a key holding colons keeps them.
  assert.equal(parseMetrics('app:open:guardrail'), [{ key: 'app:open', role: 'guardrail' }]);
  assert.equal(parseMetrics(''), []);
  assert.equal(parseMetrics('  '), []);
});

it('parseMetrics refuses unknown roles and malformed parts with exit code 2, naming the part', async () => {
  for (const [spec, words] of [
    ['refunds:primary', ["unknown role 'primary'", "'refunds'", 'goal, guardrail']],
    ['refunds:', ["unknown role ''"]],
    ['app:open', ["unknown role 'open'", 'app:open:goal']],
    ['checkout_rate,,refunds', ["bad part ''"]],
    [':goal', ["bad part ':goal'"]],
  ] as const) {
    const error = await failure(async () => parseMetrics(spec));
    assert.is(error.exitCode, 2, spec);
    for (const word of words) assert.ok(error.message.includes(word), `${spec}: ${error.message}`);
  }
});

it('create and update set the catalog metrics; an empty --metrics clears them', async ({ target }) => {
  const created = await createExperiment(target, {
    key: 'cli_metrics',
    variants: 'a:0.5,b:0.5',
    metrics: 'checkout_rate,refunds:guardrail',
  });
  assert.equal(created.metrics, [
    { key: 'checkout_rate', role: 'goal' },
    { key: 'refunds', role: 'guardrail' },
  ]);
  const swapped = await updateExperiment(target, 'cli_metrics', { metrics: 'refunds:goal' });
  assert.equal(swapped.metrics, [{ key: 'refunds', role: 'goal' }]);
  // Other fields leave them alone.
  assert.equal((await updateExperiment(target, 'cli_metrics', { name: 'Metrics' })).metrics, swapped.metrics);
  assert.equal((await updateExperiment(target, 'cli_metrics', { metrics: '' })).metrics, []);
});

it('metrics the catalog does not have, archived or named twice are refused as the admin API refuses them', async ({
  target,
}) => {
  const cases = [
    ['ghost', "/metrics/0/key: metric 'ghost' does not exist in the catalog"],
    ['checkout_rate,old:guardrail', "/metrics/1/key: metric 'old' is archived"],
    ['refunds,refunds:guardrail', "/metrics/1/key: metric 'refunds' is named twice"],
  ] as const;
  for (const [metrics, line] of cases) {
    const update = await failure(() => updateExperiment(target, 'cli_metrics', { metrics }));
    assert.is(update.exitCode, 2, metrics);
    assert.ok(update.message.includes(line), update.message);
    const create = await failure(() =>
      createExperiment(target, { key: 'cli_ghost', variants: 'a:0.5,b:0.5', metrics }),
    );
    assert.ok(create.message.includes(line), create.message);
  }
  assert.equal(
    (await target.experiments.list()).find((e) => e.key === 'cli_ghost'),
    undefined,
  );
});

it('--prior is part of the analysis: set with --analysis-method, refused alone or unknown', async ({ target }) => {
  const proper = await updateExperiment(target, 'cli_metrics', { analysisMethod: 'fixed', prior: 'proper' });
  assert.equal(proper.analysis, { method: 'fixed', prior: 'proper' });
  const alone = await failure(() => updateExperiment(target, 'cli_metrics', { prior: 'flat' }));
  assert.is(alone.exitCode, 2);
  assert.match(alone.message, '--analysis-method');
  const unknown = await failure(() =>
    updateExperiment(target, 'cli_metrics', { analysisMethod: 'fixed', prior: 'informative' }),
  );
  assert.is(unknown.exitCode, 2);
  assert.match(unknown.message, '/analysis/prior');
});

it('through a running server: --metrics and --prior as typed, and the server refusal shown as it is', async () => {
  const cli = await startCliServer('metrics');
  try {
    const env = { ADMIN_TOKEN, CALICRITTERS_URL: cli.server.url };
    const metric = await runCli(['metrics', 'create', 'signups', '--kind', 'conversion', '--event', 'signup'], env);
    assert.is(metric.code, 0, metric.stderr);
    const created = await runCli(
      ['experiments', 'create', 'remote', '--variants', 'a:0.5,b:0.5', '--metrics', 'signups', '--json'],
      env,
    );
    assert.is(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).metrics, [{ key: 'signups', role: 'goal' }]);
    const ghost = await runCli(['experiments', 'update', 'remote', '--metrics', 'signups,ghost:guardrail'], env);
    assert.is(ghost.code, 2);
    assert.match(ghost.stderr, "/metrics/1/key: metric 'ghost' does not exist in the catalog");
    const role = await runCli(['experiments', 'update', 'remote', '--metrics', 'signups:north_star'], env);
    assert.is(role.code, 2);
    assert.match(role.stderr, "unknown role 'north_star'");
    const cleared = await runCli(
      ['experiments', 'update', 'remote', '--metrics', '', '--analysis-method', 'fixed', '--prior', 'proper', '--json'],
      env,
    );
    assert.is(cleared.code, 0, cleared.stderr);
    const record = JSON.parse(cleared.stdout);
    assert.equal([record.metrics, record.analysis], [[], { method: 'fixed', prior: 'proper' }]);
  } finally {
    await cli.close();
  }
});

it.run();
