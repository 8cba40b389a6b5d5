import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from 'node:assert/strict';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import {
  archiveExperiment,
  createExperiment,
  formatExperiments,
  listExperiments,
  parseVariants,
  updateExperiment,
} from '../src/commands/experiments.js';
import { seed } from '../src/commands/seed.js';

const it = suite<{ db: TestDatabase }>('CLI commands');
it.before(async (ctx) => {
  ctx.db = await createTestStorage();
});
it.after(async (ctx) => ctx.db.close());

it('seed creates the demo experiments and funnel once, and is safe to rerun', async ({ db }) => {
  const first = await seed(db.storage);
  assert.equal(first.created, [
    'metric purchased',
    'metric net_revenue',
    'metric sessions',
    'metric revenue_per_session',
    'metric paywall_load_ms',
    'experiment onboarding_flow',
    'experiment paywall_copy',
    'funnel core_journey',
  ]);
  const second = await seed(db.storage);
  assert.equal(second.created, []);
  assert.is(second.skipped.length, 8);
  const paywall = await db.storage.experiments.get('paywall_copy');
  assert.is(paywall?.variants.length, 3);
  assert.is(paywall?.metrics?.length, 5);
  assert.equal((await db.storage.funnels.get('core_journey'))?.steps, [
    'app_open',
    'tutorial_complete',
    'first_catch',
    'purchase',
  ]);
});

it('parseVariants reads key:weight lists and refuses malformed ones with exit code 2', () => {
  assert.equal(parseVariants('a:0.25, b:0.75'), [
    { key: 'a', weight: 0.25 },
    { key: 'b', weight: 0.75 },
  ]);
  for (const bad of ['a', 'a:', 'a:x,b:1', ':0.5']) {
    try {
      parseVariants(bad);
      assert.unreachable(bad);
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
    }
  }
});

it('create validates like the admin API and refuses duplicates', async ({ db }) => {
  const record = await createExperiment(db.storage, {
    key: 'cli_exp',
    variants: 'a:0.5,b:0.5',
    coverage: 0.5,
    status: 'running',
  });
  assert.is(record.coverage, 0.5);
  await rejects(() => createExperiment(db.storage, { key: 'w', variants: 'a:0.5,b:0.6' }), /sum to 1/);
  await rejects(() => createExperiment(db.storage, { key: 'cli_exp', variants: 'a:0.5,b:0.5' }), /already exists/);
});

it('update changes weights, refuses unknown keys and empty updates', async ({ db }) => {
  const updated = await updateExperiment(db.storage, 'cli_exp', { variants: 'a:0.1,b:0.9', status: 'stopped' });
  assert.is(updated.status, 'stopped');
  await rejects(() => updateExperiment(db.storage, 'ghost', { status: 'running' }), /does not exist/);
  await rejects(() => updateExperiment(db.storage, 'cli_exp', {}), /Nothing to update/);
  const table = formatExperiments(await listExperiments(db.storage));
  assert.match(table, /^KEY\s+STATUS\s+COVERAGE\s+VARIANTS/);
  assert.match(table, /cli_exp\s+stopped\s+0.5\s+a:0.1 b:0.9/);
});

it('update --analysis-method sets the stored analysis as a whole; alpha without a method and bad values are refused', async ({
  db,
}) => {
  const fixed = await updateExperiment(db.storage, 'cli_exp', { analysisMethod: 'fixed', alpha: 0.01 });
  assert.equal(fixed.analysis, { method: 'fixed', alpha: 0.01 });
  const tuned = await updateExperiment(db.storage, 'cli_exp', {
    analysisMethod: 'sequential',
    sequentialTuning: 20_000,
  });
  assert.equal(tuned.analysis, { method: 'sequential', sequential_tuning: 20_000 });
  const bare = await updateExperiment(db.storage, 'cli_exp', { alpha: 0.1 }).catch((e: unknown) => e);
  assert.instance(bare, CliError);
  assert.is((bare as CliError).exitCode, 2);
  assert.match((bare as CliError).message, '--analysis-method');
  const bad = await updateExperiment(db.storage, 'cli_exp', { analysisMethod: 'bayes' }).catch((e: unknown) => e);
  assert.is((bad as CliError).exitCode, 2);
  assert.match((bad as CliError).message, '/analysis/method');
});

it('release with --released-variant; the rules refuse a seed change once started (exit 1) and a bad release (exit 2)', async ({
  db,
}) => {
  await createExperiment(db.storage, { key: 'cli_ship', variants: 'a:0.5,b:0.5', status: 'running' });
  const seedChange = await updateExperiment(db.storage, 'cli_ship', { seed: 'other' }).catch((e: unknown) => e);
  assert.instance(seedChange, CliError);
  assert.is((seedChange as CliError).exitCode, 1);
  assert.match((seedChange as CliError).message, '/seed');
  const noVariant = await updateExperiment(db.storage, 'cli_ship', { status: 'released' }).catch((e: unknown) => e);
  assert.is((noVariant as CliError).exitCode, 2);
  assert.match((noVariant as CliError).message, '/released_variant');
  const released = await updateExperiment(db.storage, 'cli_ship', { status: 'released', releasedVariant: 'b' });
  assert.equal([released.status, released.released_variant], ['released', 'b']);
  assert.match(formatExperiments([released]), /cli_ship\s+released:b\s+1\s+a:0.5 b:0.5/);
});

it('archive sets the status archived, twice the same; list leaves it out unless asked; update is refused', async ({
  db,
}) => {
  await createExperiment(db.storage, { key: 'cli_old', variants: 'a:0.5,b:0.5', status: 'running' });
  const archived = await archiveExperiment(db.storage, 'cli_old');
  assert.is(archived.status, 'archived');
  assert.equal(await archiveExperiment(db.storage, 'cli_old'), archived);
  await rejects(() => archiveExperiment(db.storage, 'ghost'), /experiment 'ghost' does not exist/);
  const keys = async (includeArchived?: boolean) =>
    (await listExperiments(db.storage, { includeArchived })).map((e) => e.key);
  assert.not.ok((await keys()).includes('cli_old'));
  assert.ok((await keys(true)).includes('cli_old'));
  assert.match(formatExperiments(await listExperiments(db.storage, { includeArchived: true })), /cli_old\s+archived/);
  await rejects(
    () => updateExperiment(db.storage, 'cli_old', { status: 'running' }),
    (error: CliError) => {
      assert.instance(error, CliError);
      assert.is(error.exitCode, 1);
      assert.match(error.message, /'cli_old' is archived and cannot be changed/);
      return true;
    },
  );
  await rejects(
    () => updateExperiment(db.storage, 'cli_exp', { status: 'archived' }),
    /calicritters experiments archive/,
  );
});

it.run();
