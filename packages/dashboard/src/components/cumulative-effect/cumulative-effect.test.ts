import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  SOCIAL_PROOF_SERIES,
  URGENCY_SERIES,
  catalogMetric,
  catalogMetricWithSeries,
  catalogVariant,
} from '../../../test/helpers/catalog-fixtures.js';
import { bandCaption, cumulativeTrend, directionHint, intervalLevel } from './cumulative-effect.model.js';

const it = suite('cumulative effect trend');

it('one line per variant in percent over the union of days, with the band bounds and users', () => {
  const trend = cumulativeTrend(catalogMetricWithSeries());
  assert.is(trend.state, 'chart');
  assert.equal(trend.days, ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
  const [urgency, social] = trend.variants;
  assert.equal(
    [urgency?.variant, urgency?.colorIndex, social?.variant, social?.colorIndex],
    ['urgency', 1, 'social_proof', 2],
  );
  assert.equal(urgency?.effect, [null, 50, 30, 24, 20]);
  assert.equal(urgency?.lower, [null, -150, -10, 4, 10]);
  assert.equal(urgency?.upper, [null, 250, 70, 44, 30]);
  assert.equal(
    social?.exposedUsers,
    SOCIAL_PROOF_SERIES.map((p) => p.exposed_users),
  );
  assert.equal(urgency?.reasons[0], 'insufficient_data');
});

it('a variant missing a day gets a gap there, not a shifted line', () => {
  const trend = cumulativeTrend(
    catalogMetric({
      variants: [
        catalogVariant({ series: URGENCY_SERIES }),
        catalogVariant({ variant: 'social_proof', series: SOCIAL_PROOF_SERIES.slice(3) }),
      ],
    }),
  );
  assert.equal(trend.variants[1]?.effect, [null, null, null, 2, 1]);
});

it('the axis keeps zero and the settled days, rounds to a step, and says when the first days run past it', () => {
  const trend = cumulativeTrend(catalogMetricWithSeries());
  assert.equal(trend.axis, { min: -50, max: 100, step: 25 });
  assert.ok(trend.clipped);
  // Effects all above zero still show zero; narrow bands get a finer step and nothing is clipped.
  const narrow = cumulativeTrend(
    catalogMetric({
      variants: [
        catalogVariant({
          series: URGENCY_SERIES.slice(2).map((p) => ({ ...p, relative_effect: 0.03, relative_ci: [0.02, 0.04] })),
        }),
      ],
    }),
  );
  assert.ok(narrow.axis.min <= 0 && narrow.axis.max >= 4, JSON.stringify(narrow.axis));
  assert.ok(narrow.axis.step <= 1, JSON.stringify(narrow.axis));
  assert.not.ok(narrow.clipped);
});

it('no series, an empty one, one day or no estimate at all: no chart', () => {
  const state = (series: typeof URGENCY_SERIES | undefined) =>
    cumulativeTrend(catalogMetric({ variants: [catalogVariant({ series })] })).state;
  assert.is(state(undefined), 'no-series');
  assert.is(state([]), 'empty');
  assert.is(state(URGENCY_SERIES.slice(4)), 'one-day');
  assert.is(state([URGENCY_SERIES[0]!, { ...URGENCY_SERIES[0]!, day: '2026-11-25' }]), 'no-estimates');
});

it('the caption names the band by method and level; lower metrics get their direction', () => {
  assert.match(bandCaption('sequential', 0.05), /95 % always-valid interval \(sequential\), valid on every day/);
  assert.match(bandCaption('fixed', 0.1), /^Dashed band: 90 % fixed-horizon interval — valid only at the planned end/);
  assert.is(intervalLevel(0.005), '99.5 %');
  assert.match(directionHint('lower') ?? '', /below zero is an improvement/);
  assert.is(directionHint('higher'), null);
});

it.run();
