export { createClient, EXPOSURE_EVENT } from './client.js';
export type { AbClient, ClientEvents, ClientStats } from './client.js';
export type { ClientOptions, BootstrapExperiment, LocationProvider } from './options.js';
export type { VariantAssignment, AssignmentReason, AssignmentSource } from './resolve-assignment.js';
export type {
  TargetedExperiment,
  ExperimentVariant,
  Holdout,
  SavedGroups,
  EvaluationReason,
  AssignableExperiment,
  DefinitionsResponse,
} from './wire-types.js';
export { ClientError } from './client-error.js';
export type { ClientErrorCode, ClientErrorDetail } from './client-error.js';
export type { FlushResult } from './delivery.js';
export { createMemoryStorage, createLocalStorage } from './storage.js';
export type { StorageAdapter } from './storage.js';
export type { Clock, FetchLike, ResponseLike, RequestInitLike, SyncStorageLike } from './platform.js';
export { backoffDelay, parseRetryAfter } from './backoff.js';
export { uuidv4 } from './uuid.js';
