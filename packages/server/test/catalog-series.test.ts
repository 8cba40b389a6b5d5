import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CatalogSeriesPoint, ExperimentResults } from '@ab-calicritters/core';
import type { EventRow } from '../src/storage/event-store.js';
import {
  catalogMetric as metricOf,
  catalogResults,
  dashboard,
  startCatalogExperiment,
} from './helpers/catalog-experiment.js';
import { eventRow } from './helpers/seed-rows.js';
import type { TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer }>('the cumulative effect series of catalog metrics');
const USERS = 48;
/** Users are first exposed on 03-05 … 03-08, a quarter of each arm a day; nobody on the window's first day. */
const exposureDay = (i: number) => 5 + (Math.floor(i / 2) % 4);
const KEYS = ['net_revenue', 'latency', 'revenue_per_session', 'purchased'];

it.before(async (ctx) => {
  const assignments: Array<[string, string, string]> = [];
  const events: EventRow[] = [];
  for (let i = 0; i < USERS; i++) {
    const variant = i % 2 === 0 ? 'control' : 'fast';
    const fast = variant === 'fast';
    const user = `u${i}`;
    const day = `2026-03-0${exposureDay(i)}`;
    assignments.push([user, variant, '2026-03-01T00:00:00Z']);
    events.push(eventRow(user, '$exposure', `${day}T08:00:00Z`, { experiment_key: 'checkout', variant }));
    // Fractional values, whose float sums depend on the order they are added in: the last point still equals the
    // results row to the last bit, since the window row is its days added in day order, as the series adds them.
    events.push(eventRow(user, 'order', '2026-03-02T00:00:00Z', { value: 5.37 + (i % 7) * 1.13 }));
    if (i % 3 !== 0) {
      events.push(eventRow(user, 'order', `${day}T10:00:00Z`, { value: 10.41 + (i % 7) * 0.77 + (fast ? 3.3 : 0) }));
    }
    for (let s = 0; s <= i % 3; s++) events.push(eventRow(user, 'session', `${day}T09:00:00Z`));
    // The fast variant is slower to load: a `lower` metric that rises.
    events.push(eventRow(user, 'page', `${day}T09:30:00Z`, { ms: 100 + (i % 5) * 4 + (fast ? 30 : 0) }));
  }
  ctx.server = await startCatalogExperiment({
    metrics: [
      { key: 'net_revenue', kind: 'sum', event: 'order' },
      { key: 'sessions', kind: 'count', event: 'session', cuped_lookback_days: 0 },
      { key: 'revenue_per_session', kind: 'ratio', numerator: 'net_revenue', denominator: 'sessions' },
      { key: 'purchased', kind: 'conversion', event: 'order', window_hours: 24, cuped_lookback_days: 0 },
      { key: 'latency', kind: 'sum', event: 'page', property: 'ms', direction: 'lower', cuped_lookback_days: 0 },
    ],
    experiment: {
      key: 'checkout',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'fast', weight: 0.5 },
      ],
      metrics: KEYS.map((key) => ({ key, role: key === 'latency' ? 'guardrail' : 'goal' })),
      // The stored analysis: fixed, at a 10 % level; a request's ?method= overrides the method only.
      analysis: { method: 'fixed', alpha: 0.1 },
    },
    assignments,
    events,
  });
});
it.after(async (ctx) => ctx.server.close());

const results = (server: TestServer, query = '') => catalogResults(server, 'checkout', query);

const seriesOf = (body: ExperimentResults, key: string): CatalogSeriesPoint[] => {
  const series = metricOf(body, key).variants[0]!.series;
  assert.ok(series, `${key} has a series`);
  return series!;
};

it('without series the results carry none', async ({ server }) => {
  const body = await results(server);
  assert.equal(
    body.catalog_metrics?.map((m) => m.variants.map((v) => 'series' in v)),
    KEYS.map(() => [false]),
  );
});

it('one point a day from the first exposures to the window end, users counted from their first exposure day', async ({
  server,
}) => {
  const body = await results(server, '&series=cumulative');
  for (const key of KEYS) {
    const series = seriesOf(body, key);
    // 03-04 (the window's first day) has nobody yet: the series starts on 03-05 and runs to the window's last day.
    assert.equal(
      series.map((p) => [p.day, p.control_exposed_users, p.exposed_users]),
      [
        ['2026-03-05', 6, 6],
        ['2026-03-06', 12, 12],
        ['2026-03-07', 18, 18],
        ['2026-03-08', 24, 24],
        ['2026-03-09', 24, 24],
        ['2026-03-10', 24, 24],
      ],
      key,
    );
  }
});

it('the last point is the results row: same relative effect and interval, to the last digit', async ({ server }) => {
  for (const method of ['', '&method=sequential', '&method=fixed']) {
    const body = await results(server, `&series=cumulative${method}`);
    for (const key of KEYS) {
      const metric = metricOf(body, key);
      const row = metric.variants[0]!;
      const last = row.series!.at(-1)!;
      assert.equal(
        [last.relative_effect, last.relative_ci, last.reason, last.exposed_users, last.control_exposed_users],
        [row.relative_effect, row.relative_ci, row.reason, row.exposed_users, metric.control.exposed_users],
        `${key}${method}`,
      );
      assert.ok(last.relative_ci, `${key}${method} has an interval`);
    }
  }
});

it('the sequential band is wider than the fixed one at every day, around the same effects', async ({ server }) => {
  const fixed = await results(server, '&series=cumulative&method=fixed');
  const sequential = await results(server, '&series=cumulative&method=sequential');
  const width = (p: CatalogSeriesPoint) => p.relative_ci![1] - p.relative_ci![0];
  for (const key of KEYS) {
    const f = seriesOf(fixed, key);
    const s = seriesOf(sequential, key);
    assert.equal(
      s.map((p) => p.relative_effect),
      f.map((p) => p.relative_effect),
      key,
    );
    for (const [i, p] of s.entries()) {
      if (p.relative_ci === null) continue;
      assert.ok(width(p) > width(f[i]!), `${key} ${p.day}: ${p.relative_ci} vs ${f[i]!.relative_ci}`);
    }
  }
});

it('a lower-is-better metric keeps the sign of the effect: a slower variant rises every day', async ({ server }) => {
  const body = await results(server, '&series=cumulative');
  const latency = seriesOf(body, 'latency');
  assert.is(metricOf(body, 'latency').variants[0]!.verdict, 'loss');
  for (const p of latency) assert.ok(p.relative_effect! > 0.2, JSON.stringify(p));
});

it('series other than cumulative is a 400 naming series', async ({ server }) => {
  for (const value of ['daily', '', 'CUMULATIVE']) {
    const res = await server.get(
      `/v1/metrics/experiments?experiment_key=checkout&series=${encodeURIComponent(value)}`,
      dashboard,
    );
    assert.is(res.status, 400, value);
    assert.is(res.body.error.code, 'invalid_query', JSON.stringify(res.body));
    assert.equal(
      res.body.error.details.map((d: { field: string }) => d.field),
      ['series'],
    );
  }
});

it.run();
