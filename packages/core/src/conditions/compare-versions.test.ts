import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVersions, paddedVersionString } from './compare-versions.js';

test('paddedVersionString pads numbers, drops v and build metadata, and marks releases with ~', () => {
  assert.is(paddedVersionString('v1.2.3+build.7'), '    1-    2-    3-~');
  assert.is(paddedVersionString('1.0.0-rc.1'), '    1-    0-    0-rc-    1');
  assert.is(paddedVersionString(3), '    3');
  assert.is(paddedVersionString(null), '    0');
  assert.is(paddedVersionString({}), '    0');
});

test('compareVersions orders numerically and puts pre-releases before their release', () => {
  assert.is(compareVersions('1.10.0', '1.9.9'), 1);
  assert.is(compareVersions('1.0.0-beta', '1.0.0'), -1);
  assert.is(compareVersions('v2.0.0', '2.0.0+abc'), 0);
  const sorted = ['1.0.0', '0.9.0', '1.0.0-alpha', '1.0.0-alpha.1', '0.10.0'].sort(compareVersions);
  assert.equal(sorted, ['0.9.0', '0.10.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0']);
});

test.run();
