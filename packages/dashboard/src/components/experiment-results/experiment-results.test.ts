import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVariants, sampleRatioMismatch } from '@ab-calicritters/core';
import type { ExperimentResults, MetricResult } from '@ab-calicritters/core';
import {
  decision,
  decisionTone,
  defaultMetric,
  needsControlBadge,
  variantRows,
  verdicts,
} from './experiment-results.model.js';

function metric(name: string, arms: Array<[string, number, number]>): MetricResult {
  const conversions = arms.map(([, users, converted]) => ({ users, conversions: converted }));
  const means = arms.map(([, users, conversions]) => ({ users, sum: conversions * 5, sum_squares: conversions * 25 }));
  const keys = arms.slice(1).map(([k]) => k);
  return {
    metric: name,
    conversion: {
      ...compareVariants({ metric_type: 'conversion', control: conversions[0]!, variants: conversions.slice(1) }),
      variant_keys: keys,
    },
    mean: {
      ...compareVariants({ metric_type: 'mean', control: means[0]!, variants: means.slice(1) }),
      variant_keys: keys,
    },
    totals: arms.map(([variant, assigned_users, converted_users]) => ({
      variant,
      assigned_users,
      exposed_users: assigned_users,
      converted_users,
      value_sum: converted_users * 5,
    })),
  };
}

function results(metrics: MetricResult[]): ExperimentResults {
  const assigned = [1000, 1000];
  return {
    experiment: {
      key: 'paywall',
      name: 'Paywall',
      status: 'running',
      coverage: 1,
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'urgency', weight: 0.5 },
      ],
    },
    window_days: 7,
    window_start: null,
    window_end: null,
    computed_at: null,
    control: 'control',
    assignments: [
      { variant: 'control', assigned_users: 1000, expected_share: 0.5 },
      { variant: 'urgency', assigned_users: 1000, expected_share: 0.5 },
    ],
    exposures: [
      { variant: 'control', exposed_users: 1000, expected_share: 0.5 },
      { variant: 'urgency', exposed_users: 1000, expected_share: 0.5 },
    ],
    sample_ratio: sampleRatioMismatch(assigned, [0.5, 0.5]),
    metrics,
  };
}

const it = suite('experiment-results model');

it('the default metric is the rarest one anybody converted on', () => {
  const r = results([
    metric('app_open', [
      ['control', 1000, 900],
      ['urgency', 1000, 910],
    ]),
    metric('purchase', [
      ['control', 1000, 200],
      ['urgency', 1000, 250],
    ]),
    metric('refund', [
      ['control', 1000, 0],
      ['urgency', 1000, 0],
    ]),
  ]);
  assert.is(defaultMetric(r), 'purchase');
});

it('rows put control first with the variants after it, and the lift bar around a centred zero', () => {
  const m = metric('purchase', [
    ['control', 1000, 200],
    ['urgency', 1000, 250],
  ]);
  const rows = variantRows(m, results([m]), 'conversion');
  assert.equal(
    rows.map((r) => [r.variant, r.isControl, r.assignedUsers, r.convertedUsers]),
    [
      ['control', true, 1000, 200],
      ['urgency', false, 1000, 250],
    ],
  );
  assert.is(rows[1]!.estimate, 0.25);
  const bar = rows[1]!.bar!;
  assert.is(bar.zero, 50);
  assert.ok(
    bar.left > 50 && bar.point > bar.left && bar.point < bar.left + bar.width,
    'a clearly positive interval sits right of zero',
  );
});

it('a significant lift reads as "beats control" with CI, p-value and chance to beat', () => {
  const m = metric('purchase', [
    ['control', 1000, 200],
    ['urgency', 1000, 250],
  ]);
  const [v] = verdicts(variantRows(m, results([m]), 'conversion'), 'purchase', 'control');
  assert.is(v!.outcome, 'better');
  assert.match(
    v!.text,
    /^urgency beats control on purchase: \+25% \(95% CI \+[\d.]+% to \+[\d.]+%\), p = 0\.0\d+, >?\d+% chance to beat control$/,
  );
});

it('a drop reads as worse, and an unclear difference as "No significant difference yet"', () => {
  const down = metric('purchase', [
    ['control', 1000, 250],
    ['urgency', 1000, 190],
  ]);
  assert.is(verdicts(variantRows(down, results([down]), 'conversion'), 'purchase', 'control')[0]!.outcome, 'worse');
  const flat = metric('purchase', [
    ['control', 1000, 200],
    ['urgency', 1000, 205],
  ]);
  const [v] = verdicts(variantRows(flat, results([flat]), 'conversion'), 'purchase', 'control');
  assert.is(v!.outcome, 'inconclusive');
  assert.match(v!.text, /^No significant difference yet/);
});

it('the p-value and the lift interval come from one test, so they agree on significance', () => {
  for (const [users, converted] of [
    [194, 24],
    [233, 48],
    [41, 31],
    [1000, 260],
  ] as const) {
    const m = metric('purchase', [
      ['control', 200, 30],
      ['urgency', users, converted],
    ]);
    const [, row] = variantRows(m, results([m]), 'conversion');
    const excludesZero = row!.liftCiLower! > 0 || row!.liftCiUpper! < 0;
    assert.is(row!.pValue! < 0.05, excludesZero, `${users}/${converted}`);
  }
});

it('an interval clear of zero whose p-value, adjusted for the number of variants, is over 5% is inconclusive', () => {
  const row = { lift: 0.26, liftCiLower: 0.004, liftCiUpper: 0.51, pValue: 0.03, adjustedPValue: 0.064 };
  assert.is(decision(row), 'inconclusive');
  assert.is(decisionTone(decision(row)), '');
  assert.is(decision({ ...row, adjustedPValue: null }), 'better', 'one variant: nothing to adjust');
});

it('with several variants the verdict reads the Holm-adjusted p-value and says so', () => {
  const m = metric('purchase', [
    ['control', 1000, 200],
    ['urgency', 1000, 250],
    ['social_proof', 1000, 205],
    ['calm', 1000, 198],
  ]);
  const rows = variantRows(m, results([m]), 'conversion');
  const urgency = rows.find((r) => r.variant === 'urgency')!;
  assert.ok(urgency.adjustedPValue! > urgency.pValue!, 'adjusted upwards');
  const [v] = verdicts(rows, 'purchase', 'control');
  assert.match(v!.text, /adjusted for 3 variants/);
});

it('the verdict and the colour come from one decision, whatever the figures', () => {
  const cases: Array<Array<[string, number, number]>> = [
    [
      ['control', 1000, 200],
      ['urgency', 1000, 250],
    ],
    [
      ['control', 1000, 250],
      ['urgency', 1000, 190],
    ],
    [
      ['control', 1000, 200],
      ['urgency', 1000, 205],
    ],
    [
      ['control', 194, 24],
      ['urgency', 233, 48],
    ],
    [
      ['control', 41, 31],
      ['urgency', 20, 19],
    ],
    [
      ['control', 20, 1],
      ['urgency', 150, 1],
    ],
    [
      ['control', 0, 0],
      ['urgency', 0, 0],
    ],
  ];
  const tone = { better: 'positive', worse: 'negative', inconclusive: '', no_data: '' } as const;
  for (const arms of cases) {
    const m = metric('purchase', arms);
    const rows = variantRows(m, results([m]), 'conversion');
    const [v] = verdicts(rows, 'purchase', 'control');
    assert.is(v!.outcome, decision(rows[1]!), JSON.stringify(arms));
    assert.is(decisionTone(v!.outcome), tone[v!.outcome], JSON.stringify(arms));
  }
  assert.is(decision({ lift: -0.87, liftCiLower: -1.23, liftCiUpper: -0.5, pValue: 0.09 }), 'inconclusive');
  assert.is(decision({ lift: -0.2, liftCiLower: -0.3, liftCiUpper: -0.1, pValue: 0.001 }), 'worse');
  assert.is(decision({ lift: 0.2, liftCiLower: null, liftCiUpper: null, pValue: 0.001 }), 'inconclusive');
});

it('no assigned users means no verdict, not a guess', () => {
  const empty = metric('purchase', [
    ['control', 0, 0],
    ['urgency', 0, 0],
  ]);
  const [v] = verdicts(variantRows(empty, results([empty]), 'conversion'), 'purchase', 'control');
  assert.is(v!.outcome, 'no_data');
});

it('the control badge shows only when the control variant is not already called "control"', () => {
  assert.not.ok(needsControlBadge({ variant: 'control', isControl: true }));
  assert.not.ok(needsControlBadge({ variant: 'Control', isControl: true }));
  assert.ok(needsControlBadge({ variant: 'classic', isControl: true }));
  assert.not.ok(needsControlBadge({ variant: 'urgency', isControl: false }));
});

it.run();
