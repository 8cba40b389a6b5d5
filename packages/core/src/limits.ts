/** Limits shared by the schemas, the server and the client SDK. */

export const LIMITS = {
  /** Events in one POST /v1/events request. */
  maxEventsPerBatch: 1000,
  /** Bytes of one request body. */
  maxBodyBytes: 1024 * 1024,
  /** Bytes of one event's JSON-encoded properties. */
  maxPropertiesBytes: 32 * 1024,
  /** Nesting of objects and arrays in an event's properties or a request's attributes (`{}` is depth 1). */
  maxPropertiesDepth: 16,
  /** Object keys in an event's properties or a request's attributes, counted at every level. */
  maxPropertiesKeys: 1000,
  maxUserIdLength: 256,
  maxEventNameLength: 128,
  maxKeyLength: 128,
  maxNameLength: 256,
  maxVariants: 20,
  maxExperimentKeysPerRequest: 200,
  maxFunnelSteps: 20,
  maxConversionWindowHours: 24 * 365,
  /** How far in the future (after clock correction) an event's time may be: a wrong clock, not a real event. */
  maxEventFutureMs: 24 * 3600 * 1000,
  /** How old an event may be when it arrives (offline devices catch up within this). */
  maxEventAgeMs: 365 * 24 * 3600 * 1000,
} as const;
