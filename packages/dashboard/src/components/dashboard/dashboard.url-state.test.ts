import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readViewState, writeViewState, type ViewState } from './dashboard.url-state.js';

const it = suite('dashboard view in the URL');

const DEFAULTS: ViewState = { tab: 'overview', windowDays: 7, experimentKey: '' };

it('reads the tab, the window and the experiment from the query string', () => {
  assert.equal(readViewState('?tab=experiments&window_days=30&experiment_key=paywall_copy'), {
    tab: 'experiments',
    windowDays: 30,
    experimentKey: 'paywall_copy',
  });
  assert.equal(readViewState('tab=manage'), { tab: 'manage', windowDays: 7, experimentKey: '' });
});

it('an empty query string is the default view', () => {
  assert.equal(readViewState(''), DEFAULTS);
  assert.equal(readViewState('?'), DEFAULTS);
});

it('an unknown tab falls back to the overview', () => {
  assert.is(readViewState('?tab=settings').tab, 'overview');
  assert.is(readViewState('?tab=Funnels').tab, 'overview');
  assert.is(readViewState('?tab=').tab, 'overview');
});

it('a window that is not one of the choices falls back to 7 days', () => {
  for (const days of ['0', '-7', '8', '365', '7.5', '1e1', ' 7', 'abc', '', '0x1e'])
    assert.is(readViewState(`?window_days=${encodeURIComponent(days)}`).windowDays, 7, `window_days=${days}`);
  for (const days of [1, 7, 14, 30, 90]) assert.is(readViewState(`?window_days=${days}`).windowDays, days);
});

it('a string that cannot be an experiment key is dropped', () => {
  assert.is(readViewState('?experiment_key=%3Cscript%3E').experimentKey, '');
  assert.is(readViewState('?experiment_key=_leading').experimentKey, '');
  assert.is(readViewState(`?experiment_key=${'k'.repeat(129)}`).experimentKey, '');
  assert.is(readViewState(`?experiment_key=${'k'.repeat(128)}`).experimentKey, 'k'.repeat(128));
  assert.is(readViewState('?experiment_key=onboarding.v2:b-1').experimentKey, 'onboarding.v2:b-1');
});

it("the element's own defaults are the fallback, and its configured window is one of the choices", () => {
  const defaults: ViewState = { tab: 'funnels', windowDays: 21, experimentKey: 'paywall_copy' };
  assert.equal(readViewState('?tab=nope&window_days=8&experiment_key=%20', defaults), defaults);
  assert.is(readViewState('?window_days=21', defaults).windowDays, 21);
  assert.is(readViewState('?window_days=21').windowDays, 7);
  assert.is(readViewState('?window_days=14', defaults).windowDays, 14);
});

it('writes the view and keeps the host page’s parameters where they were', () => {
  assert.is(
    writeViewState({ tab: 'funnels', windowDays: 14, experimentKey: '' }, '?lang=fr'),
    '?lang=fr&tab=funnels&window_days=14',
  );
  assert.is(
    writeViewState({ tab: 'experiments', windowDays: 30, experimentKey: 'paywall_copy' }, '?a=1&tab=overview&b=2'),
    '?a=1&tab=experiments&b=2&window_days=30&experiment_key=paywall_copy',
  );
  assert.is(writeViewState(DEFAULTS, ''), '?tab=overview&window_days=7');
});

it('an empty experiment key removes experiment_key, and duplicates collapse into one', () => {
  assert.is(
    writeViewState(
      { tab: 'overview', windowDays: 7, experimentKey: '' },
      '?experiment_key=x&tab=overview&window_days=7',
    ),
    '?tab=overview&window_days=7',
  );
  assert.is(writeViewState(DEFAULTS, '?tab=funnels&tab=benchmarks&window_days=7'), '?tab=overview&window_days=7');
});

it('a query string that already holds the view comes back unchanged, encoding and all', () => {
  const search = '?q=a%20b&flag&tab=experiments&window_days=30&experiment_key=paywall_copy';
  assert.is(writeViewState({ tab: 'experiments', windowDays: 30, experimentKey: 'paywall_copy' }, search), search);
});

it('what is written reads back as the same view', () => {
  const states: ViewState[] = [
    { tab: 'manage', windowDays: 1, experimentKey: '' },
    { tab: 'experiments', windowDays: 90, experimentKey: 'onboarding.v2:b-1' },
  ];
  for (const state of states) assert.equal(readViewState(writeViewState(state, '?x=1')), state);
});

it.run();
