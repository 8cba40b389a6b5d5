import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSavedGroupAdmin } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { createExperiment, updateExperiment } from '../src/commands/experiments.js';
import {
  createSavedGroup,
  deleteSavedGroup,
  formatSavedGroups,
  listSavedGroups,
  updateSavedGroup,
} from '../src/commands/saved-groups.js';
import type { RunningServer } from '../src/commands/serve.js';
import { ADMIN_TOKEN, cliFailure, runCli, startCliServer } from './helpers/cli-server.js';

const direct = suite<{ db: TestDatabase; root: string }>('saved-groups, in the database');
direct.before(async (ctx) => {
  ctx.db = await createTestStorage();
  ctx.root = mkdtempSync(join(tmpdir(), 'abc-saved-groups-'));
});
direct.after(async (ctx) => {
  await ctx.db.close();
  rmSync(ctx.root, { recursive: true, force: true });
});

direct('create, list, update, delete; experiments may then name the group', async ({ db, root }) => {
  const target = { savedGroups: createSavedGroupAdmin(db.storage) };
  const file = join(root, 'staff.txt');
  writeFileSync(file, 'u3\n\nu4\n');
  const created = await createSavedGroup(target, 'staff', { name: 'Staff', values: 'u1, u2', file });
  assert.equal(created.values, ['u1', 'u2', 'u3', 'u4']);
  const numbers = await createSavedGroup(target, 'builds', { values: '310,320.5', numeric: true });
  assert.equal(numbers.values, [310, 320.5]);
  assert.is((await cliFailure(() => createSavedGroup(target, 'bad', { values: 'x', numeric: true }))).exitCode, 2);
  assert.is((await cliFailure(() => createSavedGroup(target, 'bad key', { values: 'x' }))).exitCode, 2);
  assert.is((await cliFailure(() => updateSavedGroup(target, 'staff', {}))).exitCode, 2);
  assert.match(formatSavedGroups(await listSavedGroups(target)), /staff\s+Staff\s+4\s+u1 u2 u3 u4/);

  await createExperiment(db.storage, {
    key: 'staff_beta',
    variants: 'control:0.5,beta:0.5',
    status: 'running',
    condition: '{"id":{"$inGroup":"staff"}}',
  });
  const ghost = await cliFailure(() =>
    updateExperiment(db.storage, 'staff_beta', { condition: '{"id":{"$inGroup":"ghosts"}}' }),
  );
  assert.match(ghost.message, /\/condition\/id\/\$inGroup/);
  const used = await cliFailure(() => deleteSavedGroup(target, 'staff'));
  assert.is(used.exitCode, 1);
  assert.match(used.message, /staff_beta/);
  assert.equal((await updateSavedGroup(target, 'staff', { values: 'u9' })).values, ['u9']);
  assert.is((await deleteSavedGroup(target, 'builds')).key, 'builds');
});

direct.run();

const cli = runCli;

const remote = suite<{ root: string; server: RunningServer }>('saved-groups, through a server');
remote.before(async (ctx) => {
  ({ root: ctx.root, server: ctx.server } = await startCliServer('saved-groups-remote'));
});
remote.after(async ({ root, server }) => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

remote('create --json, an experiment naming it, list --json, delete refused then done', async ({ server }) => {
  const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
  const created = await cli(['saved-groups', 'create', 'qa', '--values', 'qa-1,qa-2', '--json'], env);
  assert.is(created.code, 0, created.stderr);
  assert.equal((JSON.parse(created.stdout) as { values: string[] }).values, ['qa-1', 'qa-2']);
  const experiment = await cli(
    ['experiments', 'create', 'qa_only', '--variants', 'a:0.5,b:0.5', '--condition', '{"id":{"$inGroup":"qa"}}'],
    env,
  );
  assert.is(experiment.code, 0, experiment.stderr);
  const listed = await cli(['saved-groups', 'list', '--json'], env);
  assert.equal(
    (JSON.parse(listed.stdout) as Array<{ key: string }>).map((g) => g.key),
    ['qa'],
  );
  const refused = await cli(['saved-groups', 'delete', 'qa'], env);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /qa_only/);
  assert.is((await cli(['experiments', 'archive', 'qa_only'], env)).code, 0);
  const deleted = await cli(['saved-groups', 'delete', 'qa'], env);
  assert.is(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /Deleted qa\./);
});

remote.run();
