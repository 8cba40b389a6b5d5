import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestName } from './closest-name.js';

test('case and separators do not count: userId and user-id mean user_id', () => {
  assert.is(closestName('userId', ['user_id', 'attributes']), 'user_id');
  assert.is(closestName('user-id', ['user_id']), 'user_id');
  assert.is(closestName('EXPERIMENT_KEYS', ['experiment_keys']), 'experiment_keys');
});

test('a typo within a third of the letters is suggested, the closest one wins', () => {
  assert.is(closestName('experiment_key', ['experiment_keys', 'attributes']), 'experiment_keys');
  assert.is(closestName('weights', ['key', 'weight']), 'weight');
  assert.is(closestName('stauts', ['status', 'seed']), 'status');
});

test('nothing close, nothing suggested; over-long names are not compared', () => {
  assert.is(closestName('colour', ['user_id', 'experiment_keys', 'attributes']), undefined);
  assert.is(closestName('x', ['key']), undefined);
  assert.is(closestName('user_id'.repeat(20), ['user_id']), undefined);
  assert.is(closestName('anything', []), undefined);
});

test.run();
