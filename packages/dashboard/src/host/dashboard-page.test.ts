import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDashboardPage } from './dashboard-page.js';

const it = suite('dashboard page');

it('passes the rollup interval to the dashboard for its freshness line, and leaves it out when unknown', () => {
  const page = renderDashboardPage({ bundleUrl: '/b.js', rollupIntervalMinutes: 5 });
  assert.match(page, /<abc-dashboard [^>]*rollup-interval="5"[^>]*>/);
  assert.not.match(renderDashboardPage({ bundleUrl: '/b.js' }), /rollup-interval/);
  assert.not.match(renderDashboardPage({ bundleUrl: '/b.js', rollupIntervalMinutes: 0 }), /rollup-interval/);
  assert.throws(() => renderDashboardPage({ bundleUrl: '/b.js', rollupIntervalMinutes: -1 }), /rollupIntervalMinutes/);
});

it.run();
