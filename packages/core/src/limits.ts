/** Limits shared by the schemas, the server and the client SDK. */

export const LIMITS = {
  /** Events in one POST /v1/events request. */
  maxEventsPerBatch: 1000,
  /** Bytes of one request body. */
  maxBodyBytes: 1024 * 1024,
  /** Bytes of one event's JSON-encoded properties. */
  maxPropertiesBytes: 32 * 1024,
  maxUserIdLength: 256,
  maxEventNameLength: 128,
  maxKeyLength: 128,
  maxNameLength: 256,
  maxVariants: 20,
  maxExperimentKeysPerRequest: 200,
  maxFunnelSteps: 20,
  maxConversionWindowHours: 24 * 365,
} as const;
