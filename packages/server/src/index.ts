export { createAbRouter, createAbServer } from './create-ab-router.js';
export type { AbRouterOptions, AbServerOptions } from './create-ab-router.js';
export { createStorage, DEFAULT_DATA_DIR } from './storage/storage.js';
export type { Storage, StorageOptions, StorageKind } from './storage/storage.js';
export { IN_MEMORY } from './storage/orm-config.js';
export { entities } from './storage/entities.js';
export { migrationsList } from './storage/migrations/index.js';
export { HttpError } from './http/http-error.js';
export type { ErrorDetail } from './http/http-error.js';
export type { Logger } from './http/error-middleware.js';
export { isDatabaseUnavailable } from './storage/database-errors.js';
export {
  experimentDefinitionProblems,
  experimentPatchProblems,
  funnelDefinitionProblems,
  funnelPatchProblems,
} from './services/definition-checks.js';
export { DuplicateKeyError } from './storage/experiment-store.js';
