import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isNotComputed, rollupCommand } from './rollup-hint.js';

const it = suite('rollup hint');

it('only computed_at: null means not computed; a computed window with nobody assigned is computed', () => {
  assert.ok(isNotComputed({ computed_at: null }));
  assert.not.ok(isNotComputed({ computed_at: '2026-03-10T02:00:00.000Z' }));
  assert.not.ok(isNotComputed(undefined), 'nothing loaded yet is not "not computed"');
});

it('the hint names the command for the window', () => {
  assert.is(rollupCommand(90), 'calicritters rollup --window-days 90');
});

it.run();
