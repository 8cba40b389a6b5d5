export { fnv1a32 } from './fnv1a32.js';
export { hash } from './hash.js';
export type { HashVersion } from './hash.js';
export { bucketRanges, chooseBucket, equalWeights, hasUsableWeights } from './bucket-ranges.js';
export type { BucketRange } from './bucket-ranges.js';
export { assign, evaluate } from './assign.js';
export type { AssignableExperiment, AssignmentResult } from './assign.js';
export { LIMITS } from './limits.js';
export {
  assignmentRequestSchema,
  eventsEnvelopeSchema,
  trackedEventSchema,
  experimentDefinitionSchema,
  experimentPatchSchema,
  funnelDefinitionSchema,
  funnelPatchSchema,
  requestSchemas,
} from './schemas.js';
export { variantProblems, funnelStepProblems, WEIGHT_SUM_EPSILON } from './experiment-rules.js';
export type { DefinitionProblem } from './experiment-rules.js';
export type {
  ExperimentStatus,
  VariantDefinition,
  ExperimentDefinition,
  ExperimentRecord,
  ExperimentPatch,
  FunnelDefinition,
  FunnelRecord,
  FunnelPatch,
  AssignmentRequest,
  Assignment,
  AssignmentResponse,
  TrackedEvent,
  EventsRequest,
  RejectedEvent,
  EventsResponse,
  HealthResponse,
  MetricsSummary,
  ErrorBody,
} from './wire-types.js';
