import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isDashboardTab, tabForKey } from './dashboard-tabs.js';

const it = suite('dashboard tabs');

it('arrow keys move between tabs and wrap around; Home and End jump', () => {
  assert.is(tabForKey('overview', 'ArrowRight'), 'experiments');
  assert.is(tabForKey('benchmarks', 'ArrowRight'), 'overview');
  assert.is(tabForKey('overview', 'ArrowLeft'), 'benchmarks');
  assert.is(tabForKey('funnels', 'Home'), 'overview');
  assert.is(tabForKey('overview', 'End'), 'benchmarks');
  assert.is(tabForKey('overview', 'a'), undefined);
});

it('only the four tab ids are tabs', () => {
  assert.ok(isDashboardTab('funnels'));
  assert.not.ok(isDashboardTab('settings'));
});

it.run();
