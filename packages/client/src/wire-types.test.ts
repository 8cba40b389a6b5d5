import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as core from '@ab-calicritters/core';
import type * as wire from './wire-types.js';

// Type-checked by `tsc -p tsconfig.tests.json`: each line fails to compile when the SDK's copy drifts from core's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<wire.AssignableExperiment, core.AssignableExperiment>,
  Same<wire.AssignmentResponse, core.AssignmentResponse>,
  Same<wire.TrackedEvent, core.TrackedEvent>,
  Same<wire.EventsResponse, core.EventsResponse>,
] = [true, true, true, true];

test("the SDK's wire types are core's, spelt out", () => {
  assert.equal(checks, [true, true, true, true]);
});

test.run();
