import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HoldoutRecord, OverrideRecord } from '@ab-calicritters/core';
import type { AdminExperiment } from '../../api/admin-api-client.js';
import {
  PAYLOAD_PREVIEW_CHARS,
  holdoutCovers,
  namespaceText,
  overridesText,
  releaseQuestion,
  rulesView,
} from './experiment-rules.model.js';

const it = suite('experiment rules model');

const experiment = (over: Partial<AdminExperiment> = {}): AdminExperiment => ({
  key: 'paywall',
  name: 'Paywall',
  seed: 'paywall',
  coverage: 0.5,
  status: 'running',
  variants: [
    { key: 'control', weight: 0.5, value: { headline: 'Go pro' } },
    { key: 'treatment', weight: 0.5 },
  ],
  condition: null,
  hash_attribute: 'id',
  fallback_attribute: null,
  namespace: null,
  released_variant: null,
  released_at: null,
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  ...over,
});

const holdout = (over: Partial<HoldoutRecord>): HoldoutRecord => ({
  key: 'h',
  name: null,
  seed: 'h',
  share: 0.05,
  experiment_keys: [],
  all_experiments: false,
  status: 'active',
  created_at: '',
  updated_at: '',
  archived_at: null,
  ...over,
});

const override = (variant: string): OverrideRecord =>
  ({ experiment_key: 'paywall', user_id: `u-${variant}`, variant }) as OverrideRecord;

it('a released experiment names its variant, marks it, and offers only the others for release', () => {
  const view = rulesView(
    experiment({ status: 'released', released_variant: 'treatment', released_at: '2026-11-20T10:00:00.000Z' }),
    [],
    [],
  );
  assert.is(view.state, 'Released → treatment');
  assert.match(view.stateDetail, /^Everyone gets treatment since /);
  assert.equal(
    view.variants.map((v) => [v.key, v.released]),
    [
      ['control', false],
      ['treatment', true],
    ],
  );
  assert.equal(view.releasable, ['control']);
  assert.equal(rulesView(experiment({ status: 'archived' }), [], []).releasable, []);
});

it('targeting in words with the raw condition, hashing with its fallback, and the namespace range', () => {
  const view = rulesView(
    experiment({
      condition: { country: { $in: ['CA', 'US'] } },
      hash_attribute: 'device_id',
      fallback_attribute: 'id',
      namespace: ['checkout', 0.3, 0.5],
    }),
    [],
    [],
  );
  assert.is(view.targeting, 'country is one of CA, US');
  assert.is(view.conditionJson, '{"country":{"$in":["CA","US"]}}');
  assert.is(view.hashing, 'device_id, else id');
  assert.is(view.namespace, 'checkout: 30% – 50% (20% of it)');
  const plain = rulesView(experiment({ condition: {} }), [], []);
  assert.equal([plain.targeting, plain.conditionJson, plain.hashing], ['Everyone', null, 'id (the user_id)']);
  assert.match(namespaceText(null), /^None/);
});

it('lists the active holdouts covering it and counts overrides per variant', () => {
  const holdouts = [
    holdout({ key: 'global', name: 'Global holdout', all_experiments: true }),
    holdout({ key: 'pay', share: 0.1, experiment_keys: ['paywall'] }),
    holdout({ key: 'other', experiment_keys: ['other'] }),
    holdout({ key: 'old', all_experiments: true, status: 'archived' }),
  ];
  assert.equal(
    holdouts.map((h) => holdoutCovers(h, 'paywall')),
    [true, true, false, false],
  );
  const view = rulesView(experiment(), holdouts, [override('treatment'), override('treatment'), override('control')]);
  assert.equal(view.holdouts, ['Global holdout: 5% held out (all experiments)', 'pay: 10% held out']);
  assert.is(view.overrides, '3 users forced (treatment 2, control 1)');
  assert.is(overridesText([]), 'None');
});

it('shows payloads as pretty JSON, cutting long ones and keeping the whole text', () => {
  const long = 'x'.repeat(PAYLOAD_PREVIEW_CHARS * 2);
  const view = rulesView(
    experiment({
      variants: [
        { key: 'control', weight: 0.5, value: { headline: 'Go pro' } },
        { key: 'treatment', weight: 0.5, value: long },
      ],
    }),
    [],
    [],
  );
  assert.is(view.variants[0]?.payload, '{\n  "headline": "Go pro"\n}');
  assert.is(view.variants[0]?.fullPayload, null);
  assert.is(view.variants[1]?.payload?.length, PAYLOAD_PREVIEW_CHARS + 1);
  assert.is(view.variants[1]?.fullPayload, JSON.stringify(long));
  assert.is(rulesView(experiment({ variants: [{ key: 'a', weight: 1 }] }), [], []).variants[0]?.payload, null);
});

it('asks before a release, saying who gets what', () => {
  const question = releaseQuestion({ key: 'paywall', name: null, status: 'running' }, 'treatment');
  assert.is(question.title, 'Release treatment of paywall?');
  assert.match(question.message, /Everyone gets treatment/);
  assert.is(question.confirmLabel, 'Release treatment');
});

it.run();
