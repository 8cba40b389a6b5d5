import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AdminExperiment } from '../../api/admin-api-client.js';
import { actionDone, actionsFor, confirmationFor, listSummary, managerRows } from './experiment-manager.model.js';

const experiment = (key: string, status: AdminExperiment['status'], extra: Partial<AdminExperiment> = {}) =>
  ({
    key,
    name: null,
    seed: key,
    coverage: 1,
    status,
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'b', weight: 0.66 },
    ],
    created_at: '2026-03-01T10:00:00.000Z',
    updated_at: '2026-03-05T14:03:00.000Z',
    ...extra,
  }) as AdminExperiment;

const it = suite('experiment manager model');

it('a running experiment offers stop, any other start; archive for all but archived ones', () => {
  assert.equal(actionsFor('draft'), ['start', 'archive']);
  assert.equal(actionsFor('running'), ['stop', 'archive']);
  assert.equal(actionsFor('stopped'), ['start', 'archive']);
  assert.equal(actionsFor('archived'), []);
});

it('rows show the name or the key, weights as shares, coverage, and whether they can change', () => {
  const rows = managerRows([
    experiment('a', 'running', { name: 'Paywall', coverage: 0.125 }),
    experiment('b', 'stopped'),
    experiment('c', 'archived'),
  ]);
  assert.equal(
    rows.map((r) => [r.label, r.named, r.tone, r.coverage, r.editable, r.startLabel]),
    [
      ['Paywall', true, 'positive', '12.5%', true, 'Start'],
      ['b', false, 'warning', '100%', true, 'Restart'],
      ['c', false, 'neutral', '100%', false, 'Start'],
    ],
  );
  assert.equal(
    rows[0]!.variants.map((v) => v.share),
    ['34%', '66%'],
  );
  assert.is(rows[0]!.updated, 'Mar 5, 14:03 UTC');
});

it('the list summary counts experiments by status', () => {
  assert.is(
    listSummary([experiment('a', 'running'), experiment('b', 'running'), experiment('c', 'draft')]),
    '3 experiments · 2 running · 1 draft',
  );
  assert.is(listSummary([]), '0 experiments');
});

it('a released experiment shows the variant everyone gets, and is counted as released', () => {
  const released = experiment('r', 'released', { released_variant: 'b' });
  assert.is(managerRows([released])[0]?.statusLabel, 'released → b');
  assert.is(managerRows([experiment('a', 'running')])[0]?.statusLabel, 'running');
  assert.is(listSummary([released]), '1 experiment · 1 released');
});

it('stop and archive ask first, naming the experiment; start does not', () => {
  assert.is(confirmationFor('start', experiment('a', 'draft')), undefined);
  const stop = confirmationFor('stop', experiment('a', 'running', { name: 'Paywall' }))!;
  assert.equal([stop.title, stop.confirmLabel], ['Stop Paywall?', 'Stop experiment']);
  const archive = confirmationFor('archive', experiment('a', 'running'))!;
  assert.match(archive.message, /stops assigning users/);
  assert.not.match(confirmationFor('archive', experiment('a', 'stopped'))!.message, /stops assigning/);
  assert.is(actionDone('stop', 'a'), 'a is stopped: no new users are assigned.');
});

it.run();
