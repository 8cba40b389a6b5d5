import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as core from '@ab-calicritters/core';
import type * as wire from './wire-types.js';

// Type-checked by `tsc -p tsconfig.tests.json`: each line fails to compile when the SDK's copy drifts from core's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;
type Required<T> = Omit<T, 'reason' | 'value'>;
const checks: [
  Same<wire.AssignableExperiment, core.AssignableExperiment>,
  Same<wire.TargetedExperiment, core.TargetedExperiment>,
  Same<wire.EvaluationReason, core.EvaluationReason>,
  Same<wire.SavedGroups, core.SavedGroups>,
  Same<wire.Holdout, core.Holdout>,
  // What a server sends, with or without `reason` and `value`, is what the SDK reads.
  Fits<core.AssignmentResponse, wire.AssignmentResponse>,
  Same<Required<wire.AssignmentResponse['assignments'][number]>, Required<core.Assignment>>,
  Same<wire.TrackedEvent, core.TrackedEvent>,
  Same<wire.EventsResponse, core.EventsResponse>,
] = [true, true, true, true, true, true, true, true, true];

test("the SDK's wire types are core's, spelt out", () => {
  assert.ok(checks.every(Boolean));
});

test.run();
